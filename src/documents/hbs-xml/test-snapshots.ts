/** Snapshots the HBS XML tests write and read back. */
import type { RecordSnapshot, SubjectRow } from '../../domain/record/snapshot.ts';

const score = (average: string) => ({ kind: 'score' as const, average });
const comment = (result: 'D' | 'CD') => ({ kind: 'comment' as const, result });

function subject(code: string, name: string, teacherName: string, marks: [string, string, string], extra: Partial<SubjectRow> = {}): SubjectRow {
  return { code, name, form: 'score', teacherName, semesterI: score(marks[0]), semesterII: score(marks[1]), year: score(marks[2]), reassessment: null, comment: null, ...extra };
}

/** Every field filled, a full subject table. */
export function fullSnapshot(): RecordSnapshot {
  return {
    formatVersion: 1,
    school: { code: '01000123', name: 'Trường THPT Chu Văn An', province: 'Thành phố Hà Nội' },
    schoolYear: '2025-2026',
    identity: {
      fullName: 'Nguyễn Thị Lan Anh',
      gender: 'female',
      birthDate: '2010-03-15',
      birthPlace: 'Bệnh viện Phụ sản Hà Nội',
      ethnicityCode: '01',
      nationality: 'Việt Nam',
      personalId: '001310012345',
      studentCode: '0100012345',
      hometown: 'Xã Đông Anh, Hà Nội',
      address: 'Phường Ba Đình, Thành phố Hà Nội',
      phone: '0912345678',
      policyStatus: 'Con thương binh',
      fatherName: 'Nguyễn Văn Hùng',
      fatherOccupation: 'Kĩ sư',
      motherName: 'Trần Thị Mai',
      motherOccupation: 'Giáo viên',
      guardianName: 'Nguyễn Văn Đức',
      guardianOccupation: 'Nông dân',
      className: '10A1',
      grade: 10,
    },
    year: {
      subjects: [
        subject('NV', 'Ngữ văn', 'Lê Thị Hoa', ['7.9', '8.5', '8.3'], { comment: 'Có tiến bộ, cần đọc thêm.' }),
        subject('TOAN', 'Toán', 'Phạm Văn Bình', ['10.0', '9.5', '9.7'], { comment: 'Xuất sắc.' }),
        subject('NN1', 'Ngoại ngữ 1 (Tiếng Anh)', 'Đỗ Minh Châu', ['6.0', '4.5', '5.0'], { reassessment: score('6.5') }),
        { code: 'GDTC', name: 'Giáo dục thể chất', form: 'comment', teacherName: 'Vũ Quang Dũng', semesterI: comment('D'), semesterII: comment('CD'), year: comment('D'), reassessment: comment('D'), comment: 'Đạt.' },
        { code: 'HDTN', name: 'Hoạt động trải nghiệm, hướng nghiệp', form: 'comment', teacherName: 'Ngô Thị Én', semesterI: comment('D'), semesterII: comment('D'), year: comment('D'), reassessment: null, comment: null },
        subject('GDQPAN', 'Giáo dục quốc phòng và an ninh', 'Hoàng Văn Giang', ['0.0', '9.0', '6.0']),
      ],
      conduct: { semesterI: 'kha', semesterII: 'tot', year: 'tot', afterSummer: null },
      learning: { semesterI: 'dat', semesterII: 'chua_dat', year: 'chua_dat', afterSummer: 'dat' },
      absences: { excused: 3, unexcused: 1 },
      promotion: 'promoted_after_reassessment',
      award: null,
      homeroom: { teacherName: 'Bùi Thị Hạnh', comment: 'Chăm ngoan, tích cực tham gia hoạt động của lớp.' },
    },
    frozenAt: '2026-05-31T09:15:00.000Z',
  };
}

/** Every optional field null, an exempt subject, no subjects' comments. */
export function sparseSnapshot(): RecordSnapshot {
  const s = fullSnapshot();
  for (const k of Object.keys(s.identity) as (keyof typeof s.identity)[]) {
    if (k !== 'fullName' && k !== 'className' && k !== 'grade') (s.identity as unknown as Record<string, null>)[k] = null;
  }
  s.year.subjects = [
    { code: 'GDTC', name: 'Giáo dục thể chất', form: 'comment', teacherName: 'Vũ Quang Dũng', semesterI: { kind: 'exempt' }, semesterII: { kind: 'exempt' }, year: { kind: 'exempt' }, reassessment: null, comment: null },
    subject('TH', 'Tin học', 'Lý Văn Khoa', ['8.0', '8.0', '8.0']),
  ];
  s.year.learning.afterSummer = null;
  s.year.conduct.afterSummer = null;
  s.year.award = null;
  s.year.promotion = 'promoted';
  s.year.homeroom.comment = null;
  return s;
}

/** Text that needs escaping, Vietnamese diacritics, tabs and line breaks. */
export function trickySnapshot(): RecordSnapshot {
  const s = fullSnapshot();
  s.identity.fullName = 'Đặng Thị Ánh Nguyệt';
  s.identity.address = 'Số 5 "Ngõ Trạm" & <Hàng Bông>, Phường Hoàn Kiếm';
  s.school.name = "Trường THPT Lê Quý Đôn – 'Đống Đa'";
  s.year.subjects[0]!.comment = 'Điểm < 5 & > 3: "cần cố gắng"\nDòng hai\tcó tab\r\nvà CRLF ]]> cuối.';
  s.year.homeroom.comment = '  Khoảng trắng đầu cuối  ';
  s.year.subjects[1]!.code = 'TOAN_NC';
  return s;
}

/** The same data as `fullSnapshot`, with every object's keys inserted in reverse order. */
export function reorderedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reorderedKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).reverse()) out[k] = reorderedKeys((value as Record<string, unknown>)[k]);
  return out as T;
}
