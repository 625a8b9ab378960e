/**
 * `hocba pki`: the TEST PKI for demos and trials — never for real records. `demo` creates a
 * root, issuing CA, TSA and OCSP responder in <data dir>/pki and issues a certificate to
 * every active staff member (CN = full name, E = email, UID = username) and a seal
 * certificate per school (O = school name); `revoke` and `show` manage it afterwards.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { eq, isNull } from 'drizzle-orm';
import { schools, staff, users } from '../db/schema.ts';
import { inSystem } from '../db/scope.ts';
import { loadConfig } from '../server/config.ts';
import { clearPkiDirectory, emptyIndex, isSafeEntryName, pkiExists, readIndex, writeEntry, writeIndex, type IndexEntry } from '../signing/pki/pki-directory.ts';
import { createTestPki, loadTestPki } from '../signing/pki/test-pki.ts';
import { derOf } from '../signing/pki/der.ts';
import { withDatabase, type GlobalOpts } from './open.ts';

const REASONS: Record<string, number> = { unspecified: 0, keyCompromise: 1, affiliationChanged: 3, superseded: 4, cessationOfOperation: 5 };
/** RSA key generation runs in libuv's thread pool: a few at a time keeps it busy. */
const PARALLEL = 4;

function pkiDir(program: Command, dir: string | undefined): string {
  if (dir) return dir;
  const g = program.opts<GlobalOpts>();
  return join(loadConfig({ ...(g.dataDir ? { dataDir: g.dataDir } : {}) }).dataDir, 'pki');
}

async function inBatches<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += PARALLEL) await Promise.all(items.slice(i, i + PARALLEL).map(fn));
}

export function registerPkiCommands(program: Command): void {
  const pki = program
    .command('pki')
    .description('chứng thư số THỬ NGHIỆM (không dùng thật) / the TEST PKI for demos: never for real records');

  pki
    .command('demo')
    .description('create the test PKI and a certificate for every active staff member and a seal per school')
    .option('--dir <dir>', 'where to write it (default <data dir>/pki)')
    .option('--force', 'replace an existing test PKI in that directory')
    .option('--base-url <url>', 'write OCSP/CRL URLs (<url>/ocsp, <url>/crl) into the certificates; only if a responder will answer there')
    .option('--json', 'machine-readable output')
    .action(async (o: { dir?: string; force?: boolean; baseUrl?: string; json?: boolean }) => {
      const dir = pkiDir(program, o.dir);
      if (pkiExists(dir) && !o.force) throw new Error(`a test PKI already exists in ${dir}: use --force to replace it (every certificate issued from it becomes useless)`);
      const people = await withDatabase(program.opts<GlobalOpts>(), ({ db }) =>
        inSystem(db, async (tx) => ({
          schools: await tx.select({ code: schools.code, name: schools.name }).from(schools).orderBy(schools.code),
          staff: await tx
            .select({ fullName: staff.fullName, staffEmail: staff.email, userEmail: users.email, username: users.username, school: schools.code })
            .from(staff)
            .innerJoin(users, eq(users.id, staff.userId))
            .innerJoin(schools, eq(schools.id, staff.schoolId))
            .where(isNull(users.disabledAt))
            .orderBy(users.username),
        })),
      );
      if (o.force) await clearPkiDirectory(dir);
      const t0 = Date.now();
      const ca = await createTestPki(o.baseUrl ? { baseUrl: o.baseUrl } : {});
      const index = emptyIndex(ca.root);
      const skipped: string[] = [];
      const seen = new Set<string>();
      const unique = people.staff.filter((p) => !seen.has(p.username) && seen.add(p.username)); // one person, one certificate, even if on two schools' staff
      await inBatches(unique, async (p) => {
        if (!isSafeEntryName(p.username)) return void skipped.push(`${p.username}: username unusable as a file name`);
        const email = p.staffEmail ?? p.userEmail ?? undefined;
        const school = people.schools.find((s) => s.code === p.school);
        const id = await ca.issue({ commonName: p.fullName, ...(email ? { email } : {}), uid: p.username, ...(school ? { organization: school.name } : {}) });
        await writeEntry(dir, index, 'users', p.username, id);
      });
      await inBatches(people.schools, async (s) => {
        if (!isSafeEntryName(s.code)) return void skipped.push(`school ${s.code}: code unusable as a file name`);
        await writeEntry(dir, index, 'seals', s.code, await ca.issue({ commonName: s.name, organization: s.name, kind: 'seal', serialNumber: s.code }));
      });
      await ca.save(dir);
      await writeIndex(dir, index);
      const summary = { dir, root: index.root, users: Object.keys(index.users).length, seals: Object.keys(index.seals).length, skipped, ms: Date.now() - t0 };
      if (o.json) return console.log(JSON.stringify(summary, null, 2));
      console.log(`Đã tạo PKI THỬ NGHIỆM / test PKI created in ${dir} (${summary.ms} ms) — KHÔNG DÙNG THẬT / NOT FOR REAL USE`);
      console.log(`  Root: ${index.root.subject}\n  SHA-256: ${index.root.sha256}`);
      console.log(`  ${summary.users} chứng thư cá nhân / person certificates, ${summary.seals} con dấu / seal certificates`);
      for (const s of skipped) console.log(`  bỏ qua / skipped: ${s}`);
    });

  pki
    .command('revoke <name>')
    .description('revoke the certificate of a user (or with --seal, of a school seal) and publish new CRLs')
    .option('--dir <dir>', 'the test PKI directory (default <data dir>/pki)')
    .option('--seal', '<name> is a school code: revoke that school\'s seal certificate')
    .option('--reason <reason>', `one of ${Object.keys(REASONS).join(', ')}`, 'unspecified')
    .option('--json', 'machine-readable output')
    .action(async (name: string, o: { dir?: string; seal?: boolean; reason: string; json?: boolean }) => {
      const dir = pkiDir(program, o.dir);
      const reason = REASONS[o.reason];
      if (reason === undefined) throw new Error(`unknown revocation reason "${o.reason}" (use one of ${Object.keys(REASONS).join(', ')})`);
      const index = await readIndex(dir);
      const kind = o.seal ? 'seals' : 'users';
      const entry = index[kind][name];
      if (!entry) throw new Error(`no ${o.seal ? 'seal certificate for school' : 'certificate for user'} "${name}" in ${dir}`);
      const ca = await loadTestPki(dir);
      const revokedAt = new Date();
      ca.revoke(derOf(await readFile(join(dir, entry.certificate), 'utf8'), 'CERTIFICATE'), { date: revokedAt, reason });
      await ca.save(dir);
      entry.revokedAt ??= revokedAt.toISOString();
      await writeIndex(dir, index);
      if (o.json) return console.log(JSON.stringify({ name, kind, serialNumber: entry.serialNumber, revokedAt: entry.revokedAt, reason: o.reason }, null, 2));
      console.log(`Đã thu hồi / revoked ${name} (serial ${entry.serialNumber}, ${o.reason}); CRL: ${join(dir, 'issuing.crl.pem')}`);
    });

  pki
    .command('show')
    .description('show the test PKI and the certificates issued from it')
    .option('--dir <dir>', 'the test PKI directory (default <data dir>/pki)')
    .option('--json', 'machine-readable output')
    .action(async (o: { dir?: string; json?: boolean }) => {
      const dir = pkiDir(program, o.dir);
      const index = await readIndex(dir);
      const ca = await loadTestPki(dir);
      const data = {
        dir,
        root: { subject: ca.root.subject, sha256: index.root.sha256, notAfter: ca.root.notAfter.toISOString() },
        issuing: { subject: ca.issuing.subject, notAfter: ca.issuing.notAfter.toISOString() },
        tsa: { subject: ca.tsa.subject, policy: ca.tsaPolicy },
        baseUrl: ca.baseUrl,
        users: index.users,
        seals: index.seals,
      };
      if (o.json) return console.log(JSON.stringify(data, null, 2));
      const line = (name: string, e: IndexEntry) => `  ${name.padEnd(24)} ${e.subject}${e.revokedAt ? `  [THU HỒI / REVOKED ${e.revokedAt}]` : ''}`;
      console.log(`PKI THỬ NGHIỆM / test PKI in ${dir} — KHÔNG DÙNG THẬT / NOT FOR REAL USE`);
      console.log(`Root:    ${data.root.subject}\n         SHA-256 ${data.root.sha256}, until ${data.root.notAfter}`);
      console.log(`Issuing: ${data.issuing.subject}\nTSA:     ${data.tsa.subject} (policy ${data.tsa.policy})\nOCSP/CRL URLs in certificates: ${ca.baseUrl ?? 'none'}`);
      console.log(`Người dùng / users (${Object.keys(index.users).length}):`);
      for (const [n, e] of Object.entries(index.users)) console.log(line(n, e));
      console.log(`Con dấu / seals (${Object.keys(index.seals).length}):`);
      for (const [n, e] of Object.entries(index.seals)) console.log(line(n, e));
    });
}
