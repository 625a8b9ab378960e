/**
 * Content-addressed document storage (issue 12.1, services/records/document-store.ts):
 * - a sealed school's signature chain is stored as splices and rebuilt byte-exactly: every
 *   intermediate document re-hashes to its stored digest and the final XML passes xmlsec1 for
 *   every signature; the sealed PDF is one blob;
 * - blobs are idempotent, school-isolated (row security), and a damaged blob or splice is a
 *   DocumentIntegrityError naming the digest / signature;
 * - upgrade: the same database put back into the pre-0037 layout (full XML per signature, PDF
 *   bytes in record_pdfs) and migrated with 0037/0038/0040 keeps every document byte for byte,
 *   and the restore check validates every signature again.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { MIGRATIONS_DIR } from '../../src/db/client.ts';
import { inSchool } from '../../src/db/scope.ts';
import { documentBlobs, recordSignatures } from '../../src/db/schema.ts';
import { checkRestoredData } from '../../src/services/backup/restore-check.ts';
import { currentSignedXml, documentAfter, DocumentIntegrityError, getBlob, putBlob, sealedPdfOf } from '../../src/services/records/document-store.ts';
import { sealedSchool, type SealedSchool } from '../../src/services/verification/testing.ts';
import { readXadesSignatures } from '../../src/signing/xades/index.ts';
import { xmlsec1Verifier } from '../../src/signing/xades/testing.ts';
import { BACKENDS, freshDatabase } from '../helpers/db.ts';
import { makeSchool } from '../helpers/factories.ts';
import { sharedTestPki, toolSkip } from '../helpers/test-pki.ts';

const skipTools = toolSkip('xmlsec1');
const HBS = 'urn:hocba:hbs:1';

/** Runs one migration file's statements (drizzle's breakpoint format), as the migrator does. */
async function runMigrationFile(database: Database, tag: string): Promise<void> {
  const sqlText = readFileSync(join(MIGRATIONS_DIR, `${tag}.sql`), 'utf8');
  for (const stmt of sqlText.split('--> statement-breakpoint')) if (stmt.trim()) await database.query(stmt);
}

for (const kind of BACKENDS) {
  describe(`document storage (${kind})`, { concurrency: 1 }, () => {
    let database: Database;
    let fx: SealedSchool;

    before(async () => {
      database = await freshDatabase(kind);
      fx = await sealedSchool(database, `cas${kind.slice(0, 2)}`, 2);
    });
    after(async () => {
      await fx?.close();
      await database?.close();
    });

    test('the signature chain is stored as splices and rebuilt byte-exactly; xmlsec1 verifies the result', { skip: skipTools }, async () => {
      const shared = await sharedTestPki();
      const xmlsec = await xmlsec1Verifier({ rootPem: shared.pki.root.certificatePem, intermediatePems: [shared.pki.issuing.certificatePem], idElements: ['Data', 'Identity', 'Year', 'Subject'].map((e) => `${HBS}:${e}`) });
      try {
        for (const id of fx.versionIds) {
          const rows = await database.db.select().from(recordSignatures).where(eq(recordSignatures.versionId, id));
          assert.ok(rows.length >= 5, `${rows.length} signatures`);
          const current = (await currentSignedXml(database.db, [id])).get(id)!;
          const full = Buffer.byteLength(current.xml, 'utf8');
          for (const r of rows) {
            // Each row holds its own signature, not a copy of the document.
            assert.ok(r.deltaRemoved < 64, `signature #${r.seq} removes ${r.deltaRemoved} bytes (at most an empty container tag)`);
            assert.ok(Buffer.byteLength(r.delta) < full / 2, `signature #${r.seq}: ${Buffer.byteLength(r.delta)} bytes stored for a ${full}-byte document`);
            const text = r.delta;
            assert.ok(new RegExp(`<ds:Signature[^>]*Id="${r.signatureId}"`).test(text) && text.includes('</ds:Signature>'), `signature #${r.seq} stores its ds:Signature element: ${text.slice(0, 80)}…`);
          }
          const ids = readXadesSignatures(current.xml).map((s) => s.id);
          assert.deepEqual(new Set(ids), new Set(rows.map((r) => r.signatureId)));
          for (const sig of ids) {
            const r = await xmlsec.verify(current.xml, sig);
            assert.ok(r.ok, `${sig}: ${r.output}`);
          }
          // An intermediate document is the prefix of the chain (the homeroom step sees no seal).
          const homeroom = rows.find((r) => r.step === 'homeroom')!;
          const mid = (await documentAfter(database.db, id, homeroom.seq))!;
          assert.ok(mid.includes('Id="sig-homeroom"') && !mid.includes('Id="sig-seal"'));
          const pdf = (await sealedPdfOf(database.db, id))!;
          assert.equal(pdf.pdf.subarray(0, 5).toString(), '%PDF-');
        }
      } finally {
        await xmlsec.close();
      }
    });

    test('blobs: idempotent, isolated per school, re-hashed on read', async () => {
      const other = await makeSchool(database, `cas2${kind.slice(0, 2)}`);
      const bytes = Buffer.from('hồ sơ — same bytes, stored once');
      const schoolId = fx.school.schoolId;
      const d1 = await inSchool(database.db, schoolId, (tx) => putBlob(tx, schoolId, bytes));
      const d2 = await inSchool(database.db, schoolId, (tx) => putBlob(tx, schoolId, Buffer.from(bytes)));
      assert.equal(d1, d2);
      assert.equal((await database.db.select().from(documentBlobs).where(eq(documentBlobs.sha256, d1))).length, 1);
      assert.ok((await inSchool(database.db, schoolId, (tx) => getBlob(tx, schoolId, d1))).equals(bytes));
      // Another school's scope sees nothing, even asking with the first school's id.
      await assert.rejects(
        inSchool(database.db, other.schoolId, (tx) => getBlob(tx, schoolId, d1)),
        (e: unknown) => e instanceof DocumentIntegrityError && e.message.includes(d1) && /no stored document/.test(e.message),
      );
      // The app role cannot rewrite a blob.
      await assert.rejects(inSchool(database.db, schoolId, (tx) => tx.update(documentBlobs).set({ size: 1 }).where(eq(documentBlobs.sha256, d1))));
      // A damaged blob (changed behind the application's back) is named by its digest.
      await database.query('update document_blobs set bytes = $1 where sha256 = $2', [Buffer.from('tampered'), d1]);
      await assert.rejects(getBlob(database.db, schoolId, d1), (e: unknown) => e instanceof DocumentIntegrityError && e.message.includes(d1) && /do not match/.test(e.message));
    });

    test('a damaged splice is an integrity error naming the signature; restore-check reports it', async () => {
      const id = fx.versionIds[1]!;
      const [row] = await database.query<{ id: string; seq: number; signature_id: string; delta: string }>('select id::text, seq, signature_id, delta from record_signatures where version_id = $1 order by seq limit 1', [id]);
      // One character of the stored signature changed (same length: the splice still applies).
      const bad = row!.delta.replace(/<ds:SignatureValue([^>]*)>(.)/, (_m, attrs: string, c: string) => `<ds:SignatureValue${attrs}>${c === 'A' ? 'B' : 'A'}`);
      assert.notEqual(bad, row!.delta);
      await database.query('update record_signatures set delta = $1 where id = $2', [bad, row!.id]);
      try {
        await assert.rejects(currentSignedXml(database.db, [id]), (e: unknown) => e instanceof DocumentIntegrityError && e.message.includes(`signature #${row!.seq} (${row!.signature_id})`) && e.message.includes(id));
        const report = await checkRestoredData({ database, trust: fx.trust });
        assert.equal(report.status, 'failed');
        assert.ok(report.failures.some((f) => f.versionId === id && f.document === 'signature-xml' && f.reason.includes(row!.signature_id)), JSON.stringify(report.failures));
      } finally {
        await database.query('update record_signatures set delta = $1 where id = $2', [row!.delta, row!.id]);
      }
    });

    test('upgrade: a database in the old layout (full XML per signature, PDF bytes inline) converts losslessly', async () => {
      // What the documents are now, read through the store.
      const sigs = await database.query<{ id: string; version_id: string; seq: number }>('select id::text, version_id::text, seq from record_signatures order by version_id, seq');
      const before = new Map<string, string>();
      for (const s of sigs) before.set(s.id, (await documentAfter(database.db, s.version_id, s.seq))!);
      const pdfsBefore = new Map<string, Buffer>();
      for (const id of fx.versionIds) pdfsBefore.set(id, (await sealedPdfOf(database.db, id))!.pdf);

      // Back to the layout of migration 0036: the whole XML in every signature row, the PDF in record_pdfs.
      await database.query('alter table record_signatures add column xml text');
      for (const [id, xml] of before) await database.query('update record_signatures set xml = $1 where id = $2', [xml, id]);
      await database.query('alter table record_signatures alter column xml set not null, drop column delta_at, drop column delta_removed, drop column delta');
      await database.query('alter table record_pdfs add column pdf bytea');
      await database.query('update record_pdfs p set pdf = b.bytes from document_blobs b where b.school_id = p.school_id and b.sha256 = p.sha256');
      await database.query('alter table record_pdfs drop constraint record_pdfs_blob_fk, alter column pdf set not null');
      await database.query('drop table document_blobs');
      // A second version holding the same PDF bytes (as sync's test fixture makes) must share one blob.
      const first = fx.versionIds[0]!;
      const [copy] = await database.query<{ id: string }>(
        `insert into record_versions (school_id, student_id, school_year_id, version, state, format_id, format_version, snapshot, xml, digest, frozen_at, frozen_by, supersedes_id)
         select school_id, student_id, school_year_id, version + 1, 'sealed', format_id, format_version, snapshot, xml, digest, frozen_at, frozen_by, id from record_versions where id = $1 returning id::text`,
        [first],
      );
      await database.query('insert into record_pdfs (school_id, version_id, pdf, sha256) select school_id, $2, pdf, sha256 from record_pdfs where version_id = $1', [first, copy!.id]);
      const [{ n: oldSize }] = (await database.query<{ n: string }>('select sum(octet_length(xml))::text as n from record_signatures')) as [{ n: string }];

      for (const tag of ['0037_document_storage', '0038_document_storage_data', '0040_document_storage_final']) await runMigrationFile(database, tag);

      for (const s of sigs) assert.equal(await documentAfter(database.db, s.version_id, s.seq), before.get(s.id), `signature row ${s.id} (#${s.seq}) rebuilt byte for byte`);
      for (const [id, pdf] of pdfsBefore) assert.ok((await sealedPdfOf(database.db, id))!.pdf.equals(pdf), `sealed PDF of ${id}`);
      assert.ok((await sealedPdfOf(database.db, copy!.id))!.pdf.equals(pdfsBefore.get(first)!));
      const [{ n: blobs }] = (await database.query<{ n: number }>('select count(*)::int as n from document_blobs b join record_pdfs p on p.school_id = b.school_id and p.sha256 = b.sha256 where p.version_id = $1', [first])) as [{ n: number }];
      assert.equal(blobs, 1, 'one blob for the two rows naming the same PDF');
      assert.equal(Number((await database.query<{ n: number }>('select count(*)::int as n from document_blobs'))[0]!.n), fx.versionIds.length, 'one blob per distinct PDF');
      const [{ n: newSize }] = (await database.query<{ n: string }>('select sum(octet_length(delta))::text as n from record_signatures')) as [{ n: string }];
      assert.ok(Number(newSize) * 3 < Number(oldSize), `splices ${newSize} bytes vs full copies ${oldSize} bytes`);
      const report = await checkRestoredData({ database, trust: fx.trust });
      assert.equal(report.status, 'passed', JSON.stringify(report.failures));
      assert.equal(report.signatureRows, sigs.length);
      assert.equal(report.sealedPdfValid, fx.versionIds.length + 1);
      assert.ok(report.xmlSignaturesValid >= sigs.length);
    });
  });
}
