/**
 * `hocba practice create|reset` on an embedded (PGlite) data directory holding the demo
 * school: creates the practice school with test certificates, refuses a second one and an
 * unknown school with a clear message, and `reset` replaces it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

const run = (dir: string, args: string[]) => spawnSync(process.execPath, ['bin/hocba.js', '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });

describe('hocba practice (CLI, PGlite)', { concurrency: 1 }, () => {
  let work: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'hocba-practice-cli-'));
    const demo = run(work, ['demo', '--students', '84', '--no-year']);
    assert.equal(demo.status, 0, demo.stderr);
    assert.match(demo.stdout, /Trường mẫu \/ demo school/);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('--help names both commands', () => {
    const h = run(work, ['practice', '--help']);
    assert.equal(h.status, 0);
    assert.match(h.stdout, /create/);
    assert.match(h.stdout, /reset/);
  });

  test('an unknown school is named in the error, exit 1', () => {
    const r = run(work, ['practice', 'create', '--school', 'KHONG-CO']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /KHONG-CO/);
  });

  test('create, a second create refused, then reset', () => {
    const list = spawnSync(process.execPath, ['--import', 'tsx', '-e', `
      import { openDatabase } from './src/db/client.ts';
      const d = await openDatabase({ url: null, dataDir: ${JSON.stringify(work)}, poolSize: 1 });
      const r = await d.query("select code from schools where practice_of_school_id is null");
      console.log(r.map((x) => x.code).join(','));
      await d.close();`], { encoding: 'utf8' });
    const school = list.stdout.trim();
    assert.match(school, /^\S+$/, list.stderr);
    const first = run(work, ['practice', 'create', '--school', school, '--classes', '3']);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /3 lớp \/ classes, 126 học sinh giả định/);
    assert.match(first.stdout, new RegExp(`\\(${school}-TH\\)`));
    assert.match(first.stdout, /chứng thư THỬ NGHIỆM/);
    const again = run(work, ['practice', 'create', '--school', school, '--classes', '3']);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /practice\.exists/);
    assert.match(again.stderr, /Làm mới/);
    const reset = run(work, ['practice', 'reset', '--school', school, '--classes', '3']);
    assert.equal(reset.status, 0, reset.stderr);
    assert.match(reset.stdout, /ngừng dùng \/ the previous practice school is retired/);
  });
});
