/**
 * Server-held keys (keyRef {kind:'file'}): the demo staff keys and the school seal's key,
 * read from the key file named by the registered certificate. Personal keys of a real
 * deployment stay on the person's token or with a remote provider; the server never sees them.
 */
import { readFile } from 'node:fs/promises';
import { DomainError } from '../../domain/errors.ts';
import type { Signer } from '../../signing/signer.ts';
import { softwareSigner } from '../../signing/signers/software-signer.ts';
import type { SigningCertificate } from '../certificates/signing-certificates.ts';
import { keyFilePath, type SigningEnv } from './signing-env.ts';

/** Largest key file read (a PEM RSA-4096 key is ≈3.3 KB). */
const MAX_KEY_BYTES = 64 * 1024;

/** A Signer over a certificate's server-held key; signing.no_server_key when it has none. */
export async function serverSigner(cert: SigningCertificate, env: SigningEnv): Promise<Signer> {
  if (!cert.keyRef || cert.keyRef.kind !== 'file') throw new DomainError('signing.no_server_key');
  let bytes: Buffer;
  try {
    bytes = await readFile(keyFilePath(env, cert.keyRef.path));
  } catch (e) {
    // The path is configuration, not a secret; the key bytes never appear in messages.
    throw new DomainError('signing.signer_failed', { detail: `the key file of certificate ${cert.subject} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
  }
  if (bytes.length > MAX_KEY_BYTES) throw new DomainError('signing.signer_failed', { detail: `the key file of certificate ${cert.subject} is too large` });
  const text = bytes.toString('latin1');
  try {
    return softwareSigner({ privateKey: text.includes('-----BEGIN') ? text : new Uint8Array(bytes), chain: [cert.certificate, ...cert.chain], description: `server key of ${cert.subject}` });
  } catch (e) {
    throw new DomainError('signing.signer_failed', { detail: `the key of certificate ${cert.subject} cannot be used: ${(e as Error).message}` });
  } finally {
    bytes.fill(0);
  }
}
