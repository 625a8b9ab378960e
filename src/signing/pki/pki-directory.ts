/**
 * The on-disk layout of a test PKI with the certificates issued from it, as written by
 * `hocba pki demo`: the CA files of TestPki.save(), plus users/<name>.{crt,key}.pem,
 * seals/<name>.{crt,key}.pem and index.json (name → files, subject, serial, fingerprint,
 * revocation). Keys are written with mode 0600.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { toPem } from './der.ts';
import type { PkiIdentity } from './test-pki.ts';

export type EntryKind = 'users' | 'seals';

export interface IndexEntry {
  certificate: string; // relative path
  privateKey: string;
  subject: string;
  serialNumber: string;
  sha256: string;
  notAfter: string;
  revokedAt?: string;
}

export interface PkiIndex {
  version: 1;
  createdAt: string;
  root: { subject: string; sha256: string };
  users: Record<string, IndexEntry>;
  seals: Record<string, IndexEntry>;
}

const INDEX = 'index.json';
/** File names come from usernames and school codes: keep them to a safe alphabet. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const isSafeEntryName = (name: string) => SAFE_NAME.test(name) && !name.includes('..');

export const sha256Hex = (der: Uint8Array) => createHash('sha256').update(der).digest('hex');

export function emptyIndex(root: PkiIdentity): PkiIndex {
  return { version: 1, createdAt: new Date().toISOString(), root: { subject: root.subject, sha256: sha256Hex(root.certificate) }, users: {}, seals: {} };
}

/** Writes one identity's certificate and key (0600) and records it in the index. */
export async function writeEntry(dir: string, index: PkiIndex, kind: EntryKind, name: string, id: PkiIdentity): Promise<IndexEntry> {
  if (!isSafeEntryName(name)) throw new Error(`cannot store "${name}" in ${dir}/${kind}: the name must be 1–64 characters of A–Z, a–z, 0–9, '.', '_' or '-'`);
  await mkdir(join(dir, kind), { recursive: true });
  const certificate = `${kind}/${name}.crt.pem`;
  const privateKey = `${kind}/${name}.key.pem`;
  await writeFile(join(dir, certificate), id.certificatePem + id.chain.slice(1).map((d) => toPem(d, 'CERTIFICATE')).join(''));
  await writeFile(join(dir, privateKey), id.privateKeyPem, { mode: 0o600 });
  await chmod(join(dir, privateKey), 0o600);
  const entry: IndexEntry = { certificate, privateKey, subject: id.subject, serialNumber: id.serialNumber, sha256: sha256Hex(id.certificate), notAfter: id.notAfter.toISOString() };
  index[kind][name] = entry;
  return entry;
}

export async function writeIndex(dir: string, index: PkiIndex): Promise<void> {
  await writeFile(join(dir, INDEX), `${JSON.stringify(index, null, 2)}\n`);
}

export async function readIndex(dir: string): Promise<PkiIndex> {
  const file = join(dir, INDEX);
  if (!existsSync(file)) throw new Error(`no test PKI in ${dir} (${INDEX} missing): run "hocba pki demo" first`);
  return JSON.parse(await readFile(file, 'utf8')) as PkiIndex;
}

export function pkiExists(dir: string): boolean {
  return existsSync(join(dir, 'state.json')) || existsSync(join(dir, INDEX));
}

/** Removes what a previous `pki demo` wrote (and nothing else) before re-creating it. */
export async function clearPkiDirectory(dir: string): Promise<void> {
  for (const f of ['users', 'seals', INDEX, 'state.json', 'chain.pem', 'issuing.crl.pem', 'root.crl.pem']) await rm(join(dir, f), { recursive: true, force: true });
  for (const role of ['root', 'issuing', 'tsa', 'ocsp']) for (const ext of ['crt', 'key']) await rm(join(dir, `${role}.${ext}.pem`), { force: true });
}
