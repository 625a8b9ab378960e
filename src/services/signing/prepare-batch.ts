/**
 * Batch signing, step 1: the person picks what to sign (some record versions, a class, a
 * grade or the whole school) and their step; for each record the legal-order rules decide
 * (decideSigning) and an allowed one gets its XAdES signature prepared over the record's
 * current document. The digests go to the person's key (USB token through the local agent,
 * a remote CSC service, or a server-held key); nothing is written to the records here.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { classes, enrolments, recordVersions, schoolYears, signingBatches, signingBatchItems } from '../../db/schema.ts';
import { hbsV1 } from '../../documents/hbs-xml/hbs-v1.ts';
import { DomainError, type ErrorCode } from '../../domain/errors.ts';
import { compareVietnameseNames } from '../../domain/identity/names.ts';
import { hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import { decideSigning, signatureId, SIGNING_STEPS, type SigningDecision, type SigningStep } from '../../domain/record/signing-order.ts';
import { prepareXadesSignature, readXadesSignatures, type XadesSigningState } from '../../signing/xades/index.ts';
import type { SignatureAlgorithm } from '../../signing/signer.ts';
import type { Actor } from '../audit/append-audit.ts';
import { activeCertificate, checkCertificateNow, type SigningCertificate } from '../certificates/signing-certificates.ts';
import { latestVersions } from '../records/record-states.ts';
import { delegationsOf, loadRecords, type LoadedRecord } from './record-facts.ts';
import { algorithmFor, DEFAULT_BATCH_HOURS, engineError, refusalError, type SigningEnv } from './signing-env.ts';
import type { ItemLabel } from '../../server/api-types.ts';

export type { ItemLabel };

export type SigningTarget = { versionIds: string[] } | { classId: string } | { grade: number } | { school: true };

export interface PreparedItem {
  itemId: string;
  versionId: string;
  signatureId: string;
  /** base64 of the digest the key signs. */
  digest: string;
  label: ItemLabel;
}

export interface RefusedItem {
  itemId: string;
  versionId: string;
  label: ItemLabel;
  code: string;
  params: Record<string, string | number>;
  /** In Vietnamese; the routes localise from code + params. */
  message: string;
}

export interface PreparedBatch {
  batchId: string;
  step: SigningStep;
  algorithm: SignatureAlgorithm;
  certificate: { id: string; subject: string; fingerprint: string; notAfter: string };
  expiresAt: string;
  items: PreparedItem[];
  refused: RefusedItem[];
}

/** The largest batch: a whole school's records for one step (≈1,500) with room to spare. */
export const MAX_BATCH_RECORDS = 5_000;

/** Whose certificate signs a step: the school seal for 'seal', the person otherwise. */
export const certificateOwner = (step: SigningStep, userId: string): string | null => (step === 'seal' ? null : userId);

/** The persisted prepared state: the document copy is dropped (rebuilt from base_seq at complete) to keep rows small. */
export type StoredState = Omit<XadesSigningState, 'xml'>;

/** The signer's certificate, checked now (validity, chain, revocation); refusal names why. */
export async function usableCertificate(tx: Tx, env: SigningEnv, schoolId: string, step: SigningStep, userId: string, certificateId?: string): Promise<SigningCertificate> {
  const cert = await activeCertificate(tx, schoolId, certificateOwner(step, userId));
  if (!cert) throw new DomainError('signing.no_certificate', { who: step === 'seal' ? 'con dấu của trường / the school seal' : 'bạn / you' });
  if (certificateId && cert.id !== certificateId) throw new DomainError('signing.certificate_changed');
  const check = await checkCertificateNow(cert, env.trust);
  if (!check.ok) throw new DomainError('signing.certificate_invalid', { reason: `${check.reason}: ${check.message}` });
  return cert;
}

async function targetVersions(tx: Tx, target: SigningTarget) {
  if ('versionIds' in target) {
    if (target.versionIds.length === 0) return [];
    return tx.select().from(recordVersions).where(inArray(recordVersions.id, [...new Set(target.versionIds)]));
  }
  const [year] = await tx.select({ id: schoolYears.id }).from(schoolYears).where(eq(schoolYears.isCurrent, true));
  let classIds: string[];
  let yearId: string;
  if ('classId' in target) {
    const [cls] = await tx.select().from(classes).where(eq(classes.id, target.classId));
    if (!cls) throw new DomainError('not_found', { what: 'lớp / class' });
    classIds = [cls.id];
    yearId = cls.schoolYearId;
  } else {
    if (!year) throw new DomainError('not_found', { what: 'năm học hiện tại / current school year' });
    yearId = year.id;
    const rows = await tx
      .select({ id: classes.id })
      .from(classes)
      .where('grade' in target ? and(eq(classes.schoolYearId, year.id), eq(classes.grade, target.grade)) : eq(classes.schoolYearId, year.id));
    classIds = rows.map((r) => r.id);
  }
  if (classIds.length === 0) return [];
  const studentRows = await tx
    .selectDistinct({ studentId: enrolments.studentId })
    .from(enrolments)
    .where(and(inArray(enrolments.classId, classIds), eq(enrolments.schoolYearId, yearId), inArray(enrolments.status, ['active', 'graduated'])));
  const latest = await latestVersions(tx, yearId, studentRows.map((r) => r.studentId));
  const ids = [...latest.values()].filter((v) => v.state !== 'superseded').map((v) => v.id);
  if (ids.length === 0) return [];
  return tx.select().from(recordVersions).where(inArray(recordVersions.id, ids));
}

/** The Ids a step's signature references: data elements per scope, plus every earlier signature when it covers them. */
export function referencesFor(xml: string, decision: SigningDecision, subjectCode: string | null): { references: string[]; signatureReferences: string[] } {
  const ids = hbsV1.dataElementIds(xml);
  let references: string[];
  if (decision.scope === 'subjects') {
    const row = ids.subjects.find((s) => s.code === subjectCode);
    if (!row) throw new DomainError('signing.document_changed', { detail: `subject row ${subjectCode} is not in the document` });
    references = [row.id];
  } else references = [decision.scope === 'year' ? ids.year : ids.record];
  const signatureReferences = decision.coversEarlierSignatures ? readXadesSignatures(xml).map((s) => s.id) : [];
  return { references, signatureReferences };
}

export const COMMITMENT: Record<SigningStep, 'ProofOfCreation' | 'ProofOfApproval' | 'ProofOfOrigin'> = {
  subject: 'ProofOfCreation',
  homeroom: 'ProofOfCreation',
  principal: 'ProofOfApproval',
  seal: 'ProofOfOrigin',
};

function labelOf(rec: LoadedRecord, codes: string[]): ItemLabel {
  return {
    studentName: rec.snapshot.identity.fullName,
    className: rec.snapshot.identity.className,
    version: rec.version,
    subjects: codes.map((code) => ({ code, name: rec.snapshot.year.subjects.find((s) => s.code === code)?.name ?? code })),
  };
}

/**
 * Prepares a batch for `step` over the target's records: one item per signature (a subject
 * teacher gets one per subject row), refused records listed with the reason. Throws when
 * the signer has no usable certificate (nothing can be signed then).
 */
export async function prepareSigningBatch(opts: {
  db: Db;
  actor: ActorScope;
  who: Actor;
  schoolId: string;
  step: SigningStep;
  target: SigningTarget;
  certificateId?: string;
  env: SigningEnv;
  now?: Date;
}): Promise<PreparedBatch> {
  const { actor, step } = opts;
  if (!SIGNING_STEPS.includes(step)) throw new DomainError('validation', { summary: `step ${String(step)}` });
  if (!hasPermission(actor.roles, 'records.sign')) throw new DomainError('forbidden');
  const now = opts.now ?? new Date();
  const expiresAt = new Date(now.getTime() + (opts.env.batchHours ?? DEFAULT_BATCH_HOURS) * 3600_000);
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const cert = await usableCertificate(tx, opts.env, opts.schoolId, step, actor.userId, opts.certificateId);
    const chain = [cert.certificate, ...cert.chain];
    const algorithm = algorithmFor(cert.certificate);
    const versions = await targetVersions(tx, opts.target);
    if (versions.length > MAX_BATCH_RECORDS) throw new DomainError('validation', { summary: `at most ${MAX_BATCH_RECORDS} records per batch (${versions.length} asked)` });
    const records = await loadRecords(tx, versions);
    records.sort((a, b) => a.snapshot.identity.className.localeCompare(b.snapshot.identity.className, 'vi') || compareVietnameseNames(a.snapshot.identity.fullName, b.snapshot.identity.fullName));
    const signing = { userId: actor.userId, roles: [...actor.roles], delegations: step === 'principal' ? await delegationsOf(tx, actor.userId) : [] };

    const [batch] = await tx
      .insert(signingBatches)
      .values({ schoolId: opts.schoolId, createdBy: actor.userId, step, target: opts.target, certificateId: cert.id, algorithm, createdAt: now, expiresAt })
      .returning({ id: signingBatches.id });
    const rows: (typeof signingBatchItems.$inferInsert)[] = [];
    const out: PreparedBatch = {
      batchId: batch!.id,
      step,
      algorithm,
      certificate: { id: cert.id, subject: cert.subject, fingerprint: cert.fingerprint, notAfter: cert.notAfter.toISOString() },
      expiresAt: expiresAt.toISOString(),
      items: [],
      refused: [],
    };
    const refuse = (rec: LoadedRecord, codes: string[], err: DomainError) =>
      rows.push({ schoolId: opts.schoolId, batchId: batch!.id, position: rows.length, versionId: rec.versionId, subjects: codes, label: labelOf(rec, codes), status: 'refused', errorCode: err.code, errorParams: err.params, errorMessage: err.localized('en'), baseSeq: rec.lastSeq });
    for (const rec of records) {
      const decided = decideSigning(rec.facts, step, signing, now);
      if (!decided.ok) {
        // A row nobody can sign because the teacher could not be resolved: say why.
        const mine = rec.facts.subjects.filter((s) => s.teacherId === null && rec.unresolved.has(s.code));
        const err = step === 'subject' && decided.refusal.code === 'signing.not_assigned' && mine.length ? new DomainError('signing.not_assigned', { step: 'Giáo viên bộ môn', subjects: ` (${mine.map((s) => rec.unresolved.get(s.code)).join('; ')})` }) : refusalError(decided.refusal);
        refuse(rec, [], err);
        continue;
      }
      const d = decided.decision;
      const parts = step === 'subject' ? d.subjects.map((c) => [c]) : [[]];
      for (const codes of parts) {
        const sigId = step === 'subject' ? signatureId.subject(codes[0]!) : signatureId[step];
        try {
          const refs = referencesFor(rec.currentXml, d, codes[0] ?? null);
          const prepared = prepareXadesSignature({
            xml: rec.currentXml,
            ...refs,
            container: hbsV1.signatureContainer,
            signatureId: sigId,
            chain,
            algorithm,
            signingTime: now,
            claimedRole: d.claimedRole,
            commitmentType: COMMITMENT[step],
          });
          const { xml: _dropped, ...stored } = prepared.state;
          const digest = Buffer.from(prepared.digest).toString('base64');
          const label = labelOf(rec, codes);
          const position = rows.length;
          rows.push({ schoolId: opts.schoolId, batchId: batch!.id, position, versionId: rec.versionId, signatureId: sigId, subjects: codes, label, prepared: stored, digest, baseSeq: rec.lastSeq, delegationId: d.delegation?.id ?? null, status: 'pending' });
        } catch (e) {
          refuse(rec, codes, engineError(e, `record ${rec.snapshot.identity.fullName} (${rec.snapshot.identity.className}), signature ${sigId}`));
        }
      }
    }
    const CHUNK = 200;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const inserted = await tx.insert(signingBatchItems).values(rows.slice(i, i + CHUNK)).returning({ id: signingBatchItems.id, position: signingBatchItems.position });
      for (const r of [...inserted].sort((a, b) => a.position - b.position)) {
        const row = rows[r.position]!;
        if (row.status === 'pending') out.items.push({ itemId: r.id, versionId: row.versionId, signatureId: row.signatureId!, digest: row.digest!, label: row.label as ItemLabel });
        else out.refused.push({ itemId: r.id, versionId: row.versionId, label: row.label as ItemLabel, code: row.errorCode!, params: row.errorParams ?? {}, message: new DomainError(row.errorCode as ErrorCode, row.errorParams ?? {}).localized('vi') });
      }
    }
    return out;
  });
}
