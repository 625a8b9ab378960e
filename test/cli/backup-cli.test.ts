/**
 * `hocba backup` / `hocba restore` as an operator runs them on an embedded (PGlite) data
 * directory: a round trip into a new directory with the restore check, `--check-only`,
 * key files, and every refusal — wrong passphrase, truncated file, flipped byte, non-empty
 * target, a backup killed half-way — with nothing written and a clear message.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

const PASS = 'một cụm mật khẩu sao lưu 2026';
const CHILD = fileURLToPath(new URL('./backup-kill-child.ts', import.meta.url));

const run = (dir: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['bin/hocba.js', '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', HOCBA_BACKUP_PASSPHRASE: PASS, HOCBA_BACKUP_KEY_FILE: '', ...env } });

describe('hocba backup / restore (CLI, PGlite)', { concurrency: 1 }, () => {
  let work: string;
  let source: string;
  let file: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'hocba-backup-cli-'));
    source = join(work, 'data');
    file = join(work, 'school.hbak');
    const init = run(source, ['init', '--school-code', '38001501', '--school-name', 'Trường THPT Hậu Lộc I', '--province', 'Thanh Hóa', '--admin-username', 'cntt', '--admin-name', 'Nguyễn Văn Tin', '--admin-password', 'mat-khau-quan-tri']);
    assert.equal(init.status, 0, init.stderr);
    // A server-held key file (as `hocba pki demo` / a seal upload leave them) must travel too.
    mkdirSync(join(source, 'keys'), { recursive: true });
    writeFileSync(join(source, 'keys', 'seal.key.pem'), '-----BEGIN PRIVATE KEY-----\nnot a real key\n-----END PRIVATE KEY-----\n', { mode: 0o600 });
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('--help explains backup and restore', () => {
    const b = run(source, ['backup', '--help']);
    assert.equal(b.status, 0);
    assert.match(b.stdout, /--out/);
    assert.match(b.stdout, /--key-file/);
    const r = run(source, ['restore', '--help']);
    assert.match(r.stdout, /--check-only/);
    assert.match(r.stdout, /Exit codes/);
  });

  test('backup → check-only → restore into a new directory: everything back, check passed', () => {
    const b = run(source, ['backup', '--out', file]);
    assert.equal(b.status, 0, b.stderr);
    assert.match(b.stdout, /backup written/);
    assert.match(b.stdout, /keys\/seal\.key\.pem/);
    assert.deepEqual(readdirSync(work).filter((n) => n.endsWith('.partial')), []);

    const c = run(source, ['restore', '--check-only', file, '--json']);
    assert.equal(c.status, 0, c.stderr);
    const manifest = JSON.parse(c.stdout).manifest;
    assert.ok(manifest.tables.find((t: { name: string; rows: number }) => t.name === 'schools').rows === 1);

    const target = join(work, 'restored');
    const r = run(target, ['restore', file]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /restore check: ĐẠT \/ PASSED/);
    assert.match(r.stdout, /audit log:\s+toàn vẹn \/ intact — [1-9]\d* entries/);
    assert.deepEqual(readFileSync(join(target, 'keys', 'seal.key.pem')), readFileSync(join(source, 'keys', 'seal.key.pem')));
    const audit = run(target, ['audit', 'verify', '--json']);
    assert.equal(audit.status, 0, audit.stderr);
    const src = run(source, ['audit', 'verify', '--json']);
    assert.deepEqual(JSON.parse(audit.stdout).chains, JSON.parse(src.stdout).chains, 'the same chain heads');
    assert.equal(run(target, ['restore-check', '--offline']).status, 0);
  });

  test('refusals: wrong passphrase, truncated, flipped byte, non-empty target — nothing written', () => {
    const bytes = readFileSync(file);
    const target = join(work, 'never');
    const wrong = run(target, ['restore', file], { HOCBA_BACKUP_PASSPHRASE: 'not the passphrase' });
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /backup\.wrong_key.*wrong passphrase or key file/);

    writeFileSync(join(work, 'cut.hbak'), bytes.subarray(0, bytes.length - 100));
    const cut = run(target, ['restore', join(work, 'cut.hbak')]);
    assert.equal(cut.status, 1);
    assert.match(cut.stderr, /backup\.(truncated|corrupt)/);

    const flipped = Buffer.from(bytes);
    const mid = Math.floor(bytes.length / 2);
    flipped[mid] = flipped[mid]! ^ 0x10;
    writeFileSync(join(work, 'flip.hbak'), flipped);
    const flip = run(target, ['restore', join(work, 'flip.hbak')]);
    assert.equal(flip.status, 1);
    assert.match(flip.stderr, /backup\.corrupt.*(chunk|manifest)/);
    const check = run(target, ['restore', '--check-only', join(work, 'flip.hbak')]);
    assert.equal(check.status, 1);
    assert.equal(existsSync(target), false, 'the target was never created');
    assert.deepEqual(readdirSync(work).filter((n) => n.includes('restoring')), []);

    const before = readdirSync(source).sort();
    const full = run(source, ['restore', file]);
    assert.equal(full.status, 1);
    assert.match(full.stderr, /backup\.target_not_empty.*is not empty/);
    assert.deepEqual(readdirSync(source).sort(), before);
  });

  test('a key file instead of a passphrase', () => {
    const key = join(work, 'backup.key');
    writeFileSync(key, randomBytes(32), { mode: 0o600 });
    const out = join(work, 'keyed.hbak');
    assert.equal(run(source, ['backup', '--out', out, '--key-file', key]).status, 0);
    assert.equal(run(source, ['restore', '--check-only', out, '--key-file', key]).status, 0);
    const pass = run(source, ['restore', '--check-only', out]);
    assert.equal(pass.status, 1);
    assert.match(pass.stderr, /key file/);
    writeFileSync(join(work, 'short.key'), 'short');
    const short = run(source, ['backup', '--out', join(work, 'x.hbak'), '--key-file', join(work, 'short.key')]);
    assert.equal(short.status, 1);
    assert.match(short.stderr, /too short/);
    assert.equal(existsSync(join(work, 'x.hbak')), false);
  });

  test('a backup killed half-way leaves no file that looks complete', () => {
    const out = join(work, 'killed.hbak');
    const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, source, out], { encoding: 'utf8', env: { ...process.env, HOCBA_BACKUP_PASSPHRASE: PASS } });
    assert.equal(child.signal, 'SIGKILL', child.stdout + child.stderr);
    assert.equal(existsSync(out), false);
    const partial = readdirSync(work).filter((n) => n.startsWith('.killed.hbak.') && n.endsWith('.partial'));
    assert.equal(partial.length, 1);
    const r = run(join(work, 'never2'), ['restore', '--check-only', join(work, partial[0]!)]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /backup\.truncated/);
  });
});
