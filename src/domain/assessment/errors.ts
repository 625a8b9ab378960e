/**
 * Problems the Circular 22 rules engine reports. The engine never throws for bad data:
 * it returns these as values (typed results), so a grade-book import can list every
 * problem at once. Codes are stable strings in the same `area.reason` style and the
 * same `{ vi, en }` + `{param}` message shape as `src/domain/errors.ts`, so they can be
 * merged into the shared `ERROR_MESSAGES` table (and its HTTP map) without renaming.
 */
export const ASSESSMENT_ERROR_MESSAGES = {
  'assessment.mark_empty': { vi: 'Chưa nhập điểm.', en: 'The mark is empty.' },
  'assessment.mark_not_a_number': {
    vi: '"{value}" không phải là điểm số (ví dụ hợp lệ: 8, 8,5 hoặc 8.5).',
    en: '"{value}" is not a mark (valid examples: 8, 8,5 or 8.5).',
  },
  'assessment.mark_out_of_range': {
    vi: 'Điểm {value} nằm ngoài thang điểm 10 (từ 0 đến 10).',
    en: 'The mark {value} is outside the 10-point scale (0 to 10).',
  },
  'assessment.mark_too_many_decimals': {
    vi: 'Điểm {value} có quá một chữ số thập phân (điểm lấy đến một chữ số thập phân).',
    en: 'The mark {value} has more than one decimal place (marks have at most one).',
  },
  'assessment.mark_not_tenths': {
    vi: 'Môn {subject}, học kì {semester}: giá trị {value} không phải là điểm tính theo phần mười (số nguyên 0–100).',
    en: 'Subject {subject}, semester {semester}: {value} is not a mark in tenths (an integer 0–100).',
  },
  'assessment.comment_result_invalid': {
    vi: '"{value}" không phải là kết quả nhận xét (Đ / Đạt hoặc CĐ / Chưa đạt).',
    en: '"{value}" is not a comment result (Đ / Đạt or CĐ / Chưa đạt).',
  },
  'assessment.too_many_regular_marks': {
    vi: 'Môn {subject}, học kì {semester}: có {given} điểm đánh giá thường xuyên, quy định là {required}.',
    en: 'Subject {subject}, semester {semester}: {given} regular marks given, {required} required.',
  },
  'assessment.invalid_periods': {
    vi: 'Môn {subject}: số tiết/năm "{value}" không hợp lệ.',
    en: 'Subject {subject}: invalid number of periods per year "{value}".',
  },
  'assessment.duplicate_subject': { vi: 'Môn {subject} xuất hiện nhiều lần.', en: 'Subject {subject} appears more than once.' },
  'assessment.invalid_absences': {
    vi: 'Số buổi nghỉ "{value}" không hợp lệ (phải là số nguyên không âm).',
    en: 'Absent sessions "{value}" is invalid (must be a non-negative integer).',
  },
  'assessment.reassessment_not_eligible': {
    vi: 'Môn {subject} không thuộc diện kiểm tra lại; kết quả kiểm tra lại của môn này bị bỏ qua.',
    en: 'Subject {subject} is not eligible for re-assessment; its re-assessment result is ignored.',
  },
  'assessment.invalid_level': {
    vi: '"{value}" không phải là mức đánh giá (Tốt, Khá, Đạt, Chưa đạt).',
    en: '"{value}" is not a level (Tốt, Khá, Đạt, Chưa đạt).',
  },
  'assessment.summer_route_not_applicable': {
    vi: 'Đã nhập kết quả {route} nhưng học sinh không thuộc diện này; kết quả bị bỏ qua.',
    en: '{route} results were given but the student is not on that route; they are ignored.',
  },
  'assessment.reassessment_unknown_subject': {
    vi: 'Kết quả kiểm tra lại cho môn {subject} không có trong danh sách môn học.',
    en: 'Re-assessment result for {subject}, which is not among the subjects.',
  },
} as const satisfies Record<string, { vi: string; en: string }>;

export type AssessmentErrorCode = keyof typeof ASSESSMENT_ERROR_MESSAGES;

/** A problem found in assessment input; `message` is English, use `localizeAssessmentError` for vi. */
export interface AssessmentError {
  ok: false;
  code: AssessmentErrorCode;
  params: Record<string, string | number>;
  message: string;
}

/** Builds an `AssessmentError` with its English message filled in. */
export function assessmentError(code: AssessmentErrorCode, params: Record<string, string | number> = {}): AssessmentError {
  return { ok: false, code, params, message: fill(ASSESSMENT_ERROR_MESSAGES[code].en, params) };
}

/** The problem's message in Vietnamese or English. */
export function localizeAssessmentError(error: AssessmentError, lang: 'vi' | 'en'): string {
  return fill(ASSESSMENT_ERROR_MESSAGES[error.code][lang], error.params);
}

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (k in params ? String(params[k]) : `{${k}}`));
}
