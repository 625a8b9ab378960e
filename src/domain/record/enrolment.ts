/**
 * A student's enrolment lifecycle in one school: which moves are possible from which state
 * (DOMAIN.md: transfers between schools, drop-outs, graduation). Pure.
 */
export type EnrolmentStatus = 'active' | 'moved' | 'transferred_out' | 'dropped_out' | 'graduated';
export type LeaveKind = 'transferred_out' | 'dropped_out' | 'graduated';

export const ENROLMENT_STATUS_LABELS: Record<EnrolmentStatus, { vi: string; en: string }> = {
  active: { vi: 'Đang học', en: 'Studying' },
  moved: { vi: 'Chuyển lớp', en: 'Moved to another class' },
  transferred_out: { vi: 'Chuyển trường', en: 'Transferred out' },
  dropped_out: { vi: 'Thôi học', en: 'Dropped out' },
  graduated: { vi: 'Tốt nghiệp', en: 'Graduated' },
};

/** Why a leave is refused, or null. Graduation is only from grade 12. */
export function leaveProblem(kind: LeaveKind, grade: number): { vi: string; en: string } | null {
  if (kind === 'graduated' && grade !== 12) return { vi: 'Chỉ học sinh lớp 12 mới tốt nghiệp.', en: 'Only grade-12 students graduate.' };
  return null;
}

/** Why a move between classes is refused, or null: same year, another class. */
export function moveProblem(from: { classId: string; schoolYearId: string }, to: { classId: string; schoolYearId: string }): { vi: string; en: string } | null {
  if (from.classId === to.classId) return { vi: 'Học sinh đã ở lớp này.', en: 'The student is already in this class.' };
  if (from.schoolYearId !== to.schoolYearId) return { vi: 'Chỉ chuyển sang lớp của cùng năm học.', en: 'Only to a class of the same school year.' };
  return null;
}
