/**
 * The sections of the printed học bạ (DOMAIN.md §3): title, identity block, the year page
 * (subject table with the subject teachers' signatures, conduct and learning, absences,
 * promotion, award, homeroom comment); the signature area is in signature-area.ts. Labels come
 * from the domain tables wherever one exists.
 */
import { AWARD_LABELS } from '../../domain/assessment/awards.ts';
import { LEVEL_LABELS, type Level } from '../../domain/assessment/levels.ts';
import { PROMOTION_OUTCOME_LABELS } from '../../domain/assessment/promotion.ts';
import { STUDENT_FIELDS, type StudentField } from '../../domain/identity/student-record.ts';
import { ROLE_LABELS } from '../../domain/policies/roles.ts';
import type { LevelsByPeriod, RecordSnapshot } from '../../domain/record/snapshot.ts';
import { viDate, viEthnicity, viGender, viResult, viSchoolYear } from './format-vi.ts';
import type { PreparedSignature } from './signature-blocks.ts';
import type { Column, Run, Sheet } from './sheet.ts';

const BODY = 11;
const TABLE = 10;
const SECTION = 12;
const EMPTY = '—';

function rule(sheet: Sheet, x1: number, x2: number, y: number, width = 0.6): void {
  sheet.doc.lineWidth(width).strokeColor('#000000').moveTo(x1, y).lineTo(x2, y).stroke();
}

/** The heading block: school and national motto side by side, then "HỌC BẠ", level and year. */
export function drawTitle(sheet: Sheet, s: RecordSnapshot): void {
  const { box } = sheet;
  const size = 10.5;
  const lh = sheet.lineHeight(size);
  const rightWidth = 250;
  const gap = 12;
  const leftWidth = sheet.width - rightWidth - gap;
  const top = sheet.y;

  // Left: province and school (uppercase, as on official headings).
  let y = top;
  for (const line of sheet.wrap(s.school.province.toUpperCase(), leftWidth, 'regular', size)) {
    sheet.putCentred(line, box.left, leftWidth, y, 'regular', size);
    y += lh;
  }
  for (const line of sheet.wrap(s.school.name.toUpperCase(), leftWidth, 'bold', size)) {
    sheet.putCentred(line, box.left, leftWidth, y, 'bold', size);
    y += lh;
  }
  const leftMid = box.left + leftWidth / 2;
  rule(sheet, leftMid - 30, leftMid + 30, y + 2, 0.5);
  const leftBottom = y + 4;

  // Right: the national title and motto.
  const rx = box.right - rightWidth;
  sheet.putCentred('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rx, rightWidth, top, 'bold', size);
  const motto = 'Độc lập – Tự do – Hạnh phúc';
  sheet.putCentred(motto, rx, rightWidth, top + lh, 'bold', size + 0.5);
  const mw = sheet.textWidth(motto, 'bold', size + 0.5);
  rule(sheet, rx + (rightWidth - mw) / 2, rx + (rightWidth + mw) / 2, top + 2 * lh + 3.5, 0.5);
  const rightBottom = top + 2 * lh + 4;

  sheet.y = Math.max(leftBottom, rightBottom) + 26;
  sheet.paragraph('HỌC BẠ', { face: 'bold', size: 26, align: 'center', gapAfter: 2 });
  const level = s.identity.grade >= 10 ? 'TRUNG HỌC PHỔ THÔNG' : 'TRUNG HỌC CƠ SỞ';
  sheet.paragraph(level, { face: 'bold', size: 13, align: 'center', gapAfter: 2 });
  sheet.paragraph(`Năm học ${viSchoolYear(s.schoolYear)} – Lớp ${s.identity.className}`, { size: 12, align: 'center', gapAfter: 2 });
  sheet.paragraph(`Mã trường: ${s.school.code}`, { face: 'italic', size: 10, align: 'center', gapAfter: 18 });
}

function heading(sheet: Sheet, text: string): void {
  sheet.ensure(sheet.lineHeight(SECTION) * 3);
  sheet.paragraph(text, { face: 'bold', size: SECTION, gapAfter: 5 });
}

/** One or two label–value fields on a row; long values wrap inside their half. */
function fieldRow(sheet: Sheet, fields: [string, string][]): void {
  const gap = 14;
  const colWidth = fields.length === 1 ? sheet.width : (sheet.width - gap) / 2;
  const height = Math.max(...fields.map(([l, v]) => sheet.labelledHeight(l, v, colWidth, BODY)));
  sheet.ensure(height);
  fields.forEach(([label, value], i) => sheet.labelled(label, value, sheet.box.left + i * (colWidth + gap), colWidth, BODY));
  sheet.y += height + 3;
}

/** The identity block, labels from STUDENT_FIELDS. */
export function drawIdentity(sheet: Sheet, s: RecordSnapshot): void {
  const id = s.identity;
  const text = (v: string | null) => v ?? EMPTY;
  const value: Record<StudentField, string> = {
    fullName: id.fullName,
    gender: id.gender === null ? EMPTY : viGender(id.gender),
    birthDate: id.birthDate === null ? EMPTY : viDate(id.birthDate),
    birthPlace: text(id.birthPlace),
    ethnicityCode: id.ethnicityCode === null ? EMPTY : viEthnicity(id.ethnicityCode),
    nationality: text(id.nationality),
    personalId: text(id.personalId),
    studentCode: text(id.studentCode),
    hometown: text(id.hometown),
    address: text(id.address),
    phone: text(id.phone),
    policyStatus: text(id.policyStatus),
    fatherName: text(id.fatherName),
    fatherOccupation: text(id.fatherOccupation),
    motherName: text(id.motherName),
    motherOccupation: text(id.motherOccupation),
    guardianName: text(id.guardianName),
    guardianOccupation: text(id.guardianOccupation),
  };
  const f = (k: StudentField): [string, string] => [STUDENT_FIELDS[k].vi, value[k]];
  heading(sheet, 'I. THÔNG TIN HỌC SINH');
  fieldRow(sheet, [f('fullName')]);
  fieldRow(sheet, [f('gender'), f('birthDate')]);
  fieldRow(sheet, [f('birthPlace')]);
  fieldRow(sheet, [f('ethnicityCode'), f('nationality')]);
  fieldRow(sheet, [f('personalId'), f('studentCode')]);
  fieldRow(sheet, [f('hometown')]);
  fieldRow(sheet, [f('address')]);
  fieldRow(sheet, [f('phone'), f('policyStatus')]);
  fieldRow(sheet, [f('fatherName'), f('fatherOccupation')]);
  fieldRow(sheet, [f('motherName'), f('motherOccupation')]);
  fieldRow(sheet, [f('guardianName'), f('guardianOccupation')]);
  sheet.moveDown(12);
}

const level = (l: Level | null) => (l === null ? '' : LEVEL_LABELS[l].vi);
const levelCells = (l: LevelsByPeriod): Run[][] => [[{ text: level(l.semesterI) }], [{ text: level(l.semesterII) }], [{ text: level(l.year), face: 'bold' }], [{ text: level(l.afterSummer) }]];

/**
 * What a subject teacher's signature adds to their row, under their name, as the paper học bạ
 * has the teacher sign in that column: "Ký số: 2026-06-25T09:19:01+07:00" (with the signer's
 * name first when someone other than the row's teacher signed).
 */
function signedRun(row: { teacherName: string }, sig: PreparedSignature | undefined): Run[] {
  if (!sig) return [];
  return [{ text: sig.fullName === row.teacherName ? `Ký số: ${sig.time}` : `Ký số: ${sig.fullName}, ${sig.time}` }];
}

/** The year page: subject table, conduct and learning, absences, promotion, award, homeroom comment. */
export function drawYear(sheet: Sheet, s: RecordSnapshot, bySubject: ReadonlyMap<string, PreparedSignature> = new Map()): void {
  const y = s.year;
  heading(sheet, `II. KẾT QUẢ HỌC TẬP VÀ RÈN LUYỆN NĂM HỌC ${viSchoolYear(s.schoolYear)}`);
  const w = sheet.width;
  const columns: Column[] = [
    { header: 'Môn học, hoạt động giáo dục', width: 118 },
    { header: 'HK I', width: 40, align: 'center' },
    { header: 'HK II', width: 40, align: 'center' },
    { header: 'Cả năm', width: 42, align: 'center' },
    { header: 'Kiểm tra lại', width: 48, align: 'center' },
    { header: 'Nhận xét, họ tên và chữ kí của giáo viên', width: w - 288, align: 'left' },
  ];
  const rows = y.subjects.map((r) => [
    [{ text: r.name }],
    [{ text: viResult(r.semesterI) }],
    [{ text: viResult(r.semesterII) }],
    [{ text: viResult(r.year), face: 'bold' as const }],
    [{ text: viResult(r.reassessment) }],
    [...(r.comment === null ? [] : [{ text: r.comment }]), { text: r.teacherName, face: 'italic' as const }, ...signedRun(r, bySubject.get(r.code))],
  ]);
  sheet.table(columns, rows, { size: TABLE, continued: '(tiếp theo)' });
  sheet.moveDown(10);

  const lw = 150;
  const rest = (w - lw) / 4;
  sheet.table(
    [
      { header: 'Kết quả', width: lw },
      { header: 'Học kì I', width: rest, align: 'center' },
      { header: 'Học kì II', width: rest, align: 'center' },
      { header: 'Cả năm', width: rest, align: 'center' },
      { header: 'Sau rèn luyện hè / kiểm tra lại', width: rest, align: 'center' },
    ],
    [
      [[{ text: 'Kết quả rèn luyện' }], ...levelCells(y.conduct)],
      [[{ text: 'Kết quả học tập' }], ...levelCells(y.learning)],
    ],
    { size: TABLE },
  );
  sheet.moveDown(10);

  const absent = y.absences.excused + y.absences.unexcused;
  fieldRow(sheet, [['Tổng số buổi nghỉ học cả năm', `${absent} (có phép: ${y.absences.excused}; không phép: ${y.absences.unexcused})`]]);
  fieldRow(sheet, [['Kết quả lên lớp', PROMOTION_OUTCOME_LABELS[y.promotion].vi]]);
  fieldRow(sheet, [['Khen thưởng', y.award === null ? 'Không' : AWARD_LABELS[y.award].vi]]);
  sheet.ensure(sheet.lineHeight(BODY) * 2);
  sheet.paragraph(`Nhận xét của ${ROLE_LABELS.homeroom_teacher.vi.toLowerCase()}:`, { size: BODY, gapAfter: 1 });
  sheet.paragraph(y.homeroom.comment ?? EMPTY, { size: BODY, indent: 14, gapAfter: 14 });
}
