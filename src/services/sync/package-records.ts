/**
 * Packaging (docs/sync.md "What hocba sends"): which record versions a target still needs,
 * and each one's signed XML and sealed PDF checked before it may leave — the strict HBS reader
 * (the rules of src/documents/schema/hbs-v1.xsd), the school seal present, the stored digests
 * equal to the bytes. A version that fails is reported with the reason and never sent.
 */
import { createHash } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/scope.ts';
import { recordSignatures, recordVersions, schoolYears, schools, syncItems } from '../../db/schema.ts';
import { findRecordFormat } from '../../documents/hbs-xml/index.ts';
import type { RecordSnapshot } from '../../domain/record/snapshot.ts';
import { verificationCode } from '../../domain/record/verification-code.ts';
import { currentSignedXml, DocumentIntegrityError, sealedPdfsOf } from '../records/document-store.ts';
import { recordKey, type ManifestRecord, type SyncTarget } from './protocol.ts';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/**
 * Adds a 'queued' item for every version the target still needs: for the HBS database every
 * sealed version without an item; for VNeID every version the HBS database accepted. Invalid
 * items are queued again (a later seal or PDF may have completed them). The number queued.
 */
export async function queueCandidates(tx: Tx, schoolId: string, target: SyncTarget): Promise<number> {
  const [school] = await tx.select({ code: schools.code }).from(schools).where(eq(schools.id, schoolId));
  if (!school) throw new Error(`sync: school ${schoolId} not found`);
  const base =
    target === 'hbs'
      ? tx
          .select({ id: recordVersions.id })
          .from(recordVersions)
          .leftJoin(syncItems, and(eq(syncItems.versionId, recordVersions.id), eq(syncItems.target, 'hbs')))
          .where(and(eq(recordVersions.state, 'sealed'), isNull(syncItems.id)))
      : tx
          .select({ id: recordVersions.id })
          .from(recordVersions)
          .innerJoin(syncItems, and(eq(syncItems.versionId, recordVersions.id), eq(syncItems.target, 'hbs'), eq(syncItems.status, 'accepted')))
          .where(sql`${recordVersions.state} = 'sealed' and not exists (select 1 from sync_items v where v.version_id = ${recordVersions.id} and v.target = 'vneid')`);
  const fresh = await base;
  if (fresh.length) {
    await tx
      .insert(syncItems)
      .values(fresh.map((v) => ({ schoolId, target, versionId: v.id, idempotencyKey: recordKey(school.code, v.id) })))
      .onConflictDoNothing();
  }
  await tx.update(syncItems).set({ status: 'queued', updatedAt: new Date() }).where(and(eq(syncItems.target, target), eq(syncItems.status, 'invalid')));
  const [{ n }] = (await tx.select({ n: sql<number>`count(*)::int` }).from(syncItems).where(and(eq(syncItems.target, target), eq(syncItems.status, 'queued')))) as [{ n: number }];
  return n;
}

export interface PackedRecord {
  itemId: string;
  manifest: ManifestRecord;
  schoolYear: string;
  xml: Buffer;
  pdf: Buffer;
  studentName: string;
  verifyUrl: string;
}

export interface PackResult {
  records: PackedRecord[];
  invalid: Array<{ itemId: string; versionId: string; message: string }>;
}

/** Loads and checks the documents of these items (all of one school). */
export async function packItems(tx: Tx, items: Array<{ id: string; versionId: string; idempotencyKey: string }>, publicUrl: string): Promise<PackResult> {
  const out: PackResult = { records: [], invalid: [] };
  if (!items.length) return out;
  const versionIds = items.map((i) => i.versionId);
  const versions = await tx
    .select({
      id: recordVersions.id,
      version: recordVersions.version,
      state: recordVersions.state,
      formatId: recordVersions.formatId,
      formatVersion: recordVersions.formatVersion,
      snapshot: recordVersions.snapshot,
      digest: recordVersions.digest,
      supersedesId: recordVersions.supersedesId,
      yearName: schoolYears.name,
      schoolCode: schools.code,
    })
    .from(recordVersions)
    .innerJoin(schoolYears, eq(schoolYears.id, recordVersions.schoolYearId))
    .innerJoin(schools, eq(schools.id, recordVersions.schoolId))
    .where(inArray(recordVersions.id, versionIds));
  const byId = new Map(versions.map((v) => [v.id, v]));
  // Documents come from the document store (rebuilt and re-hashed); a damaged one fails its own item only.
  const sigById = new Map<string, { xml: string; xmlSha256: string } | DocumentIntegrityError>();
  const pdfs = new Map<string, { pdf: Buffer; sha256: string } | DocumentIntegrityError>();
  const each = async <T>(into: Map<string, T | DocumentIntegrityError>, load: (ids: string[]) => Promise<Map<string, T>>) => {
    try {
      for (const [id, d] of await load(versionIds)) into.set(id, d);
    } catch (e) {
      if (!(e instanceof DocumentIntegrityError)) throw e;
      for (const id of versionIds) {
        try {
          for (const [k, d] of await load([id])) into.set(k, d);
        } catch (err) {
          if (!(err instanceof DocumentIntegrityError)) throw err;
          into.set(id, err);
        }
      }
    }
  };
  await each(sigById, (ids) => currentSignedXml(tx, ids));
  await each(pdfs, (ids) => sealedPdfsOf(tx, ids));
  const seals = new Set(
    (await tx.select({ versionId: recordSignatures.versionId }).from(recordSignatures).where(and(inArray(recordSignatures.versionId, versionIds), eq(recordSignatures.step, 'seal')))).map((s) => s.versionId),
  );
  for (const item of items) {
    const fail = (why: string) => out.invalid.push({ itemId: item.id, versionId: item.versionId, message: why });
    const v = byId.get(item.versionId);
    if (!v) {
      fail(`bản học bạ ${item.versionId} không tồn tại / version not found`);
      continue;
    }
    const label = `v${v.version} (${item.versionId})`;
    const sig = sigById.get(v.id);
    if (v.state === 'superseded') {
      // Its sealed successor goes instead (with `supersedes` pointing here).
      fail(`${label}: đã được thay bằng bản mới, không gửi / superseded by a newer version before it was sent`);
      continue;
    }
    if (v.state !== 'sealed') {
      fail(`${label}: chưa đóng dấu (trạng thái "${v.state}") / not sealed`);
      continue;
    }
    if (!sig || !seals.has(v.id)) {
      fail(`${label}: thiếu chữ ký số của nhà trường (sig-seal) / the school seal signature is missing`);
      continue;
    }
    const xml = sig instanceof DocumentIntegrityError ? null : Buffer.from(sig.xml, 'utf8');
    if (sig instanceof DocumentIntegrityError || !xml || sha256(xml) !== sig.xmlSha256) {
      fail(`${label}: SHA-256 của XML đã ký không khớp giá trị lưu / the signed XML does not match its stored digest`);
      continue;
    }
    const format = findRecordFormat(v.formatId, v.formatVersion);
    if (!format) {
      fail(`${label}: định dạng ${v.formatId} ${v.formatVersion} không được hỗ trợ / unknown format`);
      continue;
    }
    let snapshot: RecordSnapshot;
    try {
      snapshot = format.parse(sig.xml);
    } catch (err) {
      fail(`${label}: XML không đúng lược đồ ${v.formatId}-v${v.formatVersion}.xsd / schema: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    if (!sig.xml.includes('Id="sig-seal"')) {
      fail(`${label}: XML không chứa chữ ký sig-seal / the XML carries no seal signature`);
      continue;
    }
    const p = pdfs.get(v.id);
    if (!p) {
      fail(`${label}: thiếu bản PDF đã đóng dấu / the sealed PDF is missing`);
      continue;
    }
    if (p instanceof DocumentIntegrityError || sha256(p.pdf) !== p.sha256) {
      fail(`${label}: SHA-256 của PDF không khớp giá trị lưu / the sealed PDF does not match its stored digest`);
      continue;
    }
    const id = snapshot.identity;
    if (!id.studentCode) {
      fail(`${label}: thiếu mã học sinh / the identity block has no student code`);
      continue;
    }
    out.records.push({
      itemId: item.id,
      schoolYear: v.yearName,
      xml,
      pdf: p.pdf,
      studentName: id.fullName,
      verifyUrl: `${publicUrl.replace(/\/+$/, '')}/verify/${verificationCode(v.digest)}`,
      manifest: {
        key: item.idempotencyKey,
        versionId: v.id,
        version: v.version,
        studentCode: id.studentCode,
        personalId: id.personalId,
        supersedes: v.supersedesId ? recordKey(v.schoolCode, v.supersedesId) : null,
        xmlSha256: sig.xmlSha256,
        pdfSha256: p.sha256,
      },
    });
  }
  return out;
}
