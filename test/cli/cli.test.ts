import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { knownMigrations, openDatabase } from '../../src/db/client.ts';

const run = (dir: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['bin/hocba.js', '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', ...env } });

describe('hocba CLI', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hocba-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--help lists every command', () => {
    const r = run(dir, ['--help']);
    assert.equal(r.status, 0);
    for (const c of ['serve', 'migrate', 'init', 'demo', 'user', 'audit']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
    const u = run(dir, ['user', '--help']);
    for (const c of ['add', 'reset-password', 'disable']) assert.match(u.stdout, new RegExp(`\\b${c}\\b`));
  });

  test('init creates a school and its administrator from flags; user commands manage accounts; all audited', async () => {
    const init = run(dir, ['init', '--school-code', '38001501', '--school-name', 'Trường THPT Hậu Lộc I', '--province', 'Thanh Hóa', '--admin-username', 'cntt', '--admin-name', 'Nguyễn Văn Tin', '--admin-password', 'mat-khau-quan-tri']);
    assert.equal(init.status, 0, init.stderr);
    const again = run(dir, ['init', '--school-code', '38001501', '--school-name', 'X', '--province', 'Y', '--admin-username', 'cntt2', '--admin-name', 'Z', '--admin-password', 'mat-khau-quan-tri']);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /conflict/);

    const add = run(dir, ['user', 'add', '--username', 'gv.lan', '--name', 'Nguyễn Thị Lan', '--role', 'subject_teacher', 'homeroom_teacher', '--school', '38001501', '--password', 'mat-khau-giao-vien']);
    assert.equal(add.status, 0, add.stderr);
    const weak = run(dir, ['user', 'add', '--username', 'gv.yeu', '--name', 'A', '--role', 'clerk', '--school', '38001501', '--password', 'ngan']);
    assert.equal(weak.status, 1);
    assert.match(weak.stderr, /auth.weak_password/);
    const badRole = run(dir, ['user', 'add', '--username', 'gv.x', '--name', 'A', '--role', 'giamdoc', '--school', '38001501', '--password', 'mat-khau-giao-vien']);
    assert.equal(badRole.status, 1);
    assert.match(badRole.stderr, /giamdoc/);

    const reset = run(dir, ['user', 'reset-password', 'gv.lan']);
    assert.equal(reset.status, 0, reset.stderr);
    assert.match(reset.stdout, /[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}/);
    assert.equal(run(dir, ['user', 'disable', 'gv.lan']).status, 0);
    const unknown = run(dir, ['user', 'disable', 'khong-co']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /khong-co/);

    const verify = run(dir, ['audit', 'verify', '--json']);
    assert.equal(verify.status, 0, verify.stderr);
    assert.equal(JSON.parse(verify.stdout).ok, true);

    const d = await openDatabase({ dataDir: dir });
    try {
      const rows = await d.query<{ action: string; actor_label: string }>('select action, actor_label from audit_log order by id');
      const actions = rows.map((r) => r.action);
      for (const a of ['school.created', 'user.created', 'user.password_reset', 'user.disabled']) assert.ok(actions.includes(a), a);
      assert.ok(rows.every((r) => r.actor_label.startsWith('cli:')));
      const [u] = await d.query<{ disabled: boolean; must: boolean }>(`select disabled_at is not null as disabled, must_change_password as must from users where username = 'gv.lan'`);
      assert.deepEqual(u, { disabled: true, must: true });
    } finally {
      await d.close();
    }
  });

  test('init marks the deployment as real: serve will not load the demo school into it', async () => {
    const { serve } = await import('../../src/server/serve.ts');
    const { loadConfig } = await import('../../src/server/config.ts');
    const running = await serve(loadConfig({ dataDir: dir, port: 0 }, {}), { demo: true, log: () => undefined });
    try {
      const n = await running.database.query<{ n: number }>('select count(*)::int as n from schools where is_demo');
      assert.equal(n[0]!.n, 0);
      const health = await fetch(`${running.url}/api/health`);
      assert.equal(health.status, 200);
    } finally {
      await running.close();
    }
  });

  test('serve --no-demo leaves an empty database empty', async () => {
    const { serve } = await import('../../src/server/serve.ts');
    const { loadConfig } = await import('../../src/server/config.ts');
    const empty = mkdtempSync(join(tmpdir(), 'hocba-empty-'));
    const running = await serve(loadConfig({ dataDir: empty, port: 0 }, {}), { demo: false, log: () => undefined });
    try {
      const n = await running.database.query<{ n: number }>('select count(*)::int as n from schools');
      assert.equal(n[0]!.n, 0);
    } finally {
      await running.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('admin-units load: the official commune list replaces the previous one; bad rows are refused whole', async () => {
    const good = join(dir, 'xa.csv');
    writeFileSync(good, 'Mã tỉnh,Tên tỉnh,Mã xã,Tên xã\n38,Thanh Hóa,16000,Xã Hậu Lộc\n38,Tỉnh Thanh Hóa,16001,Xã Triệu Lộc\n01,Hà Nội,00001,Phường Ba Đình\n');
    const r = run(dir, ['admin-units', 'load', good]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /3 xã\/phường .* 2 tỉnh/);
    const bad = join(dir, 'xa-loi.csv');
    writeFileSync(bad, 'Tên tỉnh,Tên xã\nQuảng Bình,Xã A\n');
    const b = run(dir, ['admin-units', 'load', bad]);
    assert.equal(b.status, 1);
    assert.match(b.stderr, /Quảng Bình/);
    const d = await openDatabase({ dataDir: dir });
    try {
      const n = await d.query<{ n: number }>('select count(*)::int as n from admin_units');
      assert.equal(n[0]!.n, 3, 'the earlier list is kept');
    } finally {
      await d.close();
    }
  });

  test('a data directory in use by another process is refused with a clear message', async () => {
    const d = await openDatabase({ dataDir: dir });
    try {
      const r = run(dir, ['audit', 'verify']);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /db\.locked/);
      assert.match(r.stderr, new RegExp(`process ${process.pid}|tiến trình ${process.pid}`));
    } finally {
      await d.close();
    }
  });

  test('a data directory from a newer version is refused and left untouched', async () => {
    const d = await openDatabase({ dataDir: dir });
    await d.query(`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-the-future', 99999999999999)`);
    await d.close();
    const r = run(dir, ['migrate']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /db\.newer_version/);
    const d2 = await openDatabase({ dataDir: dir, migrate: false });
    try {
      const n = await d2.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
      assert.equal(n[0]!.n, knownMigrations().length + 1);
    } finally {
      await d2.close();
    }
  });
});
