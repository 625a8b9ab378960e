/**
 * Backup → wipe → restore on each back end (and PGlite → PostgreSQL when DATABASE_URL is
 * set) with a school whose records went through the whole signing chain: every row of every
 * table comes back identical, every data-directory file comes back, and the restore check
 * re-validates every signed XML and sealed PDF and the audit chains (pdfsig agrees on a
 * restored PDF). Tampering with a restored PDF makes the check fail; a non-empty target or
 * a wrong passphrase is refused with nothing written.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { BackupError } from '../../src/services/backup/backup-error.ts';
import { createBackup, dataDirFiles } from '../../src/services/backup/create-backup.ts';
import { listTables, rowsOf } from '../../src/services/backup/db-tables.ts';
import { checkRestoredData } from '../../src/services/backup/restore-check.ts';
import { restoreBackup } from '../../src/services/backup/restore-backup.ts';
import { trustContextFor } from '../../src/services/certificates/trust-context.ts';
import { pdfsigRunner } from '../../src/signing/validation/testing.ts';
import { sql } from 'drizzle-orm';
import { BACKENDS, createPgDatabase, freshDatabase, type BackendKind } from '../helpers/db.ts';
import { toolSkip } from '../helpers/test-pki.ts';
import { makeSealedSchool, type SealedSchool } from './backup-fixture.ts';

const skipTools = toolSkip('pdfsig', 'certutil');
const KEY = { passphrase: 'correct horse battery staple 2026' };

/** Every table's rows as sorted JSON text (UTC), from one snapshot. */
async function tableContents(database: Database): Promise<Map<string, string[]>> {
  return database.db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local timezone = 'UTC'`));
    const out = new Map<string, string[]>();
    for (const t of await listTables(tx)) out.set(t.name, (await rowsOf<{ j: string }>(tx, `select row_to_json(t)::text as j from "${t.name}" t`)).map((r) => r.j).sort());
    return out;
  });
}

/** The expected restored rows: key_ref paths moved from the old data directory to the new one. */
function relocated(rows: Map<string, string[]>, from: string, to: string): Map<string, string[]> {
  const out = new Map(rows);
  out.set('signing_certificates', rows.get('signing_certificates')!.map((j) => j.split(JSON.stringify(from + '/').slice(1, -1)).join(JSON.stringify(to + '/').slice(1, -1))).sort());
  return out;
}

type Target = { kind: BackendKind; label: string };
const targets = (source: BackendKind): Target[] => (process.env.DATABASE_URL ? [{ kind: source, label: source }, ...(source === 'pglite' ? [{ kind: 'postgres' as const, label: 'pglite → postgres' }] : [])] : [{ kind: source, label: source }]);

for (const kind of BACKENDS) {
  describe(`backup and restore round trip (${kind})`, { concurrency: 1 }, () => {
    let database: Database;
    let work: string;
    let dataDir: string;
    let school: SealedSchool;
    let file: string;
    let before_: Map<string, string[]>;
    let restoredPdf: Uint8Array | undefined;

    before(async () => {
      work = await mkdtemp(join(tmpdir(), 'hocba-backup-rt-'));
      dataDir = join(work, 'source');
      database = await freshDatabase(kind);
      school = await makeSealedSchool(database, dataDir);
      file = join(work, 'school.hbak');
    });
    after(async () => {
      await school?.close();
      await database?.close();
      if (work) await rm(work, { recursive: true, force: true });
    });

    test('the backup holds every table and the data directory files, and only appears when complete', async () => {
      const manifest = await createBackup({ database, dataDir, out: file, key: KEY });
      before_ = await tableContents(database);
      assert.ok(existsSync(file));
      assert.deepEqual(manifest.tables.map((t) => [t.name, t.rows]).sort(), [...before_].map(([n, rows]) => [n, rows.length]).sort());
      assert.deepEqual(manifest.files.map((f) => f.path), dataDirFiles(dataDir));
      assert.ok(manifest.files.some((f) => f.path === 'pki/root.crt.pem'), 'the demo PKI is in the backup');
      assert.equal(manifest.expected.sealedVersions, 2);
      assert.equal(manifest.expected.signedVersions, 3);
      assert.ok(manifest.expected.auditEntries > 0);
      // Encrypted: no student name or PDF marker appears in the file.
      const bytes = await readFile(file);
      assert.equal(bytes.indexOf('%PDF-'), -1);
      assert.equal(bytes.indexOf('hieutruong'), -1);
    });

    for (const target of targets(kind)) {
      test(`restore into an empty ${target.label}: every row identical, every signature verified`, async () => {
        const restoredDir = join(work, `restored-${target.kind}`);
        const pg = target.kind === 'postgres' ? await createPgDatabase() : null;
        try {
          const result = await restoreBackup({ file, key: KEY, target: pg ? { kind: 'postgres', url: pg.url, dataDir: restoredDir } : { kind: 'pglite', dataDir: restoredDir } });
          assert.ok(result.relocatedKeys > 0, 'server-held key paths now point into the new data directory');
          assert.deepEqual(dataDirFiles(restoredDir), dataDirFiles(dataDir));
          for (const f of dataDirFiles(dataDir)) assert.deepEqual(await readFile(join(restoredDir, f)), await readFile(join(dataDir, f)), f);
          const restored = await openDatabase(pg ? { url: pg.url, poolSize: 2 } : { dataDir: restoredDir });
          try {
            const after_ = await tableContents(restored);
            const expected = relocated(before_, dataDir, restoredDir);
            assert.deepEqual([...after_.keys()].sort(), [...expected.keys()].sort());
            for (const [name, rows] of expected) assert.deepEqual(after_.get(name), rows, `table ${name}`);
            const report = await checkRestoredData({ database: restored, trust: await trustContextFor({ dataDir: restoredDir }), expected: result.manifest.expected });
            assert.equal(report.status, 'passed', JSON.stringify(report.failures));
            assert.ok(report.audit.ok);
            assert.equal(report.audit.checked, result.manifest.expected.auditEntries);
            assert.equal(report.sealedPdfs, 2);
            assert.equal(report.sealedPdfValid, 2);
            assert.equal(report.signedVersions, 3);
            assert.equal(report.signedXmlValid, 3);
            assert.ok(report.xmlSignaturesValid >= 2 * 4 + 1, `${report.xmlSignaturesValid} XAdES signatures`);

            if (target.kind === kind) {
              restoredPdf = new Uint8Array((await restored.query<{ pdf: Uint8Array }>('select b.bytes as pdf from record_pdfs p join document_blobs b on b.school_id = p.school_id and b.sha256 = p.sha256 limit 1'))[0]!.pdf);
              // The restored database keeps working: a new audit entry links to the restored chain head.
              const [v] = await restored.query<{ id: string }>(`select id::text from record_versions where state = 'sealed' limit 1`);
              // Sealed PDFs live in document_blobs (content-addressed), named by record_pdfs.sha256.
              const blobOf = 'where (school_id, sha256) = (select school_id, sha256 from record_pdfs where version_id = $2)';
              const [p] = await restored.query<{ pdf: Uint8Array }>(`select bytes as pdf from document_blobs ${blobOf.replace('$2', '$1')}`, [v!.id]);
              // Tampering with one restored PDF is caught by the check.
              const bad = Buffer.from(p!.pdf);
              const mid = Math.floor(bad.length / 2);
              bad[mid] = bad[mid]! ^ 0x01;
              await restored.query(`update document_blobs set bytes = $1 ${blobOf}`, [bad, v!.id]);
              const tampered = await checkRestoredData({ database: restored, trust: await trustContextFor({ dataDir: restoredDir }) });
              assert.equal(tampered.status, 'failed');
              assert.match(tampered.failures[0]!.reason, /sealed PDF no longer matches its stored SHA-256/);
              await restored.query(`update document_blobs set bytes = $1 ${blobOf}`, [Buffer.from(p!.pdf), v!.id]);
            }
          } finally {
            await restored.close();
          }
        } finally {
          await pg?.drop();
          await rm(restoredDir, { recursive: true, force: true });
        }
      });
    }

    test('pdfsig accepts a sealed PDF read back from the restored database', { skip: skipTools }, async () => {
      assert.ok(restoredPdf, 'the restore test read a sealed PDF back');
      const pdfsig = await pdfsigRunner(await readFile(join(dataDir, 'pki', 'root.crt.pem'), 'utf8'));
      try {
        const checked = await pdfsig.check(restoredPdf);
        assert.equal(checked.signatures.length, 1, checked.output);
        assert.ok(checked.signatures[0]!.valid && checked.signatures[0]!.trusted, checked.output);
      } finally {
        await pdfsig.close();
      }
    });

    test('a target that is not empty is refused before anything is written', async () => {
      const busy = join(work, 'busy');
      await mkdir(busy, { recursive: true });
      await writeFile(join(busy, 'notes.txt'), 'kept');
      await assert.rejects(restoreBackup({ file, key: KEY, target: { kind: 'pglite', dataDir: busy } }), (e: unknown) => e instanceof BackupError && e.code === 'backup.target_not_empty');
      assert.deepEqual(await readdir(busy), ['notes.txt']);
      if (process.env.DATABASE_URL) {
        // A PostgreSQL database that already has tables (here: a migrated one) is refused too.
        const pg = await createPgDatabase();
        const other = await openDatabase({ url: pg.url, poolSize: 1 });
        await other.close();
        try {
          const rows = join(work, 'pg-busy-files');
          await assert.rejects(restoreBackup({ file, key: KEY, target: { kind: 'postgres', url: pg.url, dataDir: rows } }), (e: unknown) => e instanceof BackupError && e.code === 'backup.target_not_empty' && /not empty/.test(e.message));
          assert.equal(existsSync(rows), false, 'no file written');
        } finally {
          await pg.drop();
        }
      }
      // A wrong passphrase: refused, no directory created.
      const fresh = join(work, 'fresh');
      await assert.rejects(restoreBackup({ file, key: { passphrase: 'wrong passphrase!!' }, target: { kind: 'pglite', dataDir: fresh } }), (e: unknown) => e instanceof BackupError && e.code === 'backup.wrong_key');
      assert.equal(existsSync(fresh), false);
      assert.deepEqual((await readdir(work)).filter((n) => n.includes('restoring')), []);
    });
  });
}
