/**
 * Content-addressed document storage (issue 12.1): the ONE place that writes and reads the
 * bytes of record documents.
 *
 * - Whole documents (sealed PDFs, …) are `document_blobs` rows keyed by (school, SHA-256):
 *   stored once however many rows name them; every read re-hashes the bytes.
 * - The signature chain of a record version is NOT stored as one full copy per signature:
 *   each record_signatures row keeps only the splice that turned the previous document into
 *   its own (in practice the new <ds:Signature> element and where it went), plus the SHA-256
 *   of the result. Any intermediate document is rebuilt byte-exactly from the frozen XML,
 *   and every rebuilt step is re-hashed against the stored digest.
 * See docs/architecture.md "Storage".
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { documentBlobs, recordPdfs, recordSignatures, recordVersions } from '../../db/schema.ts';

/** Stored bytes no longer match the digest that names them (corruption or tampering). */
export class DocumentIntegrityError extends Error {
  constructor(
    readonly digest: string,
    readonly where: string,
    detail: string,
  ) {
    super(`document storage: ${where}: ${detail} (sha256 ${digest})`);
    this.name = 'DocumentIntegrityError';
  }
}

/** Reads need only `select`, writes `insert`; a transaction or the database both do. */
type Reader = Pick<Tx, 'select'>;
type Writer = Pick<Tx, 'insert'>;

const sha256Hex = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const DIGEST = /^[0-9a-f]{64}$/;

/** Stores `bytes` for the school once (idempotent: the same bytes give the same digest and no new row). Returns the sha256 (hex). */
export async function putBlob(tx: Writer, schoolId: string, bytes: Uint8Array): Promise<string> {
  const digest = sha256Hex(bytes);
  await tx
    .insert(documentBlobs)
    .values({ schoolId, sha256: digest, size: bytes.length, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) })
    .onConflictDoNothing();
  return digest;
}

/** The bytes stored under `digest` for the school, re-hashed: a mismatch is a DocumentIntegrityError naming the digest. */
export async function getBlob(db: Reader, schoolId: string, digest: string): Promise<Buffer> {
  const [row] = await db.select({ bytes: documentBlobs.bytes }).from(documentBlobs).where(and(eq(documentBlobs.schoolId, schoolId), eq(documentBlobs.sha256, digest)));
  if (!row) throw new DocumentIntegrityError(digest, `school ${schoolId}`, 'no stored document has this digest');
  return checked(row.bytes, digest, `school ${schoolId}`);
}

/** Several blobs at once (one query), each re-hashed; missing digests are an integrity error. */
export async function getBlobs(db: Reader, schoolId: string, digests: string[]): Promise<Map<string, Buffer>> {
  const wanted = [...new Set(digests)];
  const out = new Map<string, Buffer>();
  if (!wanted.length) return out;
  const rows = await db.select({ sha256: documentBlobs.sha256, bytes: documentBlobs.bytes }).from(documentBlobs).where(and(eq(documentBlobs.schoolId, schoolId), inArray(documentBlobs.sha256, wanted)));
  for (const r of rows) out.set(r.sha256, checked(r.bytes, r.sha256, `school ${schoolId}`));
  for (const d of wanted) if (!out.has(d)) throw new DocumentIntegrityError(d, `school ${schoolId}`, 'no stored document has this digest');
  return out;
}

function checked(bytes: Uint8Array, digest: string, where: string): Buffer {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (!DIGEST.test(digest) || sha256Hex(b) !== digest) throw new DocumentIntegrityError(digest, where, 'the stored bytes do not match their digest');
  return b;
}

// ── sealed PDFs ──

/** Stores the sealed PDF of a version: the bytes as a blob, the record_pdfs row naming it. */
export async function putSealedPdf(tx: Writer, o: { schoolId: string; versionId: string; pdf: Uint8Array; now?: Date }): Promise<string> {
  const sha256 = await putBlob(tx, o.schoolId, o.pdf);
  await tx.insert(recordPdfs).values({ schoolId: o.schoolId, versionId: o.versionId, sha256, ...(o.now ? { createdAt: o.now } : {}) });
  return sha256;
}

/** The sealed PDF of a version (null when it has none), re-hashed. */
export async function sealedPdfOf(db: Reader, versionId: string): Promise<{ pdf: Buffer; sha256: string } | null> {
  const [p] = await db.select({ schoolId: recordPdfs.schoolId, sha256: recordPdfs.sha256 }).from(recordPdfs).where(eq(recordPdfs.versionId, versionId));
  if (!p) return null;
  return { pdf: await getBlob(db, p.schoolId, p.sha256).catch(rename(`sealed PDF of version ${versionId}`)), sha256: p.sha256 };
}

/** The sealed PDFs of many versions (two queries), by version id. */
export async function sealedPdfsOf(db: Reader, versionIds: string[]): Promise<Map<string, { pdf: Buffer; sha256: string }>> {
  const out = new Map<string, { pdf: Buffer; sha256: string }>();
  if (!versionIds.length) return out;
  const rows = await db.select({ versionId: recordPdfs.versionId, schoolId: recordPdfs.schoolId, sha256: recordPdfs.sha256 }).from(recordPdfs).where(inArray(recordPdfs.versionId, versionIds));
  const bySchool = new Map<string, string[]>();
  for (const r of rows) bySchool.set(r.schoolId, [...(bySchool.get(r.schoolId) ?? []), r.sha256]);
  const blobs = new Map<string, Buffer>();
  for (const [schoolId, digests] of bySchool) for (const [d, b] of await getBlobs(db, schoolId, digests)) blobs.set(`${schoolId}/${d}`, b);
  for (const r of rows) out.set(r.versionId, { pdf: blobs.get(`${r.schoolId}/${r.sha256}`)!, sha256: r.sha256 });
  return out;
}

const rename = (where: string) => (e: unknown) => {
  if (e instanceof DocumentIntegrityError) throw new DocumentIntegrityError(e.digest, where, e.message.replace(/^document storage: [^:]*: /, '').replace(/ \(sha256 [0-9a-f]+\)$/, ''));
  throw e;
};

// ── the signature chain ──

/**
 * How one signature changed the document: next = prev[0, at) + text + prev[at + removed, …),
 * offsets in UTF-8 bytes, always on character boundaries (so `text` is whole characters).
 */
export interface XmlSplice {
  at: number;
  removed: number;
  text: string;
}

const continuation = (b: Buffer, i: number) => i < b.length && (b[i]! & 0xc0) === 0x80;

/** The shortest splice turning `prev` into `next` (common prefix, then common suffix of the rest, on character boundaries). */
export function spliceBetween(prev: string, next: string): XmlSplice {
  const a = Buffer.from(prev, 'utf8');
  const b = Buffer.from(next, 'utf8');
  const m = Math.min(a.length, b.length);
  let p = 0;
  while (p < m && a[p] === b[p]) p++;
  while (p > 0 && continuation(b, p)) p--;
  let s = 0;
  while (s < m - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  while (s > 0 && continuation(b, b.length - s)) s--;
  return { at: p, removed: a.length - p - s, text: b.subarray(p, b.length - s).toString('utf8') };
}

/** Applies a splice (bounds-checked). */
export function applySplice(prev: Buffer, s: XmlSplice): Buffer {
  if (!Number.isInteger(s.at) || !Number.isInteger(s.removed) || s.at < 0 || s.removed < 0 || s.at + s.removed > prev.length) {
    throw new RangeError(`splice at ${s.at} removing ${s.removed} is outside a ${prev.length}-byte document`);
  }
  return Buffer.concat([prev.subarray(0, s.at), Buffer.from(s.text, 'utf8'), prev.subarray(s.at + s.removed)]);
}

/** The record_signatures columns that store the document `signedXml` made from `prevXml` (the version's document before this signature). */
export function signatureDocumentColumns(prevXml: string, signedXml: string): { deltaAt: number; deltaRemoved: number; delta: string; xmlSha256: string } {
  const s = spliceBetween(prevXml, signedXml);
  return { deltaAt: s.at, deltaRemoved: s.removed, delta: s.text, xmlSha256: sha256Hex(Buffer.from(signedXml, 'utf8')) };
}

/** One stored signature step, as read from record_signatures. */
export interface SignatureStep {
  seq: number;
  signatureId: string;
  deltaAt: number;
  deltaRemoved: number;
  delta: string;
  xmlSha256: string;
}

/**
 * Rebuilds the documents after each step (in seq order) from the frozen XML, checking every
 * step's SHA-256: a mismatch is a DocumentIntegrityError naming the signature and version.
 * Pure (restore-check uses it on raw rows). Returns the document after each step.
 */
export function rebuildChain(frozenXml: string, steps: SignatureStep[], where: string): string[] {
  let doc: Buffer = Buffer.from(frozenXml, 'utf8');
  const out: string[] = [];
  for (const s of [...steps].sort((x, y) => x.seq - y.seq)) {
    const at = `${where}, signature #${s.seq} (${s.signatureId})`;
    try {
      doc = applySplice(doc, { at: s.deltaAt, removed: s.deltaRemoved, text: s.delta });
    } catch (e) {
      throw new DocumentIntegrityError(s.xmlSha256, at, (e as Error).message);
    }
    if (sha256Hex(doc) !== s.xmlSha256) throw new DocumentIntegrityError(s.xmlSha256, at, 'the rebuilt document does not match the stored digest');
    out.push(doc.toString('utf8'));
  }
  return out;
}

const stepColumns = {
  versionId: recordSignatures.versionId,
  seq: recordSignatures.seq,
  signatureId: recordSignatures.signatureId,
  deltaAt: recordSignatures.deltaAt,
  deltaRemoved: recordSignatures.deltaRemoved,
  delta: recordSignatures.delta,
  xmlSha256: recordSignatures.xmlSha256,
};

/** The document of a version after signature `seq` (0: the frozen XML), or null when the version or signature does not exist. */
export async function documentAfter(db: Reader, versionId: string, seq: number): Promise<string | null> {
  const [v] = await db.select({ xml: recordVersions.xml }).from(recordVersions).where(eq(recordVersions.id, versionId));
  if (!v) return null;
  if (seq === 0) return v.xml;
  const steps = await db.select(stepColumns).from(recordSignatures).where(and(eq(recordSignatures.versionId, versionId), lte(recordSignatures.seq, seq))).orderBy(asc(recordSignatures.seq));
  if (!steps.some((s) => s.seq === seq)) return null;
  return rebuildChain(v.xml, steps, `version ${versionId}`).at(-1)!;
}

/** The current signed document of each version (after its last signature; versions without signatures are absent), with its seq and digest. */
export async function currentSignedXml(db: Reader, versionIds: string[]): Promise<Map<string, { seq: number; xml: string; xmlSha256: string }>> {
  const out = new Map<string, { seq: number; xml: string; xmlSha256: string }>();
  if (!versionIds.length) return out;
  const steps = await db.select(stepColumns).from(recordSignatures).where(inArray(recordSignatures.versionId, versionIds)).orderBy(asc(recordSignatures.versionId), asc(recordSignatures.seq));
  if (!steps.length) return out;
  const byVersion = new Map<string, typeof steps>();
  for (const s of steps) byVersion.set(s.versionId, [...(byVersion.get(s.versionId) ?? []), s]);
  const signed = [...byVersion.keys()];
  const frozen = new Map((await db.select({ id: recordVersions.id, xml: recordVersions.xml }).from(recordVersions).where(inArray(recordVersions.id, signed))).map((v) => [v.id, v.xml]));
  for (const [id, mine] of byVersion) {
    const docs = rebuildChain(frozen.get(id)!, mine, `version ${id}`);
    const last = mine[mine.length - 1]!;
    out.set(id, { seq: last.seq, xml: docs[docs.length - 1]!, xmlSha256: last.xmlSha256 });
  }
  return out;
}

/** The current document of one version: the last signed XML, else the frozen XML (null: no such version). */
export async function currentXmlOf(db: Reader, versionId: string): Promise<string | null> {
  const signed = (await currentSignedXml(db, [versionId])).get(versionId);
  if (signed) return signed.xml;
  const [v] = await db.select({ xml: recordVersions.xml }).from(recordVersions).where(eq(recordVersions.id, versionId));
  return v?.xml ?? null;
}
