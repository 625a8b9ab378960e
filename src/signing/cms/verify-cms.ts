/**
 * Cryptographic integrity of one CMS signature, as a list of named checks with reasons: the
 * content digest, the signed attributes a PAdES/CAdES baseline signature must carry, the
 * signature value under the signer certificate's key, and the timestamp token over that value.
 * Chain trust, validity periods and revocation are for src/signing/validation: a "passed" here
 * means "these bytes were signed by the holder of this certificate's key", nothing more.
 */
import { createHash, verify as cryptoVerify } from 'node:crypto';
import { nodeDigestName, type DigestAlgorithm } from '../signer.ts';
import { OID } from './algorithms.ts';
import { children, content, parseDer } from './der.ts';
import { certificateParts, ecCoordinateSize, type CertificateParts } from './certificate.ts';
import { readCmsSignature, type CmsSignatureInfo } from './read-cms.ts';
import { readTimestampToken, type TimestampTokenInfo } from './timestamp-token.ts';

export type CmsCheckName = 'structure' | 'algorithm' | 'content_type' | 'message_digest' | 'signing_certificate' | 'signature_value' | 'timestamp';

export interface CmsCheck {
  check: CmsCheckName;
  status: 'passed' | 'failed';
  reason: string;
}

export interface CmsVerification {
  /** True when every check passed. */
  valid: boolean;
  checks: CmsCheck[];
  signature: CmsSignatureInfo | null;
  signer: { subject: string; certificate: Uint8Array } | null;
  timestamp: TimestampTokenInfo | null;
}

const hash = (alg: DigestAlgorithm, data: Uint8Array) => new Uint8Array(createHash(nodeDigestName(alg)).update(data).digest());
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/**
 * Verifies a DER CMS signature against the digest of its detached content (computed with the
 * signature's own digest algorithm: see `readCmsSignature(der).digestAlgorithm`). A detached
 * signature (PAdES, CAdES) must sign id-data and carry no content of its own. For tokens
 * with encapsulated content (timestamps) pass null and the content is hashed here.
 * `acceptEssV1`: RFC 3161 tokens may bind their signer with the SHA-1 ESS signingCertificate
 * (v1) only; the hash must then still name the signer certificate.
 */
export function verifyCmsSignature(der: Uint8Array, contentDigest: Uint8Array | null, opts: { acceptEssV1?: boolean } = {}): CmsVerification {
  const checks: CmsCheck[] = [];
  const add = (check: CmsCheckName, ok: boolean, passed: string, failed: string) => checks.push({ check, status: ok ? 'passed' : 'failed', reason: ok ? passed : failed });
  const done = (signature: CmsSignatureInfo | null, signer: CertificateParts | null, timestamp: TimestampTokenInfo | null = null): CmsVerification => ({
    valid: checks.every((c) => c.status === 'passed'),
    checks,
    signature,
    signer: signer ? { subject: signer.subject, certificate: signer.der } : null,
    timestamp,
  });

  let sig: CmsSignatureInfo;
  try {
    sig = readCmsSignature(der);
  } catch (e) {
    add('structure', false, '', (e as Error).message);
    return done(null, null);
  }
  let signer: CertificateParts | null = null;
  if (!sig.signerCertificate) add('structure', false, '', 'the signer certificate named by the SignerInfo is not included in the signature');
  else {
    try {
      signer = certificateParts(sig.signerCertificate, 'the signer certificate');
      add('structure', true, `one signer: ${signer.subject}`, '');
    } catch (e) {
      add('structure', false, '', (e as Error).message);
    }
  }
  if (!sig.signedAttributesDer) add('structure', false, '', 'the signature has no signed attributes (PAdES and CAdES require them)');
  if (contentDigest && sig.encapsulatedContent) add('structure', false, '', 'a detached signature must not carry encapsulated content of its own (which bytes were signed would be ambiguous)');
  if (!contentDigest && !sig.encapsulatedContent) add('structure', false, '', 'the signature carries no encapsulated content and no content digest was given');
  if (!signer || !sig.signedAttributesDer) return done(sig, signer);

  // Algorithms: known digest, no SHA-1, key type matches, RSA ≥ 2048.
  const d = sig.digestAlgorithm;
  const a = sig.signatureAlgorithm;
  const keyType = signer.publicKey.asymmetricKeyType;
  const bits = signer.publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  let algProblem = '';
  if (!d) algProblem = `digest algorithm ${sig.digestAlgorithmOid} is not accepted (SHA-256/384/512 only)`;
  else if (!a) algProblem = `signature algorithm ${sig.signatureAlgorithmOid} is not accepted`;
  else if (a.startsWith('RSASSA') !== (keyType === 'rsa') || (a.startsWith('ECDSA') && !ecCoordinateSize(signer.publicKey))) algProblem = `${a} does not match the ${keyType} key of ${signer.subject}`;
  else if (keyType === 'rsa' && bits < 2048) algProblem = `the RSA key of ${signer.subject} has ${bits} bits, below the 2048-bit minimum`;
  else if (!a.endsWith(d.replace('-', ''))) algProblem = `${a} does not use the SignerInfo digest algorithm ${d}`;
  add('algorithm', !algProblem, `${a} with ${d}`, algProblem);
  if (algProblem || !d) return done(sig, signer);

  add(
    'content_type',
    sig.contentTypeAttribute === sig.contentType && (!contentDigest || sig.contentType === OID.data),
    `content type ${sig.contentType}`,
    !sig.contentTypeAttribute
      ? 'the signed contentType attribute is missing'
      : sig.contentTypeAttribute !== sig.contentType
        ? `signed content type ${sig.contentTypeAttribute} differs from the encapsulated type ${sig.contentType}`
        : `a detached signature must sign id-data (${OID.data}), not ${sig.contentType}`,
  );

  const expected = contentDigest ?? (sig.encapsulatedContent ? hash(d, sig.encapsulatedContent) : null);
  if (!sig.messageDigest) add('message_digest', false, '', 'the signed messageDigest attribute is missing');
  else if (!expected) add('message_digest', false, '', 'no content digest was given for this detached signature');
  else add('message_digest', same(sig.messageDigest, expected), 'the signed content is unchanged', 'the content digest differs from the signed messageDigest: the signed bytes were changed');

  add('signing_certificate', ...signingCertificateCheck(sig, signer, opts.acceptEssV1 ?? false));

  let ok = false;
  try {
    ok = cryptoVerify(nodeDigestName(d), sig.signedAttributesDer, { key: signer.publicKey, dsaEncoding: 'der' }, sig.signatureValue);
  } catch {
    ok = false;
  }
  add('signature_value', ok, `the signature value verifies with the key of ${signer.subject}`, `the signature value does not verify with the key of ${signer.subject}`);

  let timestamp: TimestampTokenInfo | null = null;
  if (sig.timestampToken) {
    const [passed, reason, info] = timestampCheck(sig.timestampToken, sig.signatureValue);
    timestamp = info;
    add('timestamp', passed, reason, reason);
  }
  return done(sig, signer, timestamp);
}

/** True when an ESS IssuerSerial GeneralNames holds the signer certificate's issuer as a directoryName. */
function namesIssuer(generalNames: Uint8Array, issuer: Uint8Array): boolean {
  try {
    const where = 'signing-certificate-v2 issuerSerial';
    return children(parseDer(generalNames, where), where).some((n) => n.tag === 0xa4 && same(content(n), issuer));
  } catch {
    return false;
  }
}

function signingCertificateCheck(sig: CmsSignatureInfo, signer: CertificateParts, acceptEssV1: boolean): [boolean, string, string] {
  if (!sig.signingCertificateV2) {
    if (acceptEssV1 && sig.signingCertificateV1) {
      const first = sig.signingCertificateV1[0];
      if (!first || !same(first, new Uint8Array(createHash('sha1').update(signer.der).digest()))) {
        return [false, '', `signing-certificate (v1) names another certificate than the signer certificate ${signer.subject} (certificate substituted?)`];
      }
      return [true, `signing-certificate (v1) binds ${signer.subject}`, ''];
    }
    return [false, '', sig.signingCertificateV1Only ? 'only the SHA-1 ESS signing-certificate (v1) is present; signing-certificate-v2 is required' : 'the signed ESS signing-certificate-v2 attribute is missing'];
  }
  const first = sig.signingCertificateV2[0];
  if (!first) return [false, '', 'signing-certificate-v2 lists no certificate'];
  if (!first.hashAlgorithm) return [false, '', `signing-certificate-v2 uses an unaccepted hash ${first.hashAlgorithmOid}`];
  if (!same(first.certHash, hash(first.hashAlgorithm, signer.der))) {
    return [false, '', `signing-certificate-v2 names another certificate than the signer certificate ${signer.subject} (certificate substituted?)`];
  }
  if (first.issuerSerial && !same(first.issuerSerial.serialNumber, signer.serial)) {
    return [false, '', 'signing-certificate-v2 issuerSerial names another serial number than the signer certificate'];
  }
  if (first.issuerSerial && !namesIssuer(first.issuerSerial.issuer, signer.issuer)) {
    return [false, '', `signing-certificate-v2 issuerSerial names another issuer than that of the signer certificate ${signer.subject}`];
  }
  return [true, `signing-certificate-v2 binds ${signer.subject}`, ''];
}

function timestampCheck(token: Uint8Array, signatureValue: Uint8Array): [boolean, string, TimestampTokenInfo | null] {
  let info: TimestampTokenInfo;
  try {
    info = readTimestampToken(token);
  } catch (e) {
    return [false, (e as Error).message, null];
  }
  if (!info.imprintAlgorithm) return [false, `the timestamp imprint uses an unaccepted hash ${info.imprintAlgorithmOid}`, info];
  if (!same(info.imprint, hash(info.imprintAlgorithm, signatureValue))) return [false, `the timestamp token (serial ${info.serialNumber}) is not over this signature value`, info];
  // RFC 3161 TSAs may still bind their certificate with the SHA-1 ESS signing-certificate (v1) only.
  const inner = verifyCmsSignature(token, null, { acceptEssV1: true });
  const failed = inner.checks.filter((c) => c.status === 'failed');
  if (failed.length) return [false, `the timestamp token's own signature is invalid: ${failed.map((c) => c.reason).join('; ')}`, info];
  if (info.cms.contentTypeAttribute !== OID.tstInfo) return [false, 'the timestamp token does not sign a TSTInfo', info];
  return [true, `timestamped at ${info.genTime.toISOString()} by ${inner.signer?.subject ?? 'the TSA'}`, info];
}
