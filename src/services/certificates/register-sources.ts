/**
 * The ways a certificate reaches the registry besides a plain file: the school seal's
 * PKCS#12 (certificate + key, the key kept by the server for a server-applied seal) and a
 * remote CSC credential (the server asks the provider's credentials/info).
 *
 * Server-held seal keys are written as PKCS#8 PEM under <data dir>/keys with mode 0600 —
 * never into the database, the audit log or any log line; the PKCS#12 password is used once
 * and forgotten. (Encrypting the file at rest needs a key the server can open unattended,
 * which gives no protection on the same disk; use a PKCS#11 token or CSC for that.)
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DomainError } from '../../domain/errors.ts';
import { readPkcs12, MAX_PKCS12_BYTES } from '../../signing/signers/pkcs12.ts';
import type { KeyRef } from './signing-certificates.ts';

/** Reads a seal PKCS#12 and stores its key (0600) under <dataDir>/keys; returns the certificate, chain and keyRef. */
export async function storeSealPkcs12(opts: { dataDir: string | null; schoolId: string; pkcs12: Uint8Array; password: string }): Promise<{ certificate: Uint8Array; chain: Uint8Array[]; keyRef: KeyRef }> {
  if (!opts.dataDir) throw new DomainError('file.invalid', { reason: 'this server has no data directory to keep a seal key in / máy chủ không có thư mục dữ liệu để giữ khoá' });
  if (opts.pkcs12.length > MAX_PKCS12_BYTES) throw new DomainError('payload_too_large');
  let contents;
  try {
    contents = await readPkcs12(opts.pkcs12, opts.password);
  } catch (err) {
    // The message names the problem (wrong password, unsupported scheme) but never the password.
    throw new DomainError('file.invalid', { reason: (err as Error).message });
  }
  const [certificate, ...chain] = contents.chain;
  if (!certificate) throw new DomainError('file.invalid', { reason: 'PKCS#12: no certificate for the key' });
  const dir = resolve(join(opts.dataDir, 'keys'));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { createHash } = await import('node:crypto');
  const path = join(dir, `seal-${opts.schoolId}-${createHash('sha256').update(certificate).digest('hex').slice(0, 16)}.key.pem`);
  const pem = contents.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  await writeFile(path, pem, { mode: 0o600 });
  await chmod(path, 0o600);
  return { certificate, chain, keyRef: { kind: 'file', path } };
}

/** The CSC base URL without a trailing /csc/v2; https only unless HOCBA_CSC_ALLOW_HTTP=1 (tests, local providers). */
export function normaliseCscBaseUrl(input: string, env: NodeJS.ProcessEnv = process.env): string {
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    throw new DomainError('validation', { summary: `baseUrl "${input.slice(0, 200)}" is not a URL` });
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && env.HOCBA_CSC_ALLOW_HTTP === '1')) {
    throw new DomainError('validation', { summary: `baseUrl must use https (got ${u.protocol})` });
  }
  if (u.username || u.password) throw new DomainError('validation', { summary: 'baseUrl must not carry a user name or password' });
  return u.toString().replace(/\/+$/, '').replace(/\/csc\/v2$/, '');
}

/** Asks a CSC v2 provider for a credential's certificate chain (credentials/info). */
export async function fetchCscCertificate(opts: { baseUrl: string; credentialId: string; accessToken?: string; fetch?: typeof fetch }): Promise<{ certificate: Uint8Array; chain: Uint8Array[]; keyRef: KeyRef }> {
  const base = normaliseCscBaseUrl(opts.baseUrl);
  const url = `${base}/csc/v2/credentials/info`;
  const fail = (detail: string) => new DomainError('certificate.remote_unavailable', { url, detail });
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(opts.accessToken ? { authorization: `Bearer ${opts.accessToken}` } : {}) },
      body: JSON.stringify({ credentialID: opts.credentialId, certificates: 'chain', certInfo: true }),
      signal: AbortSignal.timeout(10_000),
      redirect: 'error',
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    throw fail(e.name === 'TimeoutError' ? 'no answer within 10 s' : `unreachable (${e.cause?.code ?? e.message})`);
  }
  const text = await res.text();
  if (text.length > 256 * 1024) throw fail('answer larger than 256 KB');
  let body: { cert?: { certificates?: unknown }; error?: string; error_description?: string };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw fail(`HTTP ${res.status}, not JSON`);
  }
  if (!res.ok) throw fail(`HTTP ${res.status}${body.error ? ` ${body.error}` : ''}${body.error_description ? `: ${body.error_description}` : ''}`);
  const list = body.cert?.certificates;
  if (!Array.isArray(list) || list.length === 0 || !list.every((c) => typeof c === 'string')) throw fail(`credential "${opts.credentialId}" has no certificates in its info`);
  const ders = (list as string[]).map((c) => new Uint8Array(Buffer.from(c, 'base64')));
  return { certificate: ders[0]!, chain: ders.slice(1), keyRef: { kind: 'csc', baseUrl: base, credentialId: opts.credentialId } };
}
