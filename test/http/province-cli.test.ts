/** `hocba user add --role province_officer --province <code>`: the deployment operator grants the province role from the CLI. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/client.ts';

const run = (dir: string, args: string[]) =>
  spawnSync(process.execPath, ['bin/hocba.js', '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });

describe('hocba user add --role province_officer', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hocba-province-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('needs a known province code, takes no school, and stores the province on the grant', async () => {
    const base = ['user', 'add', '--name', 'Lê Thị Thu Hà', '--role', 'province_officer', '--password', 'mat-khau-can-bo-so'];
    const missing = run(dir, [...base, '--username', 'so.none']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /province/);
    const unknown = run(dir, [...base, '--username', 'so.unknown', '--province', '99']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /unknown province code 99/);
    const ok = run(dir, [...base, '--username', 'so.thanhhoa', '--province', '38']);
    assert.equal(ok.status, 0, ok.stderr);
    const help = run(dir, ['user', 'add', '--help']);
    assert.match(help.stdout, /--province <code>/);
    const d = await openDatabase({ dataDir: dir });
    try {
      const rows = await d.query<{ username: string; role: string; school_id: string | null; province_code: string | null }>(
        'select u.username, g.role, g.school_id, g.province_code from role_grants g join users u on u.id = g.user_id',
      );
      assert.deepEqual(rows, [{ username: 'so.thanhhoa', role: 'province_officer', school_id: null, province_code: '38' }]);
    } finally {
      await d.close();
    }
  });
});
