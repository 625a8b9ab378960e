/**
 * Delegation of the principal's signature to a vice principal ("KT. Hiệu trưởng – Phó Hiệu
 * trưởng"): recorded with the decision number, the grades it covers and its validity dates
 * (DESIGN.md: "a delegate with a recorded, valid delegation: decision number, scope, dates").
 */
export interface Delegation {
  id: string;
  delegateId: string;
  /** Số quyết định, e.g. "45/QĐ-THPTHL1". */
  decisionNumber: string;
  /** Grades covered; empty means every grade. */
  grades: readonly number[];
  /** Inclusive dates, yyyy-mm-dd in Vietnam time. */
  validFrom: string;
  validTo: string;
  revokedAt: string | null;
}

export type DelegationProblem = 'revoked' | 'not_yet_valid' | 'expired' | 'out_of_scope';

/** Vietnam calendar date (UTC+7, no daylight saving) of an instant, as yyyy-mm-dd. */
export function vietnamDate(at: Date): string {
  return new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** Why a delegation cannot be used for a record of `grade` at `at` (null: it can). */
export function delegationProblem(d: Delegation, grade: number, at: Date): DelegationProblem | null {
  if (d.revokedAt !== null && d.revokedAt <= at.toISOString()) return 'revoked';
  const day = vietnamDate(at);
  if (day < d.validFrom) return 'not_yet_valid';
  if (day > d.validTo) return 'expired';
  if (d.grades.length > 0 && !d.grades.includes(grade)) return 'out_of_scope';
  return null;
}

/** Checks a delegation as entered: decision number present, dates in order, grades 10–12. */
export function delegationInputProblems(d: Pick<Delegation, 'decisionNumber' | 'grades' | 'validFrom' | 'validTo'>): string[] {
  const out: string[] = [];
  if (!d.decisionNumber.trim()) out.push('decisionNumber');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.validFrom)) out.push('validFrom');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.validTo)) out.push('validTo');
  if (!out.includes('validFrom') && !out.includes('validTo') && d.validTo < d.validFrom) out.push('validTo');
  if (d.grades.some((g) => ![10, 11, 12].includes(g))) out.push('grades');
  return out;
}
