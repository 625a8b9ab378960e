import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BackupError } from './backup-error.ts';
import { CHUNK_SIZE, type KeySource, type Manifest } from './backup-format.ts';
import { scanBackup } from './backup-reader.ts';
import { BackupWriter } from './backup-writer.ts';

const PASS: KeySource = { passphrase: 'một cụm mật khẩu đủ dài 2026' };
const manifestBase: Omit<Manifest, 'contentSha256' | 'contentBytes' | 'chunks'> = {
  createdAt: '2026-11-29T00:00:00.000Z',
  completedAt: '2026-11-29T00:00:01.000Z',
  source: { kind: 'pglite', dataDir: null, database: 'PGlite' },
  migrations: [],
  tables: [],
  sequences: 0,
  files: [],
  expected: { auditEntries: 0, sealedVersions: 0, signedVersions: 0, signatures: 0 },
};

async function scanAll(file: string, key: KeySource): Promise<{ lines: string[]; manifest: Manifest }> {
  const lines: string[] = [];
  const { manifest } = await scanBackup(file, key, (l) => void lines.push(l.toString('utf8')));
  return { lines, manifest };
}

const refusedWith = (code: string, re?: RegExp) => (e: unknown) => e instanceof BackupError && e.code === code && (!re || re.test(e.message));
const refused = (e: unknown) => e instanceof BackupError && ['backup.corrupt', 'backup.truncated', 'backup.not_a_backup', 'backup.wrong_key'].includes(e.code);

describe('backup file format', () => {
  let dir: string;
  let file: string;
  let keyFile: Uint8Array;
  let keyed: string;
  let big: string;
  const lines: string[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hocba-backup-format-'));
    // ~3.5 chunks: long incompressible lines crossing chunk boundaries, and Vietnamese text.
    for (let i = 0; i < 90; i++) lines.push(`R ${JSON.stringify({ i, name: 'Nguyễn Thị Lan', blob: randomBytes(30_000).toString('base64') })}`);
    file = join(dir, 'a.hbak');
    const w = await BackupWriter.open(file, PASS, new Date());
    for (const l of lines) w.write(`${l}\n`);
    w.finish(manifestBase);
    keyFile = randomBytes(32);
    keyed = join(dir, 'k.hbak');
    const k = await BackupWriter.open(keyed, { keyFile }, new Date());
    k.write('E {}\n');
    k.finish(manifestBase);
    // The damage tests use a key file: scrypt would cost a second per attempt.
    big = join(dir, 'big.hbak');
    const b = await BackupWriter.open(big, { keyFile }, new Date());
    for (const l of lines) b.write(`${l}\n`);
    b.finish(manifestBase);
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('round trip: every line back in order, several chunks, manifest authenticated, no temp file left', async () => {
    const got = await scanAll(file, PASS);
    assert.deepEqual(got.lines, lines);
    assert.ok(got.manifest.chunks >= 3, `${got.manifest.chunks} chunks`);
    assert.equal(got.manifest.contentBytes, lines.reduce((s, l) => s + Buffer.byteLength(l) + 1, 0));
    assert.ok(got.manifest.contentBytes > 2 * CHUNK_SIZE);
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.partial')), []);
    assert.deepEqual((await scanAll(keyed, { keyFile })).lines, ['E {}']);
  });

  test('a wrong passphrase or key is refused before any content is handed out', async () => {
    let seen = 0;
    await assert.rejects(scanBackup(file, { passphrase: 'wrong passphrase 123' }, () => void seen++), refusedWith('backup.wrong_key', /wrong passphrase or key file/));
    await assert.rejects(scanBackup(keyed, { keyFile: randomBytes(32) }, () => void seen++), refusedWith('backup.wrong_key'));
    await assert.rejects(scanBackup(keyed, PASS, () => void seen++), refusedWith('backup.wrong_key', /key file/));
    await assert.rejects(scanBackup(file, { keyFile }, () => void seen++), refusedWith('backup.wrong_key', /passphrase/));
    assert.equal(seen, 0);
  });

  test('a truncated file is refused wherever it was cut', async () => {
    const bytes = await readFile(big);
    const cuts = [0, 5, 20, 200, Math.floor(bytes.length / 3), Math.floor(bytes.length / 2), bytes.length - 40, bytes.length - 8, bytes.length - 1];
    for (const cut of cuts) {
      const f = join(dir, `cut-${cut}.hbak`);
      await writeFile(f, bytes.subarray(0, cut));
      await assert.rejects(scanAll(f, { keyFile }), refused, `cut at ${cut}`);
    }
    // Cut exactly after the first chunk: the final flag is missing.
    const f = join(dir, 'cut-chunk.hbak');
    const preambleLen = 12 + bytes.readUInt32BE(8);
    const chunkLen = bytes.readUInt32BE(preambleLen);
    await writeFile(f, bytes.subarray(0, preambleLen + 4 + chunkLen + 16));
    await assert.rejects(scanAll(f, { keyFile }), refusedWith('backup.truncated'));
  });

  test('one flipped bit anywhere is refused, naming the damaged part', async () => {
    const bytes = await readFile(big);
    const preambleLen = 12 + bytes.readUInt32BE(8);
    const positions = [3, 12 + 40, preambleLen + 2, preambleLen + 100, Math.floor(bytes.length / 2), bytes.length - 60, bytes.length - 20, bytes.length - 3];
    for (const pos of positions) {
      const copy = Buffer.from(bytes);
      copy[pos] = copy[pos]! ^ 0x04;
      const f = join(dir, `flip-${pos}.hbak`);
      await writeFile(f, copy);
      await assert.rejects(scanAll(f, { keyFile }), refused, `flip at ${pos}`);
    }
    const copy = Buffer.from(bytes);
    const mid = Math.floor(bytes.length / 2);
    copy[mid] = copy[mid]! ^ 0x01;
    await writeFile(join(dir, 'mid.hbak'), copy);
    await assert.rejects(scanAll(join(dir, 'mid.hbak'), { keyFile }), refusedWith('backup.corrupt', /chunk #\d+ is damaged or was altered/));
  });

  test('extra bytes, swapped chunks and a foreign file are refused', async () => {
    const bytes = await readFile(big);
    await writeFile(join(dir, 'extra.hbak'), Buffer.concat([bytes, Buffer.from('x')]));
    await assert.rejects(scanAll(join(dir, 'extra.hbak'), { keyFile }), refused);
    // Swap the first two chunks (same lengths): the nonce/AAD index no longer matches.
    const p = 12 + bytes.readUInt32BE(8);
    const l0 = bytes.readUInt32BE(p);
    const l1 = bytes.readUInt32BE(p + 4 + l0 + 16);
    const c0 = bytes.subarray(p, p + 4 + l0 + 16);
    const c1 = bytes.subarray(p + 4 + l0 + 16, p + 4 + l0 + 16 + 4 + l1 + 16);
    const swapped = Buffer.concat([bytes.subarray(0, p), c1, c0, bytes.subarray(p + c0.length + c1.length)]);
    await writeFile(join(dir, 'swap.hbak'), swapped);
    await assert.rejects(scanAll(join(dir, 'swap.hbak'), { keyFile }), refusedWith('backup.corrupt', /chunk #0/));
    await writeFile(join(dir, 'pdf.hbak'), '%PDF-1.7 not a backup');
    await assert.rejects(scanAll(join(dir, 'pdf.hbak'), { keyFile }), refusedWith('backup.not_a_backup'));
    await assert.rejects(scanAll(join(dir, 'missing.hbak'), { keyFile }), refusedWith('backup.not_a_backup', /no such file/));
  });

  test('an interrupted writer leaves no file under the final name', async () => {
    const out = join(dir, 'interrupted.hbak');
    const w = await BackupWriter.open(out, PASS, new Date());
    w.write(`${lines[0]}\n`.repeat(60));
    assert.ok(existsSync(w.tempPath) && w.tempPath.endsWith('.partial'));
    assert.equal(existsSync(out), false);
    // What a killed process leaves: the partial file is refused as incomplete.
    await assert.rejects(scanAll(w.tempPath, PASS), refusedWith('backup.truncated'));
    w.abort();
    assert.equal(existsSync(w.tempPath), false);
  });
});
