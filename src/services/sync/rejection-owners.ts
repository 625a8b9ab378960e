/**
 * Who must fix a rejection (docs/sync.md "Rejection codes"): identity errors go to the class's
 * homeroom teacher (GVCN), marks to the subject teacher (GVBM), seal problems to the clerk
 * (văn thư), format problems to the IT officer. Kept in one table: the Ministry's list of
 * codes is not published, so this is where it will be corrected.
 */
export type RejectionOwner = 'homeroom' | 'subject_teacher' | 'clerk' | 'it';

const BY_PREFIX: Array<{ prefix: string; owner: RejectionOwner }> = [
  { prefix: 'HBS-E1', owner: 'homeroom' },
  { prefix: 'VNEID-E1', owner: 'homeroom' },
  { prefix: 'HBS-E2', owner: 'subject_teacher' },
  { prefix: 'HBS-E3', owner: 'clerk' },
];

export const OWNER_LABELS: Record<RejectionOwner, string> = {
  homeroom: 'GVCN của lớp (thông tin định danh)',
  subject_teacher: 'Giáo viên bộ môn (điểm, kết quả môn học)',
  clerk: 'Văn thư (chữ ký số, con dấu)',
  it: 'Cán bộ phụ trách CNTT (định dạng, cấu hình)',
};

/** The owner of a rejection code (unknown codes: the IT officer looks first). */
export function rejectionOwner(code: string | null): RejectionOwner {
  if (!code) return 'it';
  return BY_PREFIX.find((p) => code.startsWith(p.prefix))?.owner ?? 'it';
}
