/**
 * "Signatures restart from the affected step" (docs/corrections.md): a corrected record is a
 * new version with new bytes, so the homeroom, principal and seal signatures — which cover
 * the whole year block or record and every earlier signature — must be made again. A subject
 * teacher's XAdES signature, however, references only their own subject row (`#subject-X`,
 * exclusive c14n) and its own SignedProperties. When that row is byte-identical (after c14n)
 * in the new version, the very same ds:Signature verifies over the new document: we copy it
 * into the new version's signature container, verify it there (it is not stored otherwise),
 * and record it as a signature of the new version with its original time and certificate.
 * Rows that changed, rows whose teacher changed, and signatures made with a certificate
 * revoked since are not carried: those teachers sign again.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/scope.ts';
import { recordSignatures, recordVersions, signingCertificates } from '../../db/schema.ts';
import { hbsV1 } from '../../documents/hbs-xml/hbs-v1.ts';
import { DomainError } from '../../domain/errors.ts';
import { stateAfterSigning, subjectCarryProblem, type ResignReason } from '../../domain/record/signing-order.ts';
import { verifyXadesSignature, DS_NS } from '../../signing/xades/index.ts';
import { excC14nBytes } from '../../signing/xml/exc-c14n.ts';
import { indexIds } from '../../signing/xml/ids.ts';
import { allElements, parseXmlSafely } from '../../signing/xml/safe-parse.ts';
import { appendChildMarkup, locateElement } from '../../signing/xml/source-splice.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { signatureDocumentColumns } from '../records/document-store.ts';
import { loadRecord } from '../signing/record-facts.ts';

export interface CarryResult {
  /** Subject codes whose signature now stands in the new version. */
  carried: string[];
  /** Subject codes whose teacher must sign again, with why. */
  resign: Array<{ code: string; why: ResignReason }>;
}

/** The c14n bytes of the element with Id `id`, or null when the document has none. */
function elementBytes(doc: ReturnType<typeof parseXmlSafely>, id: string): Buffer | null {
  const el = indexIds(doc).get(id);
  return el && el.length === 1 ? excC14nBytes(el[0]!) : null;
}

/** The exact text of the ds:Signature with Id `signatureId` in `xml`. */
function signatureMarkup(xml: string, signatureId: string): string {
  const doc = parseXmlSafely(xml);
  const index = allElements(doc).findIndex((e) => e.namespaceURI === DS_NS && e.localName === 'Signature' && e.getAttribute('Id') === signatureId);
  if (index < 0) throw new DomainError('not_found', { what: `chữ ký ${signatureId} / signature ${signatureId}` });
  const span = locateElement(xml, index);
  return xml.slice(span.start, span.end);
}

/** `xml` with `markup` appended to its signature container (no other byte changes). */
function appendToContainer(xml: string, markup: string): string {
  const { namespace, localName } = hbsV1.signatureContainer;
  const index = allElements(parseXmlSafely(xml)).findIndex((e) => e.namespaceURI === namespace && e.localName === localName);
  if (index < 0) throw new DomainError('not_found', { what: `signature container ${localName}` });
  return appendChildMarkup(xml, locateElement(xml, index), markup);
}

/**
 * Carries the subject signatures of `oldVersionId` whose rows are unchanged into the freshly
 * frozen `newVersionId` (no signature yet), in the caller's transaction, and moves the new
 * version to 'subjects_signed' when every row is then signed. Audited.
 */
export async function carryForwardSubjectSignatures(tx: Tx, o: { schoolId: string; oldVersionId: string; newVersionId: string; who: Actor }): Promise<CarryResult> {
  const oldRec = await loadRecord(tx, o.oldVersionId);
  let rec = await loadRecord(tx, o.newVersionId, { lock: true });
  if (rec.lastSeq !== 0) throw new DomainError('signing.wrong_state', { step: 'carry forward', state: `v${rec.version} already has signatures`, needed: 'a freshly frozen version' });
  const sigs = await tx.select().from(recordSignatures).where(and(eq(recordSignatures.versionId, o.oldVersionId), eq(recordSignatures.step, 'subject'))).orderBy(asc(recordSignatures.seq));
  const certIds = [...new Set(sigs.map((s) => s.certificateId))];
  const certs = certIds.length ? await tx.select({ id: signingCertificates.id, status: signingCertificates.status }).from(signingCertificates).where(inArray(signingCertificates.id, certIds)) : [];
  const oldDoc = parseXmlSafely(oldRec.frozenXml);
  const newDoc = parseXmlSafely(rec.frozenXml);
  const ids = hbsV1.dataElementIds(rec.frozenXml);
  const result: CarryResult = { carried: [], resign: [] };
  let xml = rec.currentXml;
  let seq = 0;
  const carriedRows: Array<{ code: string; signatureId: string; seq: number }> = [];
  for (const row of rec.facts.subjects) {
    const sig = sigs.find((s) => s.subjects.length === 1 && s.subjects[0] === row.code);
    const elementId = ids.subjects.find((s) => s.code === row.code)?.id;
    const before = sig && elementId ? elementBytes(oldDoc, elementId) : null;
    const after = sig && elementId ? elementBytes(newDoc, elementId) : null;
    const problem = subjectCarryProblem({
      signed: !!sig,
      certificateRevoked: !!sig && certs.find((c) => c.id === sig.certificateId)?.status === 'revoked',
      signerUserId: sig?.signerUserId ?? null,
      teacherId: row.teacherId,
      rowUnchanged: !!before && !!after && before.equals(after),
    });
    if (problem || !sig || !elementId) {
      result.resign.push({ code: row.code, why: problem ?? 'changed' });
      continue;
    }
    const candidate = appendToContainer(xml, signatureMarkup(oldRec.currentXml, sig.signatureId));
    const check = await verifyXadesSignature(candidate, sig.signatureId, { expectedReferences: [elementId], container: hbsV1.signatureContainer });
    if (!check.valid) {
      // Never store a signature that does not verify over the new document: the teacher signs again.
      result.resign.push({ code: row.code, why: 'changed' });
      continue;
    }
    const prevXml = xml;
    xml = candidate;
    seq += 1;
    await tx.insert(recordSignatures).values({
      schoolId: o.schoolId,
      versionId: rec.versionId,
      seq,
      step: 'subject',
      signatureId: sig.signatureId,
      signerUserId: sig.signerUserId,
      claimedRole: sig.claimedRole,
      subjects: sig.subjects,
      certificateId: sig.certificateId,
      delegationId: null,
      batchId: null,
      signedAt: sig.signedAt,
      ...signatureDocumentColumns(prevXml, xml),
    });
    result.carried.push(row.code);
    carriedRows.push({ code: row.code, signatureId: sig.signatureId, seq });
  }
  if (carriedRows.length) {
    rec = await loadRecord(tx, o.newVersionId);
    const next = stateAfterSigning(rec.facts, 'subject', []);
    if (next !== rec.facts.state) await tx.update(recordVersions).set({ state: next }).where(eq(recordVersions.id, rec.versionId));
  }
  await appendAudit(tx, {
    actor: o.who,
    schoolId: o.schoolId,
    action: 'record.signatures_carried',
    targetType: 'record_version',
    targetId: o.newVersionId,
    after: { from: o.oldVersionId, version: rec.version, carried: carriedRows, resign: result.resign },
  });
  return result;
}
