import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runTool, toolSkip } from '../../test/helpers/test-pki.ts';
import { openDatabase } from '../db/client.ts';
import { schools, staff, users } from '../db/schema.ts';
import { initSchool } from '../services/schools/init-school.ts';
import { buildProgram } from './main.ts';

/** Runs `hocba …` in-process and returns what it printed (console.log) or the error it threw. */
async function hocba(dataDir: string, ...args: string[]): Promise<{ out: string; error?: Error }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    await buildProgram().parseAsync(['node', 'hocba', '--data-dir', dataDir, ...args]);
    return { out: lines.join('\n') };
  } catch (error) {
    return { out: lines.join('\n'), error: error as Error };
  } finally {
    console.log = log;
  }
}

describe('hocba pki', { skip: toolSkip('openssl') }, () => {
  let dataDir: string;
  const savedUrl = process.env.DATABASE_URL;
  before(async () => {
    delete process.env.DATABASE_URL; // this suite drives the embedded database in dataDir
    dataDir = mkdtempSync(join(tmpdir(), 'hocba-cli-pki-'));
    const d = await openDatabase({ dataDir });
    try {
      const actor = { userId: null, label: 'test' };
      const { schoolId } = await initSchool({ db: d.db, actor, code: '38001501', name: 'Trường THPT Hậu Lộc I', province: 'Thanh Hóa', schoolYear: { name: '2025-2026', startsOn: '2025-09-05', endsOn: '2026-05-31' } });
      const u = await d.db
        .insert(users)
        .values([
          { username: 'gv.huong', displayName: 'Nguyễn Thị Hương', email: 'huong@thpt-hauloc1.edu.vn', passwordHash: 'x' },
          { username: 'ht.dung', displayName: 'Lê Văn Dũng', passwordHash: 'x' },
          { username: 'gv.nghi', displayName: 'Trần Văn Nghỉ', passwordHash: 'x', disabledAt: new Date() },
        ])
        .returning({ id: users.id, username: users.username });
      const idOf = (n: string) => u.find((x) => x.username === n)!.id;
      await d.db.insert(staff).values([
        { schoolId, userId: idOf('gv.huong'), fullName: 'Nguyễn Thị Hương' },
        { schoolId, userId: idOf('ht.dung'), fullName: 'Lê Văn Dũng', email: 'dung@thpt-hauloc1.edu.vn' },
        { schoolId, userId: idOf('gv.nghi'), fullName: 'Trần Văn Nghỉ' },
        { schoolId, userId: null, fullName: 'Chưa Có Tài Khoản' },
      ]);
      assert.equal((await d.db.select().from(schools)).length, 1);
    } finally {
      await d.close();
    }
  });
  after(() => {
    if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('--help describes pki and its subcommands', () => {
    const r = spawnSync(process.execPath, ['bin/hocba.js', 'pki', '--help'], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
    assert.equal(r.status, 0, r.stderr);
    for (const c of ['demo', 'revoke', 'show']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
    assert.match(r.stdout, /THỬ NGHIỆM/);
  });

  test('demo issues one certificate per active staff member and a seal per school, in <data dir>/pki', async () => {
    const r = await hocba(dataDir, 'pki', 'demo', '--json');
    assert.equal(r.error, undefined, r.error?.message);
    const summary = JSON.parse(r.out);
    const dir = join(dataDir, 'pki');
    assert.equal(summary.dir, dir);
    assert.equal(summary.users, 2, 'disabled account and staff without account get none');
    assert.equal(summary.seals, 1);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
    assert.deepEqual(Object.keys(index.users).sort(), ['gv.huong', 'ht.dung']);
    assert.equal(index.users['gv.huong'].certificate, 'users/gv.huong.crt.pem');
    assert.match(index.users['gv.huong'].sha256, /^[0-9a-f]{64}$/);
    for (const k of ['users/gv.huong.key.pem', 'seals/38001501.key.pem', 'root.key.pem']) assert.equal(statSync(join(dir, k)).mode & 0o777, 0o600, k);

    const subject = async (file: string) => (await runTool('openssl', ['x509', '-in', join(dir, file), '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus_space'])).stdout;
    assert.match(await subject('users/gv.huong.crt.pem'), /O=Trường THPT Hậu Lộc I, CN=Nguyễn Thị Hương, UID=gv\.huong, emailAddress=huong@thpt-hauloc1\.edu\.vn/);
    assert.match(await subject('users/ht.dung.crt.pem'), /CN=Lê Văn Dũng, UID=ht\.dung, emailAddress=dung@thpt-hauloc1\.edu\.vn/, 'staff email wins');
    assert.match(await subject('seals/38001501.crt.pem'), /O=Trường THPT Hậu Lộc I, CN=Trường THPT Hậu Lộc I, serialNumber=38001501/);
    const v = await runTool('openssl', ['verify', '-CAfile', join(dir, 'root.crt.pem'), '-untrusted', join(dir, 'issuing.crt.pem'), join(dir, 'users/gv.huong.crt.pem'), join(dir, 'seals/38001501.crt.pem')]);
    assert.equal(v.status, 0, v.stdout + v.stderr);

    const again = await hocba(dataDir, 'pki', 'demo');
    assert.match(again.error?.message ?? '', /already exists in .*pki: use --force/);
  });

  test('revoke publishes a CRL that openssl honours; show reports it; unknown names are refused', async () => {
    const dir = join(dataDir, 'pki');
    const r = await hocba(dataDir, 'pki', 'revoke', 'gv.huong', '--reason', 'keyCompromise', '--json');
    assert.equal(r.error, undefined, r.error?.message);
    assert.equal(JSON.parse(r.out).reason, 'keyCompromise');
    const base = ['verify', '-crl_check', '-CAfile', join(dir, 'root.crt.pem'), '-untrusted', join(dir, 'issuing.crt.pem'), '-CRLfile', join(dir, 'issuing.crl.pem')];
    const revoked = await runTool('openssl', [...base, join(dir, 'users/gv.huong.crt.pem')]);
    assert.notEqual(revoked.status, 0);
    assert.match(revoked.stdout + revoked.stderr, /certificate revoked/);
    assert.equal((await runTool('openssl', [...base, join(dir, 'users/ht.dung.crt.pem')])).status, 0);

    const show = JSON.parse((await hocba(dataDir, 'pki', 'show', '--json')).out);
    assert.ok(show.users['gv.huong'].revokedAt);
    assert.equal(show.users['ht.dung'].revokedAt, undefined);
    assert.match(show.root.subject, /KHÔNG DÙNG THẬT/);
    const text = (await hocba(dataDir, 'pki', 'show')).out;
    assert.match(text, /gv\.huong .*REVOKED/);

    assert.match((await hocba(dataDir, 'pki', 'revoke', 'khong.co')).error?.message ?? '', /no certificate for user "khong\.co"/);
    assert.match((await hocba(dataDir, 'pki', 'revoke', 'ht.dung', '--reason', 'vui')).error?.message ?? '', /unknown revocation reason "vui"/);
    const seal = await hocba(dataDir, 'pki', 'revoke', '38001501', '--seal');
    assert.equal(seal.error, undefined, seal.error?.message);
  });

  test('demo --force replaces the PKI (new root)', async () => {
    const before = JSON.parse(readFileSync(join(dataDir, 'pki', 'index.json'), 'utf8')).root.sha256;
    const r = await hocba(dataDir, 'pki', 'demo', '--force', '--json');
    assert.equal(r.error, undefined, r.error?.message);
    assert.notEqual(JSON.parse(r.out).root.sha256, before);
    const show = JSON.parse((await hocba(dataDir, 'pki', 'show', '--json')).out);
    assert.equal(show.users['gv.huong'].revokedAt, undefined, 'revocations belonged to the old PKI');
  });
});
