/**
 * The school-year plan as data: its stages (giai đoạn) in order and the default template —
 * the 2025–2026 plan of Trường THPT Hậu Lộc I (DOMAIN.md §1). Dates the source plan gives
 * are marked [H]; the others are this project's reading of "Feb–Apr", "May" and "June"
 * ([L], a school edits them). Grade 12 is signed earlier: fully signed by 20 May.
 */

/** The stages, in the order they happen (the order dates are validated in). */
export const PLAN_STAGES = [
  'data_cleaning', // làm sạch dữ liệu học sinh
  'marks_s1', // nhập và nộp điểm học kỳ I
  'marks_s2', // nhập và nộp điểm học kỳ II, cả năm
  'freeze', // chốt dữ liệu học bạ
  'sign_subject', // GVBM ký
  'sign_homeroom', // GVCN ký
  'sign_principal', // Hiệu trưởng (hoặc PHT được ủy quyền) duyệt và ký
  'seal', // văn thư đóng dấu số
  'sync', // đồng bộ lên CSDL ngành
] as const;
export type PlanStage = (typeof PLAN_STAGES)[number];

export const PLAN_STAGE_LABELS: Record<PlanStage, { vi: string; en: string }> = {
  data_cleaning: { vi: 'Làm sạch dữ liệu học sinh', en: 'Clean student data' },
  marks_s1: { vi: 'Nhập và nộp điểm học kỳ I', en: 'Enter and submit semester I marks' },
  marks_s2: { vi: 'Nhập và nộp điểm học kỳ II', en: 'Enter and submit semester II marks' },
  freeze: { vi: 'Chốt dữ liệu học bạ', en: 'Freeze the records' },
  sign_subject: { vi: 'Giáo viên bộ môn ký', en: 'Subject teachers sign' },
  sign_homeroom: { vi: 'Giáo viên chủ nhiệm ký', en: 'Homeroom teachers sign' },
  sign_principal: { vi: 'Hiệu trưởng duyệt, ký', en: 'Principal approves and signs' },
  seal: { vi: 'Văn thư đóng dấu số', en: 'Clerk applies the seal' },
  sync: { vi: 'Đồng bộ lên CSDL ngành', en: 'Sync to the sector database' },
};

/** One dated row of a plan: a stage for every grade (grade null) or for one grade. */
export interface PlanRow {
  stage: PlanStage;
  /** null: every grade without a row of its own. */
  grade: 10 | 11 | 12 | null;
  /** YYYY-MM-DD, Vietnam time. */
  startsOn: string;
  /** YYYY-MM-DD, Vietnam time: the deadline is the end of this day. */
  dueOn: string;
}

/** The school year the template was written for; other years shift it by whole years. */
export const TEMPLATE_END_YEAR = 2026;

/** Hậu Lộc I, 2025–2026. */
export const HAU_LOC_1_PLAN_2025_2026: readonly PlanRow[] = [
  { stage: 'data_cleaning', grade: null, startsOn: '2026-02-01', dueOn: '2026-04-30' }, // [H] Feb–Apr
  { stage: 'marks_s1', grade: null, startsOn: '2025-12-15', dueOn: '2026-01-17' }, // [L] end of semester I
  { stage: 'marks_s2', grade: 12, startsOn: '2026-04-01', dueOn: '2026-05-08' }, // [L] grade 12 first
  { stage: 'marks_s2', grade: null, startsOn: '2026-04-15', dueOn: '2026-05-25' }, // [H] May: final marks
  { stage: 'freeze', grade: 12, startsOn: '2026-05-08', dueOn: '2026-05-11' }, // [L]
  { stage: 'freeze', grade: null, startsOn: '2026-05-25', dueOn: '2026-06-05' }, // [L] after the May cross-check
  { stage: 'sign_subject', grade: 12, startsOn: '2026-05-11', dueOn: '2026-05-14' }, // [L]
  { stage: 'sign_subject', grade: null, startsOn: '2026-06-01', dueOn: '2026-06-15' }, // [H] GVBM by 15 June
  { stage: 'sign_homeroom', grade: 12, startsOn: '2026-05-14', dueOn: '2026-05-16' }, // [L]
  { stage: 'sign_homeroom', grade: null, startsOn: '2026-06-15', dueOn: '2026-06-20' }, // [H] GVCN by 20 June
  { stage: 'sign_principal', grade: 12, startsOn: '2026-05-16', dueOn: '2026-05-18' }, // [L]
  { stage: 'sign_principal', grade: null, startsOn: '2026-06-20', dueOn: '2026-06-25' }, // [H] principal by 25 June
  { stage: 'seal', grade: 12, startsOn: '2026-05-18', dueOn: '2026-05-20' }, // [H] grade 12 fully signed by 20 May
  { stage: 'seal', grade: null, startsOn: '2026-06-25', dueOn: '2026-06-30' }, // [H] seal by 30 June
  { stage: 'sync', grade: null, startsOn: '2026-06-01', dueOn: '2026-06-30' }, // [H] 1–30 June
];

/** A YYYY-MM-DD date moved by whole years (29 Feb → 28 Feb). */
export function shiftYears(day: string, years: number): string {
  const y = Number(day.slice(0, 4)) + years;
  let md = day.slice(5);
  if (md === '02-29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) md = '02-28';
  return `${String(y).padStart(4, '0')}-${md}`;
}

/** The default plan for a school year ending in `endYear` (the template shifted by years). */
export function defaultPlan(endYear: number): PlanRow[] {
  const d = endYear - TEMPLATE_END_YEAR;
  return HAU_LOC_1_PLAN_2025_2026.map((r) => ({ ...r, startsOn: shiftYears(r.startsOn, d), dueOn: shiftYears(r.dueOn, d) }));
}
