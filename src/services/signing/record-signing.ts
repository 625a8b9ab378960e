/**
 * Reading the signing state: the signatures of a version, its sealed PDF, the person's
 * "to sign" work (counts per class and step), and returning a record to the teacher.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { classes, enrolments, recordPdfs, recordSignatures, recordVersions, schoolYears, signingCertificates } from '../../db/schema.ts';
import { sealedPdfOf } from '../records/document-store.ts';
import { DomainError } from '../../domain/errors.ts';
import { canReadStudentRecord, hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import { decideSigning, RECORD_STATE_LABELS_VI, SIGNING_STEPS, STATE_BEFORE, type SigningStep } from '../../domain/record/signing-order.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { latestVersions } from '../records/record-states.ts';
import { storeRecordReturn } from '../corrections/returns.ts';
import { delegationsOf, loadRecord, loadRecords } from './record-facts.ts';
import type { ToSignRow } from '../../server/api-types.ts';

export type { ToSignRow };

async function assertReadable(tx: Tx, actor: ActorScope, studentId: string) {
  const [e] = await tx.select({ classId: enrolments.classId }).from(enrolments).where(and(eq(enrolments.studentId, studentId), eq(enrolments.status, 'active')));
  if (!canReadStudentRecord(actor, studentId, e?.classId ?? null)) throw new DomainError('forbidden');
}

/** The signatures of a record version in order (without the XML). */
export async function listRecordSignatures(opts: { db: Db; actor: ActorScope; schoolId: string; versionId: string }) {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [v] = await tx.select({ studentId: recordVersions.studentId, state: recordVersions.state, version: recordVersions.version }).from(recordVersions).where(eq(recordVersions.id, opts.versionId));
    if (!v) throw new DomainError('not_found', { what: 'bản học bạ / record version' });
    await assertReadable(tx, opts.actor, v.studentId);
    const rows = await tx
      .select({ seq: recordSignatures.seq, step: recordSignatures.step, signatureId: recordSignatures.signatureId, signerUserId: recordSignatures.signerUserId, claimedRole: recordSignatures.claimedRole, subjects: recordSignatures.subjects, delegationId: recordSignatures.delegationId, signedAt: recordSignatures.signedAt, xmlSha256: recordSignatures.xmlSha256, signer: signingCertificates.commonName, certificateSubject: signingCertificates.subject, certificateFingerprint: signingCertificates.fingerprint })
      .from(recordSignatures)
      .innerJoin(signingCertificates, eq(signingCertificates.id, recordSignatures.certificateId))
      .where(eq(recordSignatures.versionId, opts.versionId))
      .orderBy(asc(recordSignatures.seq));
    const [pdf] = await tx.select({ sha256: recordPdfs.sha256, createdAt: recordPdfs.createdAt }).from(recordPdfs).where(eq(recordPdfs.versionId, opts.versionId));
    return {
      versionId: opts.versionId,
      version: v.version,
      state: v.state,
      signatures: rows.map((r) => ({ ...r, signedAt: r.signedAt.toISOString() })),
      sealedPdf: pdf ? { sha256: pdf.sha256, createdAt: pdf.createdAt.toISOString() } : null,
    };
  });
}

/** The signed XML of a version as it stands (after its last signature). */
export async function currentRecordXml(opts: { db: Db; actor: ActorScope; schoolId: string; versionId: string }): Promise<{ xml: string; version: number; signatures: number }> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const rec = await loadRecord(tx, opts.versionId);
    await assertReadable(tx, opts.actor, rec.studentId);
    return { xml: rec.currentXml, version: rec.version, signatures: rec.lastSeq };
  });
}

/** The sealed PDF of a version (PAdES B-LT), or not_found before the seal. */
export async function sealedRecordPdf(opts: { db: Db; actor: ActorScope; schoolId: string; versionId: string }): Promise<{ pdf: Buffer; sha256: string; version: number; studentName: string }> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [v] = await tx.select({ studentId: recordVersions.studentId, version: recordVersions.version, snapshot: recordVersions.snapshot }).from(recordVersions).where(eq(recordVersions.id, opts.versionId));
    if (!v) throw new DomainError('not_found', { what: 'bản học bạ / record version' });
    await assertReadable(tx, opts.actor, v.studentId);
    const p = await sealedPdfOf(tx, opts.versionId);
    if (!p) throw new DomainError('not_found', { what: 'bản PDF đã đóng dấu / sealed PDF' });
    return { pdf: p.pdf, sha256: p.sha256, version: v.version, studentName: (v.snapshot as { identity: { fullName: string } }).identity.fullName };
  });
}

/**
 * The person's "to sign" work in the current school year: per class and step, how many
 * records they may sign now (decided by the same rules as prepare) and how many are still
 * waiting for an earlier step.
 */
export async function myToSign(opts: { db: Db; actor: ActorScope; schoolId: string; now?: Date }): Promise<ToSignRow[]> {
  const { actor } = opts;
  const now = opts.now ?? new Date();
  const steps = SIGNING_STEPS.filter((s) =>
    s === 'subject' ? actor.classSubjectIds.size > 0 : s === 'homeroom' ? actor.homeroomClassIds.size > 0 : s === 'principal' ? actor.roles.has('principal') || actor.roles.has('vice_principal') : actor.roles.has('clerk'),
  );
  if (steps.length === 0 || !hasPermission(actor.roles, 'records.sign')) return [];
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [year] = await tx.select({ id: schoolYears.id }).from(schoolYears).where(eq(schoolYears.isCurrent, true));
    if (!year) return [];
    const classIds = new Set<string>();
    if (steps.includes('principal') || steps.includes('seal')) for (const c of await tx.select({ id: classes.id }).from(classes).where(eq(classes.schoolYearId, year.id))) classIds.add(c.id);
    for (const c of actor.taughtClassIds) classIds.add(c);
    for (const c of actor.homeroomClassIds) classIds.add(c);
    if (classIds.size === 0) return [];
    const cls = await tx.select().from(classes).where(and(inArray(classes.id, [...classIds]), eq(classes.schoolYearId, year.id)));
    const enrolled = await tx.select({ studentId: enrolments.studentId, classId: enrolments.classId }).from(enrolments).where(and(inArray(enrolments.classId, cls.map((c) => c.id)), eq(enrolments.status, 'active')));
    const latest = await latestVersions(tx, year.id, enrolled.map((e) => e.studentId));
    const ids = [...latest.values()].filter((v) => v.state !== 'superseded').map((v) => v.id);
    const versions = ids.length ? await tx.select().from(recordVersions).where(inArray(recordVersions.id, ids)) : [];
    const records = await loadRecords(tx, versions);
    const signing = { userId: actor.userId, roles: [...actor.roles], delegations: steps.includes('principal') ? await delegationsOf(tx, actor.userId) : [] };
    const out: ToSignRow[] = [];
    const order = SIGNING_STEPS.indexOf.bind(SIGNING_STEPS);
    for (const c of cls.sort((a, b) => a.grade - b.grade || a.name.localeCompare(b.name, 'vi'))) {
      const mine = records.filter((r) => r.classId === c.id);
      for (const step of steps) {
        if (step === 'subject' && !actor.taughtClassIds.has(c.id)) continue;
        if (step === 'homeroom' && !actor.homeroomClassIds.has(c.id)) continue;
        let ready = 0;
        let waiting = 0;
        for (const r of mine) {
          const d = decideSigning(r.facts, step, signing, now);
          if (d.ok) ready += step === 'subject' ? d.decision.subjects.length : 1;
          else if (d.refusal.code === 'signing.wrong_state' && r.facts.state !== 'returned' && order(nextStepOf(r.facts.state)) < order(step)) waiting += 1;
        }
        if (ready || waiting) out.push({ classId: c.id, className: c.name, grade: c.grade, step, ready, waiting });
      }
    }
    return out;
  });
}

/** The step a record in `state` waits for (frozen → subject, …); 'seal' past the end. */
function nextStepOf(state: string): SigningStep {
  return SIGNING_STEPS.find((s) => STATE_BEFORE[s] === state) ?? 'seal';
}

/**
 * Returns a record version to the teachers with a reason: a signer of a later step than the
 * record has reached (homeroom teacher of the class, principal or delegate, clerk) or the
 * principal. The version goes to 'returned' (no step may be signed on it); the teacher files
 * a change request and the corrected record is frozen again as a new version, whose
 * signatures restart from the first step.
 */
export async function returnRecord(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; versionId: string; reason: string; now?: Date }) {
  const reason = opts.reason.normalize('NFC').trim();
  if (reason.length < 5 || reason.length > 1000) throw new DomainError('validation', { summary: 'reason: 5–1000 characters' });
  const { actor } = opts;
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const rec = await loadRecord(tx, opts.versionId, { lock: true });
    const state = rec.facts.state;
    if (state === 'sealed' || state === 'superseded' || state === 'returned') {
      throw new DomainError('signing.wrong_state', { step: 'Trả lại', state: RECORD_STATE_LABELS_VI[state], needed: 'đang trong quá trình ký (chưa đóng dấu)' });
    }
    const reached = SIGNING_STEPS.indexOf(nextStepOf(state));
    const isHomeroom = rec.facts.homeroomTeacherId === actor.userId;
    const delegated = actor.roles.has('vice_principal') && (await delegationsOf(tx, actor.userId)).length > 0;
    const allowed =
      actor.roles.has('principal') ||
      (delegated && reached <= SIGNING_STEPS.indexOf('principal')) ||
      (actor.roles.has('clerk') && reached <= SIGNING_STEPS.indexOf('seal')) ||
      (isHomeroom && reached <= SIGNING_STEPS.indexOf('homeroom'));
    if (!allowed) throw new DomainError('forbidden');
    await tx.update(recordVersions).set({ state: 'returned' }).where(eq(recordVersions.id, rec.versionId));
    await storeRecordReturn(tx, { schoolId: opts.schoolId, versionId: rec.versionId, fromState: state, reason, who: opts.who, userId: actor.userId, ...(opts.now ? { at: opts.now } : {}) });
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'record.returned', targetType: 'record_version', targetId: rec.versionId, before: { state }, after: { state: 'returned', reason, student: rec.snapshot.identity.fullName, className: rec.snapshot.identity.className, version: rec.version } });
    return { versionId: rec.versionId, state: 'returned' as const, previousState: state, reason };
  });
}

