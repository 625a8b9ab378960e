/**
 * The exemption rule, in one place (DOMAIN.md §2.8 [L]). We found no article number we
 * trust for it in Circular 22, so none is cited. A wholly exempt subject is not assessed
 * and is left out of the level computation for that semester; a practical-part exemption
 * (GDTC) follows POLICY.practicalPartExemption.
 */
import type { Semester } from './levels.ts';
import { POLICY } from './rules.ts';
import type { Exemption } from './types.ts';

/** How an exemption affects one semester of a subject. */
export type ExemptionEffect = 'none' | 'excluded' | 'theory_only';

/** What the exemption (if any) does to the subject in `semester`. */
export function exemptionEffect(exemption: Exemption | null | undefined, semester: Semester): ExemptionEffect {
  if (!exemption) return 'none';
  const semesters = exemption.semesters ?? ['I', 'II'];
  if (!semesters.includes(semester)) return 'none';
  if (exemption.kind === 'whole_subject') return 'excluded';
  // [L] practical part only: assessed on the theory part (same assessments), unless the
  // policy says to treat it like a whole-subject exemption.
  return POLICY.practicalPartExemption === 'exclude' ? 'excluded' : 'theory_only';
}
