/** Snapshots that stress the PDF layout: many subjects, very long comments and words. */
import { fullSnapshot } from '../hbs-xml/test-snapshots.ts';
import type { RecordSnapshot, SubjectRow } from '../../domain/record/snapshot.ts';

const SENTENCE = 'Em có ý thức học tập tốt, tích cực phát biểu xây dựng bài, biết hợp tác với bạn bè trong hoạt động nhóm; cần rèn thêm kĩ năng trình bày và đọc thêm sách tham khảo. ';

/** The last word of the very long comment (one token, so no line or page break splits it). */
export const LONG_COMMENT_END = 'HẾT_NHẬN_XÉT_BỘ_MÔN';
/** The last word of the very long homeroom comment. */
export const LONG_HOMEROOM_END = 'HẾT_NHẬN_XÉT_CHỦ_NHIỆM';

/** 30 subjects, one comment longer than a whole page, an unbreakable 300-character word, a long homeroom comment. */
export function longSnapshot(): RecordSnapshot {
  const s = fullSnapshot();
  const base = s.year.subjects;
  const subjects: SubjectRow[] = [];
  for (let i = 0; i < 30; i++) {
    const b = base[i % base.length]!;
    subjects.push({ ...b, code: `${b.code}_${i}`, name: i % 7 === 3 ? `${b.name} – chuyên đề học tập lựa chọn số ${i} (cụm chuyên đề nâng cao)` : b.name });
  }
  subjects[4] = { ...subjects[4]!, comment: `${SENTENCE.repeat(45)}${LONG_COMMENT_END}` };
  subjects[9] = { ...subjects[9]!, comment: `Liên kết: ${'x'.repeat(300)} cuối.` };
  s.year.subjects = subjects;
  s.year.homeroom.comment = `${SENTENCE.repeat(25)}\n\nĐoạn hai sau một dòng trống.\t${LONG_HOMEROOM_END}`;
  s.identity.address = `Số 12, ngõ 34, ${'đường Nguyễn Chí Thanh, '.repeat(6)}Phường Láng, Thành phố Hà Nội`;
  s.year.award = 'gioi';
  return s;
}
