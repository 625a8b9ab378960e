/**
 * Production trust anchors: the national root CA and the licensed CAs, as PEM/DER files in
 * one directory (env HOCBA_TRUST_ANCHORS). Every file must hold CA certificates only, so a
 * misplaced end-entity certificate cannot become a trust anchor by accident.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { displayName, x509 } from './cert-builder.ts';
import { pemBlocks, toArrayBuffer } from './der.ts';
import { SigningError } from '../signer.ts';

export interface TrustAnchor {
  certificate: Uint8Array;
  subject: string;
  /** SHA-256 of the DER, lowercase hex: compare with the fingerprint the CA publishes. */
  sha256: string;
  notAfter: Date;
  file: string;
}

const EXTENSIONS = /\.(pem|crt|cer|der)$/i;
const MAX_FILE_BYTES = 1024 * 1024;

/** Reads every certificate in `dir` (*.pem, *.crt, *.cer, *.der; PEM files may hold several). */
export async function loadTrustAnchorsDetailed(dir: string): Promise<TrustAnchor[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => EXTENSIONS.test(n)).sort();
  } catch (err) {
    throw new SigningError('certificate_invalid', `trust anchor directory ${dir} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  const anchors: TrustAnchor[] = [];
  for (const name of names) {
    const file = join(dir, name);
    if ((await stat(file)).size > MAX_FILE_BYTES) throw new SigningError('certificate_invalid', `trust anchor file ${file} is larger than ${MAX_FILE_BYTES} bytes`);
    const bytes = new Uint8Array(await readFile(file));
    const text = Buffer.from(bytes).toString('latin1');
    const ders = text.includes('-----BEGIN') ? pemBlocks(text, 'CERTIFICATE') : [bytes];
    if (ders.length === 0) throw new SigningError('certificate_invalid', `trust anchor file ${file} holds no CERTIFICATE block`);
    for (const [i, der] of ders.entries()) {
      const where = ders.length > 1 ? `${file} (certificate #${i + 1})` : file;
      let cert: x509.X509Certificate;
      try {
        cert = new x509.X509Certificate(toArrayBuffer(der));
      } catch (err) {
        throw new SigningError('certificate_invalid', `trust anchor ${where} is not a valid X.509 certificate`, { cause: err });
      }
      if (!cert.getExtension(x509.BasicConstraintsExtension)?.ca) {
        throw new SigningError('certificate_invalid', `trust anchor ${where} ("${displayName(cert.subjectName)}") is not a CA certificate (basicConstraints cA is not set)`);
      }
      anchors.push({ certificate: der, subject: displayName(cert.subjectName), sha256: createHash('sha256').update(der).digest('hex'), notAfter: cert.notAfter, file });
    }
  }
  if (anchors.length === 0) throw new SigningError('certificate_invalid', `trust anchor directory ${dir} holds no certificate files (*.pem, *.crt, *.cer, *.der)`);
  return anchors;
}

/** The DER trust anchors in `dir` (see loadTrustAnchorsDetailed). */
export async function loadTrustAnchors(dir: string): Promise<Uint8Array[]> {
  return (await loadTrustAnchorsDetailed(dir)).map((a) => a.certificate);
}

/** Trust anchors from env HOCBA_TRUST_ANCHORS, or null when it is not set. */
export async function trustAnchorsFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<Uint8Array[] | null> {
  const dir = env.HOCBA_TRUST_ANCHORS?.trim();
  return dir ? loadTrustAnchors(dir) : null;
}
