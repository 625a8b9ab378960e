/**
 * The backup file format (docs/backup.md), version 1: a plaintext preamble (magic, the
 * cipher and key-derivation parameters), the gzip-compressed content cut into AES-256-GCM
 * chunks, and an encrypted manifest (counts, file list, SHA-256 of the content). Only the
 * preamble is readable without the key.
 *
 *   "HOCBABAK" | u32 preamble length | preamble JSON
 *   chunk*     : u32 length | ciphertext | 16-byte tag   (nonce = prefix ‖ u64 index;
 *                AAD = SHA-256(preamble) ‖ u64 index ‖ final flag)
 *   manifest   : u32 length | encrypted manifest JSON | 16-byte tag (AAD = SHA-256(preamble))
 *   "HOCBAEND"
 *
 * The final flag in the last chunk's AAD and the end magic make a truncated file fail;
 * the preamble hash in every tag makes an edited preamble fail. The key check value in
 * the preamble (HMAC of a constant under a second derived key) tells a wrong passphrase
 * apart from a damaged file without decrypting anything.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { BackupError } from './backup-error.ts';

const scrypt = promisify(scryptCb) as (password: string | Buffer, salt: Buffer, keylen: number, opts: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

export const MAGIC = Buffer.from('HOCBABAK', 'latin1');
export const END_MAGIC = Buffer.from('HOCBAEND', 'latin1');
export const FORMAT_VERSION = 1;
export const TAG_BYTES = 16;
/** Plaintext bytes per chunk: small enough to hold in memory, large enough to keep the overhead negligible. */
export const CHUNK_SIZE = 1 << 20;
/** Preamble and manifest are small; anything larger is not a hocba backup. */
export const MAX_META_BYTES = 4 << 20;
/** scrypt cost: 2^17 (128 MiB, ~0.3 s here), the OWASP recommendation for scrypt. */
const SCRYPT = { N: 1 << 17, r: 8, p: 1 };

export type KdfParams = { name: 'scrypt'; salt: string; N: number; r: number; p: number } | { name: 'key-file'; salt: string };

export interface Preamble {
  format: 'hocba-backup';
  version: number;
  cipher: 'AES-256-GCM';
  compression: 'gzip';
  chunkSize: number;
  noncePrefix: string;
  kdf: KdfParams;
  /** hex HMAC-SHA256(checkKey, "hocba-backup key check v1"), first 16 bytes. */
  keyCheck: string;
  createdAt: string;
}

export interface Manifest {
  createdAt: string;
  completedAt: string;
  source: { kind: 'pglite' | 'postgres'; dataDir: string | null; database: string };
  /** Migrations applied in the source database (drizzle journal tags, in order). */
  migrations: string[];
  /** Rows per table, in restore order. */
  tables: Array<{ name: string; rows: number }>;
  sequences: number;
  files: Array<{ path: string; bytes: number; sha256: string }>;
  /** SHA-256 (hex) and length of the uncompressed content. */
  contentSha256: string;
  contentBytes: number;
  chunks: number;
  /** What the restore check should find. */
  expected: { auditEntries: number; sealedVersions: number; signedVersions: number; signatures: number };
}

/** The key material of a backup: where it comes from (passphrase or key file). */
export type KeySource = { passphrase: string } | { keyFile: Uint8Array };

export interface Keys {
  enc: Buffer;
  check: Buffer;
}

/** Derives the encryption and key-check keys for a preamble's parameters. */
export async function deriveKeys(source: KeySource, kdf: KdfParams): Promise<Keys> {
  const salt = Buffer.from(kdf.salt, 'base64');
  let okm: Buffer;
  if (kdf.name === 'scrypt') {
    if (!('passphrase' in source)) throw new BackupError('backup.wrong_key', 'bản sao lưu này được mã hoá bằng cụm mật khẩu, không phải tệp khoá / this backup is encrypted with a passphrase, not a key file');
    if (kdf.N > 1 << 20 || kdf.r > 32 || kdf.p > 16) throw new BackupError('backup.corrupt', `tham số scrypt bất thường / unreasonable scrypt parameters N=${kdf.N} r=${kdf.r} p=${kdf.p}`);
    okm = await scrypt(source.passphrase.normalize('NFC'), salt, 64, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * 1024 * 1024 + 128 * kdf.N * kdf.r });
  } else if (kdf.name === 'key-file') {
    if (!('keyFile' in source)) throw new BackupError('backup.wrong_key', 'bản sao lưu này được mã hoá bằng tệp khoá (--key-file) / this backup is encrypted with a key file (--key-file)');
    okm = Buffer.from(hkdfSync('sha256', source.keyFile, salt, 'hocba-backup v1', 64));
  } else {
    throw new BackupError('backup.corrupt', `phương pháp tạo khoá không rõ / unknown key derivation "${(kdf as { name: string }).name}"`);
  }
  return { enc: okm.subarray(0, 32), check: okm.subarray(32) };
}

export function keyCheckOf(keys: Keys): string {
  return createHmac('sha256', keys.check).update('hocba-backup key check v1').digest().subarray(0, 16).toString('hex');
}

/** A key file must hold at least 32 bytes of secret (e.g. `head -c 32 /dev/urandom`). */
export function checkKeyFile(bytes: Uint8Array, where: string): void {
  if (bytes.length < 32) throw new BackupError('backup.wrong_key', `tệp khoá ${where} quá ngắn (${bytes.length} byte, cần ≥ 32) / the key file ${where} is too short (${bytes.length} bytes, at least 32 needed)`);
}

/** A new preamble with fresh salt and nonce prefix for the given key source. */
export async function newPreamble(source: KeySource, now: Date): Promise<{ preamble: Preamble; keys: Keys }> {
  const salt = randomBytes(16).toString('base64');
  const kdf: KdfParams = 'passphrase' in source ? { name: 'scrypt', salt, ...SCRYPT } : { name: 'key-file', salt };
  const keys = await deriveKeys(source, kdf);
  const preamble: Preamble = { format: 'hocba-backup', version: FORMAT_VERSION, cipher: 'AES-256-GCM', compression: 'gzip', chunkSize: CHUNK_SIZE, noncePrefix: randomBytes(4).toString('base64'), kdf, keyCheck: keyCheckOf(keys), createdAt: now.toISOString() };
  return { preamble, keys };
}

export function encodeMeta(json: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(json), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function nonce(prefix: Buffer, index: bigint): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0, 0, 4);
  n.writeBigUInt64BE(index, 4);
  return n;
}

function chunkAad(preambleHash: Buffer, index: number, final: boolean): Buffer {
  const a = Buffer.alloc(41);
  preambleHash.copy(a, 0);
  a.writeBigUInt64BE(BigInt(index), 32);
  a[40] = final ? 1 : 0;
  return a;
}

const MANIFEST_NONCE_INDEX = 0xffffffffffffffffn;

/** Seals one chunk; returns length prefix ‖ ciphertext ‖ tag. */
export function sealChunk(keys: Keys, prefix: Buffer, preambleHash: Buffer, index: number, final: boolean, plain: Buffer): Buffer {
  const c = createCipheriv('aes-256-gcm', keys.enc, nonce(prefix, BigInt(index)));
  c.setAAD(chunkAad(preambleHash, index, final));
  const body = Buffer.concat([c.update(plain), c.final()]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body, c.getAuthTag()]);
}

/** Opens one chunk or throws backup.corrupt naming it. */
export function openChunk(keys: Keys, prefix: Buffer, preambleHash: Buffer, index: number, final: boolean, body: Buffer, tag: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', keys.enc, nonce(prefix, BigInt(index)));
  d.setAAD(chunkAad(preambleHash, index, final));
  d.setAuthTag(tag);
  try {
    return Buffer.concat([d.update(body), d.final()]);
  } catch {
    throw new BackupError('backup.corrupt', `khối dữ liệu #${index} bị hỏng hoặc bị sửa (sai mã xác thực) / chunk #${index} is damaged or was altered (authentication tag mismatch)`);
  }
}

/** Encrypts the manifest JSON (its own nonce; AAD binds it to the preamble): ciphertext ‖ tag. */
export function sealManifest(keys: Keys, prefix: Buffer, preambleHash: Buffer, json: Buffer): Buffer {
  const c = createCipheriv('aes-256-gcm', keys.enc, nonce(prefix, MANIFEST_NONCE_INDEX));
  c.setAAD(preambleHash);
  return Buffer.concat([c.update(json), c.final(), c.getAuthTag()]);
}

/** Decrypts the manifest or throws backup.corrupt. */
export function openManifest(keys: Keys, prefix: Buffer, preambleHash: Buffer, body: Buffer, tag: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', keys.enc, nonce(prefix, MANIFEST_NONCE_INDEX));
  d.setAAD(preambleHash);
  d.setAuthTag(tag);
  try {
    return Buffer.concat([d.update(body), d.final()]);
  } catch {
    throw new BackupError('backup.corrupt', 'bản kê bị hỏng hoặc bị sửa (sai mã xác thực) / the manifest is damaged or was altered (authentication tag mismatch)');
  }
}

export function tagsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

/** Parses and sanity-checks a preamble JSON. */
export function parsePreamble(json: Buffer, file: string): Preamble {
  let p: Preamble;
  try {
    p = JSON.parse(json.toString('utf8')) as Preamble;
  } catch {
    throw new BackupError('backup.corrupt', `${file}: phần đầu tệp không đọc được / the file header cannot be read`);
  }
  if (p.format !== 'hocba-backup') throw new BackupError('backup.not_a_backup', `${file} không phải bản sao lưu hocba / is not a hocba backup`);
  if (p.version !== FORMAT_VERSION) throw new BackupError('backup.unsupported', `${file}: định dạng phiên bản ${p.version}, phiên bản này chỉ đọc được ${FORMAT_VERSION} / format version ${p.version}, this hocba reads version ${FORMAT_VERSION}`);
  if (p.cipher !== 'AES-256-GCM' || p.compression !== 'gzip' || !(p.chunkSize > 0 && p.chunkSize <= 16 << 20) || Buffer.from(p.noncePrefix ?? '', 'base64').length !== 4 || typeof p.keyCheck !== 'string') {
    throw new BackupError('backup.corrupt', `${file}: tham số trong phần đầu tệp không hợp lệ / invalid parameters in the file header`);
  }
  return p;
}
