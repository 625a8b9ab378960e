/**
 * What the signing workflow needs from the deployment besides the database: how to judge
 * certificates (trust anchors, revocation), where trusted timestamps come from (the seal is
 * XAdES-T and the PDF PAdES B-T), the public URL printed on the PDF, and how long a prepared
 * batch stays valid.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { DomainError, type ErrorCode } from '../../domain/errors.ts';
import { RECORD_STATE_LABELS_VI, type SigningRefusal, type SigningStep } from '../../domain/record/signing-order.ts';
import type { SignatureAlgorithm, TimestampProvider } from '../../signing/signer.ts';
import { SigningError } from '../../signing/signer.ts';
import { tsaClient } from '../../signing/tsa/tsa-client.ts';
import { demoPkiDir, trustContextFor } from '../certificates/trust-context.ts';
import type { TrustContext } from '../certificates/signing-certificates.ts';

export interface SigningEnv {
  trust: TrustContext;
  /** The TSA for the seal (XAdES-T) and the sealed PDF (PAdES B-T); null: sealing is refused. */
  timestamp: TimestampProvider | null;
  /** Printed on the PDF as the verification URL. */
  publicUrl: string;
  /** Relative key file paths (keyRef {kind:'file'}) are resolved against this directory. */
  dataDir: string | null;
  /** A prepared batch expires after this many hours (default 8: a school day). */
  batchHours?: number;
}

export const DEFAULT_BATCH_HOURS = 8;

/**
 * The signing environment of a deployment: the certificates engineer's trust context, and the
 * TSA from HOCBA_TSA_URL, else the demo PKI's /pki/tsa served by this server when a demo PKI
 * exists under <data dir>/pki.
 */
export async function signingEnvFor(config: { dataDir: string | null; publicUrl: string }, env: NodeJS.ProcessEnv = process.env): Promise<SigningEnv> {
  const trust = await trustContextFor({ dataDir: config.dataDir }, env);
  const explicit = env.HOCBA_TSA_URL?.trim();
  const demo = config.dataDir && existsSync(join(demoPkiDir(config.dataDir), 'root.crt.pem')) ? `${config.publicUrl.replace(/\/+$/, '')}/pki/tsa` : null;
  const url = explicit || demo;
  return { trust, timestamp: url ? tsaClient(url) : null, publicUrl: config.publicUrl, dataDir: config.dataDir };
}

/** The path of a server-held key file. */
export function keyFilePath(env: SigningEnv, path: string): string {
  return isAbsolute(path) || !env.dataDir ? path : join(env.dataDir, path);
}

/** The algorithm a certificate's key signs with (SHA-256 family). */
export function algorithmFor(certificate: Uint8Array): SignatureAlgorithm {
  const type = new X509Certificate(Buffer.from(certificate)).publicKey.asymmetricKeyType;
  if (type === 'rsa') return 'RSASSA-PKCS1-v1_5-SHA256';
  if (type === 'ec') return 'ECDSA-SHA256';
  throw new DomainError('signing.certificate_invalid', { reason: `key type ${type ?? 'unknown'} cannot sign` });
}

const STEP_NAMES: Record<SigningStep, string> = { subject: 'Giáo viên bộ môn', homeroom: 'Giáo viên chủ nhiệm', principal: 'Hiệu trưởng', seal: 'Đóng dấu' };

/** A refusal of the domain rules as a DomainError with its message parameters. */
export function refusalError(r: SigningRefusal): DomainError {
  switch (r.code) {
    case 'signing.wrong_state':
      return new DomainError(r.code, { step: STEP_NAMES[r.step], state: RECORD_STATE_LABELS_VI[r.state], needed: RECORD_STATE_LABELS_VI[r.needed] });
    case 'signing.not_assigned':
    case 'signing.already_signed':
      return new DomainError(r.code, { step: STEP_NAMES[r.step], subjects: r.subjects?.length ? ` (${r.subjects.join(', ')})` : '' });
    case 'signing.nothing_to_sign':
      return new DomainError(r.code, { step: STEP_NAMES[r.step] });
    case 'signing.no_delegation':
      return new DomainError(r.code, { reason: r.reason });
  }
}

/** A failure from the signing engine (src/signing) as a DomainError naming what went wrong. */
export function engineError(e: unknown, where: string): DomainError {
  if (e instanceof DomainError) return e;
  if (e instanceof SigningError) {
    const detail = `${where}: ${e.message}`;
    const code: ErrorCode =
      e.code === 'certificate_invalid' || e.code === 'unsupported_algorithm'
        ? 'signing.signature_invalid'
        : e.code === 'document_invalid' || e.code === 'reference_invalid'
          ? 'signing.document_changed'
          : 'signing.signer_failed';
    return new DomainError(code, { detail });
  }
  return new DomainError('signing.signer_failed', { detail: `${where}: ${(e as Error)?.message ?? String(e)}` });
}
