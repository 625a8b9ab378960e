/**
 * The legal signing order of a record version (DOMAIN.md §1, §5; DESIGN.md "The record and
 * its lifecycle"): every subject teacher signs their subject rows → the homeroom teacher
 * signs the year block and every earlier signature → the principal (or a vice principal
 * under a recorded delegation) approves the whole record → the clerk applies the school
 * seal. Pure: the services load the facts, this decides.
 */
import type { Delegation } from './delegation.ts';
import { delegationProblem } from './delegation.ts';

// 'returned': a signer sent the version back with a reason; no step may be signed on it, and
// the teacher's correction is re-frozen as a new version (signatures restart).
export const RECORD_STATES = ['frozen', 'subjects_signed', 'homeroom_signed', 'approved', 'sealed', 'superseded', 'returned'] as const;
export type RecordState = (typeof RECORD_STATES)[number];

/** Vietnamese names of the states, for messages and lists (English in the web's i18n). */
export const RECORD_STATE_LABELS_VI: Record<RecordState, string> = {
  frozen: 'đã chốt, chờ GVBM ký',
  subjects_signed: 'GVBM đã ký, chờ GVCN',
  homeroom_signed: 'GVCN đã ký, chờ Hiệu trưởng',
  approved: 'Hiệu trưởng đã duyệt, chờ đóng dấu',
  sealed: 'đã đóng dấu',
  superseded: 'đã được thay bằng phiên bản mới',
  returned: 'bị trả lại để sửa',
};

export const SIGNING_STEPS = ['subject', 'homeroom', 'principal', 'seal'] as const;
export type SigningStep = (typeof SIGNING_STEPS)[number];

/** The state a record version reaches when a step completes. */
export const STATE_AFTER: Record<SigningStep, RecordState> = {
  subject: 'subjects_signed',
  homeroom: 'homeroom_signed',
  principal: 'approved',
  seal: 'sealed',
};

/** The state in which a step may be signed. */
export const STATE_BEFORE: Record<SigningStep, RecordState> = {
  subject: 'frozen',
  homeroom: 'subjects_signed',
  principal: 'homeroom_signed',
  seal: 'approved',
};

/** Claimed roles written into the signatures (DESIGN.md "HBS XML"). */
export const CLAIMED_ROLES = {
  subject: 'Giáo viên bộ môn',
  homeroom: 'Giáo viên chủ nhiệm',
  principal: 'Hiệu trưởng',
  delegatedPrincipal: 'KT. Hiệu trưởng – Phó Hiệu trưởng',
  seal: 'Văn thư',
} as const;

/** Signature element Ids inside a record document: stable, so later signatures can reference earlier ones. */
export const signatureId = {
  subject: (code: string) => `sig-subject-${code}`,
  homeroom: 'sig-homeroom',
  principal: 'sig-principal',
  seal: 'sig-seal',
} as const;

/** The facts about one record version that decide who may sign what. */
export interface RecordSigningFacts {
  state: RecordState;
  /** Grade (10, 11, 12) of the record's class: delegations may be limited to grades. */
  grade: number;
  /** Each subject row of the snapshot, its assigned teacher (at freeze time) and whether it is signed. */
  subjects: { code: string; teacherId: string | null; signed: boolean }[];
  homeroomTeacherId: string | null;
}

export interface SigningActor {
  userId: string;
  /** The actor's roles in the record's school. */
  roles: readonly string[];
  /** Delegations recorded for this actor (a vice principal signing for the principal). */
  delegations?: readonly Delegation[];
}

export type SigningRefusal =
  | { code: 'signing.wrong_state'; state: RecordState; step: SigningStep; needed: RecordState }
  | { code: 'signing.not_assigned'; step: SigningStep; subjects?: string[] }
  | { code: 'signing.already_signed'; step: SigningStep; subjects?: string[] }
  | { code: 'signing.nothing_to_sign'; step: SigningStep }
  | { code: 'signing.no_delegation'; reason: string };

export interface SigningDecision {
  /** Subject codes this signature covers (subject step only). */
  subjects: string[];
  /** The role written into the signature. */
  claimedRole: string;
  /** The delegation used (vice principal signing for the principal). */
  delegation: Delegation | null;
  /** Ids of the data elements to reference, resolved by the format adapter: 'subjects' rows, 'year' block or 'record'. */
  scope: 'subjects' | 'year' | 'record';
  /** Whether the signature also covers every earlier signature. */
  coversEarlierSignatures: boolean;
  /** Whether a trusted timestamp is required (the seal). */
  timestamp: boolean;
}

/**
 * May `actor` sign `step` on this record now? For the subject step, `subjects` narrows to
 * some of the actor's rows (default: all their unsigned rows). Returns the decision or the
 * reason it is refused.
 */
export function decideSigning(
  facts: RecordSigningFacts,
  step: SigningStep,
  actor: SigningActor,
  at: Date,
  subjects?: readonly string[],
): { ok: true; decision: SigningDecision } | { ok: false; refusal: SigningRefusal } {
  const needed = STATE_BEFORE[step];
  if (facts.state !== needed) return { ok: false, refusal: { code: 'signing.wrong_state', state: facts.state, step, needed } };
  const base = { delegation: null, coversEarlierSignatures: step !== 'subject', timestamp: step === 'seal' };
  switch (step) {
    case 'subject': {
      const requested = subjects ? [...new Set(subjects)] : null;
      const rows = requested ? facts.subjects.filter((s) => requested.includes(s.code)) : facts.subjects.filter((s) => s.teacherId === actor.userId);
      const unknown = requested ? requested.filter((c) => !facts.subjects.some((s) => s.code === c)) : [];
      const notMine = rows.filter((s) => s.teacherId !== actor.userId).map((s) => s.code);
      if (unknown.length || notMine.length) return { ok: false, refusal: { code: 'signing.not_assigned', step, subjects: [...unknown, ...notMine] } };
      if (rows.length === 0) return { ok: false, refusal: { code: 'signing.not_assigned', step } };
      const signed = rows.filter((s) => s.signed).map((s) => s.code);
      if (requested && signed.length) return { ok: false, refusal: { code: 'signing.already_signed', step, subjects: signed } };
      const todo = rows.filter((s) => !s.signed).map((s) => s.code);
      if (todo.length === 0) return { ok: false, refusal: { code: 'signing.already_signed', step, subjects: signed } };
      return { ok: true, decision: { ...base, subjects: todo, claimedRole: CLAIMED_ROLES.subject, scope: 'subjects' } };
    }
    case 'homeroom':
      if (facts.homeroomTeacherId !== actor.userId) return { ok: false, refusal: { code: 'signing.not_assigned', step } };
      return { ok: true, decision: { ...base, subjects: [], claimedRole: CLAIMED_ROLES.homeroom, scope: 'year' } };
    case 'principal': {
      if (actor.roles.includes('principal')) return { ok: true, decision: { ...base, subjects: [], claimedRole: CLAIMED_ROLES.principal, scope: 'record' } };
      if (!actor.roles.includes('vice_principal')) return { ok: false, refusal: { code: 'signing.not_assigned', step } };
      const delegations = actor.delegations ?? [];
      const usable = delegations.find((d) => d.delegateId === actor.userId && delegationProblem(d, facts.grade, at) === null);
      if (!usable) {
        const reason = delegations.length === 0 ? 'none' : delegationProblem(delegations[0]!, facts.grade, at) ?? 'none';
        return { ok: false, refusal: { code: 'signing.no_delegation', reason } };
      }
      return { ok: true, decision: { ...base, subjects: [], claimedRole: CLAIMED_ROLES.delegatedPrincipal, scope: 'record', delegation: usable } };
    }
    case 'seal':
      if (!actor.roles.includes('clerk')) return { ok: false, refusal: { code: 'signing.not_assigned', step } };
      return { ok: true, decision: { ...base, subjects: [], claimedRole: CLAIMED_ROLES.seal, scope: 'record' } };
  }
}

/** The state after a signature of `step` covering `signedSubjects` is added. */
export function stateAfterSigning(facts: RecordSigningFacts, step: SigningStep, signedSubjects: readonly string[]): RecordState {
  if (step !== 'subject') return STATE_AFTER[step];
  const remaining = facts.subjects.filter((s) => !s.signed && !signedSubjects.includes(s.code));
  return remaining.length === 0 ? 'subjects_signed' : 'frozen';
}

/** Why a subject teacher must sign a corrected version again (null: their signature carries forward). */
export type ResignReason = 'not_signed' | 'certificate_revoked' | 'teacher_changed' | 'changed';

/**
 * Signatures restart from the affected step (docs/corrections.md): homeroom, principal and seal
 * always sign a corrected version again (they cover the whole record and every earlier
 * signature); a subject teacher's signature over their own row carries forward only when the
 * row was signed, the certificate is not revoked since, the row's teacher is still the signer,
 * and the row is byte-identical after c14n. The caller still verifies the carried signature over
 * the new document and treats a failure as 'changed'.
 */
export function subjectCarryProblem(f: { signed: boolean; certificateRevoked: boolean; signerUserId: string | null; teacherId: string | null; rowUnchanged: boolean }): ResignReason | null {
  if (!f.signed) return 'not_signed';
  if (f.certificateRevoked) return 'certificate_revoked';
  if (!f.teacherId || f.teacherId !== f.signerUserId) return 'teacher_changed';
  if (!f.rowUnchanged) return 'changed';
  return null;
}
