/**
 * THPT subject catalogue under the 2018 general education programme (CTGDPT 2018, as
 * amended). Source: shared/DOMAIN.md §2.1 [H] for the subjects and their assessment
 * form; periods per year are [M] — kept here, in one table, so they can be corrected.
 * Ministry subject codes are not published to us: `ministryCode` stays null until known.
 * A school starts from this catalogue and may edit its own copy.
 */
export type AssessmentForm = 'score' | 'comment'; // đánh giá bằng điểm số | bằng nhận xét (Đạt / Chưa đạt)
export type SubjectKind = 'compulsory' | 'elective'; // bắt buộc | lựa chọn

export interface CatalogueSubject {
  code: string;
  name: string;
  nameEn: string;
  kind: SubjectKind;
  assessment: AssessmentForm;
  periodsPerYear: number;
  /** May carry a learning-topic cluster (cụm chuyên đề học tập, 35 periods/year). */
  topicClusterAllowed: boolean;
  ministryCode: string | null;
  sortOrder: number;
}

const s = (
  code: string,
  name: string,
  nameEn: string,
  kind: SubjectKind,
  assessment: AssessmentForm,
  periodsPerYear: number,
  topicClusterAllowed: boolean,
  sortOrder: number,
): CatalogueSubject => ({ code, name, nameEn, kind, assessment, periodsPerYear, topicClusterAllowed, ministryCode: null, sortOrder });

export const THPT_SUBJECTS: readonly CatalogueSubject[] = [
  s('NV', 'Ngữ văn', 'Literature', 'compulsory', 'score', 105, true, 1),
  s('TOAN', 'Toán', 'Mathematics', 'compulsory', 'score', 105, true, 2),
  s('NN1', 'Ngoại ngữ 1 (Tiếng Anh)', 'Foreign language 1 (English)', 'compulsory', 'score', 105, false, 3),
  s('LS', 'Lịch sử', 'History', 'compulsory', 'score', 52, true, 4),
  s('GDTC', 'Giáo dục thể chất', 'Physical education', 'compulsory', 'comment', 70, false, 5),
  s('GDQPAN', 'Giáo dục quốc phòng và an ninh', 'National defence and security education', 'compulsory', 'score', 35, false, 6),
  s('HDTN', 'Hoạt động trải nghiệm, hướng nghiệp', 'Experiential and career-guidance activities', 'compulsory', 'comment', 105, false, 7),
  s('NDGDDP', 'Nội dung giáo dục của địa phương', 'Local education content', 'compulsory', 'comment', 35, false, 8),
  s('DL', 'Địa lí', 'Geography', 'elective', 'score', 70, true, 10),
  s('GDKTPL', 'Giáo dục kinh tế và pháp luật', 'Economic and legal education', 'elective', 'score', 70, true, 11),
  s('VL', 'Vật lí', 'Physics', 'elective', 'score', 70, true, 12),
  s('HH', 'Hóa học', 'Chemistry', 'elective', 'score', 70, true, 13),
  s('SH', 'Sinh học', 'Biology', 'elective', 'score', 70, true, 14),
  s('CN', 'Công nghệ', 'Technology', 'elective', 'score', 70, true, 15),
  s('TH', 'Tin học', 'Informatics', 'elective', 'score', 70, true, 16),
  s('AN', 'Âm nhạc', 'Music', 'elective', 'comment', 70, true, 17),
  s('MT', 'Mĩ thuật', 'Fine arts', 'elective', 'comment', 70, true, 18),
];

/** Each student takes this many electives and this many topic clusters (DOMAIN.md §2.1 [H]). */
export const ELECTIVES_PER_STUDENT = 4;
export const TOPIC_CLUSTERS_PER_STUDENT = 3;
export const TOPIC_CLUSTER_PERIODS = 35;
