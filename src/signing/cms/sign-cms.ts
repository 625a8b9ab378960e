/**
 * CMS SignedData (detached) in three steps, so the private key can be anywhere (DESIGN.md
 * "Signing protocol"): prepare → the Signer signs the digest of the DER signed attributes →
 * complete. The profile is CAdES-BES / PAdES baseline: contentType, messageDigest and ESS
 * signing-certificate-v2 (RFC 5035) are signed; PAdES takes its time from the PDF /M entry, so
 * signingTime is only written for CAdES. With a TimestampProvider, complete adds a
 * signature-time-stamp over the SignatureValue (B-T).
 */
import { createHash, verify as cryptoVerify } from 'node:crypto';
import { SigningError, digestOf, nodeDigestName, type DigestAlgorithm, type SignatureAlgorithm, type TimestampProvider } from '../signer.ts';
import { DIGEST_LENGTH, OID, digestAlgorithmIdentifier, ecdsaP1363ToDer, signatureAlgorithmIdentifier } from './algorithms.ts';
import { certificateParts, ecCoordinateSize, type CertificateParts } from './certificate.ts';
import { children, content, oid, octets, parseDer, seq, setOf, smallInteger, tlv } from './der.ts';
import { readTimestampToken } from './timestamp-token.ts';

export type CmsProfile = 'pades' | 'cades';

export interface PrepareCmsOptions {
  /** Digest of the detached content (for PAdES: of the PDF byte ranges). */
  contentDigest: Uint8Array;
  digestAlgorithm: DigestAlgorithm;
  /** DER certificates, signer first, then its CA(s); all are embedded. */
  chain: Uint8Array[];
  algorithm: SignatureAlgorithm;
  profile: CmsProfile;
  /** CAdES only: a signed signingTime attribute. PAdES takes the time from the PDF /M entry. */
  signingTime?: Date;
}

/** Everything complete needs, JSON-serialisable (byte fields are base64) so it can wait in a database while a person approves. */
export interface CmsSignatureState {
  version: 1;
  profile: CmsProfile;
  algorithm: SignatureAlgorithm;
  digestAlgorithm: DigestAlgorithm;
  chain: string[];
  /** DER of the signed attributes as a SET (the bytes whose digest is signed). */
  signedAttributes: string;
}

export interface PreparedCms {
  /** Digest (with the algorithm's hash) of the DER signed attributes: what the Signer signs. */
  digest: Uint8Array;
  state: CmsSignatureState;
}

export interface CompleteCmsOptions {
  /** Adds a signature-time-stamp token (CAdES/PAdES B-T). */
  timestamp?: TimestampProvider;
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const hash = (alg: DigestAlgorithm, data: Uint8Array) => new Uint8Array(createHash(nodeDigestName(alg)).update(data).digest());

/** Checks that the key in the signer certificate can make `algorithm` under our policy (no RSA < 2048). */
function checkKey(signer: CertificateParts, algorithm: SignatureAlgorithm): void {
  const type = signer.publicKey.asymmetricKeyType;
  if (algorithm.startsWith('RSASSA')) {
    if (type !== 'rsa') throw new SigningError('unsupported_algorithm', `${algorithm} needs an RSA key but the certificate of ${signer.subject} holds a ${type} key`);
    const bits = signer.publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new SigningError('unsupported_algorithm', `the certificate of ${signer.subject} has a ${bits}-bit RSA key, below the 2048-bit minimum`);
  } else {
    if (type !== 'ec') throw new SigningError('unsupported_algorithm', `${algorithm} needs an EC key but the certificate of ${signer.subject} holds a ${type} key`);
    if (!ecCoordinateSize(signer.publicKey)) throw new SigningError('unsupported_algorithm', `the certificate of ${signer.subject} uses an unsupported curve (${signer.publicKey.asymmetricKeyDetails?.namedCurve})`);
  }
}

/** Encodes a time as UTCTime until 2049 and GeneralizedTime after (RFC 5280 §4.1.2.5), whole seconds. */
export function derTime(d: Date): Uint8Array {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = d.getUTCFullYear();
  return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'latin1')) : tlv(0x18, Buffer.from(`${digits}Z`, 'latin1'));
}

const attribute = (type: string, ...values: Uint8Array[]) => seq(oid(type), setOf(values));

/** ESS signing-certificate-v2: SHA-256 of the signer certificate plus its issuer and serial (RFC 5035). */
function signingCertificateV2(signer: CertificateParts): Uint8Array {
  // hashAlgorithm is omitted: DER leaves out a DEFAULT value, and the default is SHA-256.
  const issuerSerial = seq(seq(tlv(0xa4, signer.issuer)), signer.serial);
  const essCertIdV2 = seq(octets(hash('SHA-256', signer.der)), issuerSerial);
  return attribute(OID.signingCertificateV2, seq(seq(essCertIdV2)));
}

/**
 * Step 1: builds the signed attributes over a content digest and returns the digest the Signer
 * must sign, and a JSON-serialisable state for completeCmsSignature.
 */
export function prepareCmsSignature(opts: PrepareCmsOptions): PreparedCms {
  const { contentDigest, digestAlgorithm, algorithm, profile } = opts;
  if (digestOf(algorithm) !== digestAlgorithm) {
    throw new SigningError('unsupported_algorithm', `the content digest is ${digestAlgorithm} but ${algorithm} hashes with ${digestOf(algorithm)}: CMS uses one digest algorithm for both`);
  }
  if (contentDigest.length !== DIGEST_LENGTH[digestAlgorithm]) {
    throw new SigningError('document_invalid', `the content digest is ${contentDigest.length} bytes, not a ${digestAlgorithm} digest`);
  }
  if (opts.chain.length === 0) throw new SigningError('certificate_invalid', 'the certificate chain is empty: the signer certificate comes first');
  const signer = certificateParts(opts.chain[0]!, 'the signer certificate');
  opts.chain.slice(1).forEach((c, i) => certificateParts(c, `certificate ${i + 2} of the chain`));
  checkKey(signer, algorithm);
  const attrs = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octets(contentDigest)),
    signingCertificateV2(signer),
  ];
  if (profile === 'cades' && opts.signingTime) attrs.push(attribute(OID.signingTime, derTime(opts.signingTime)));
  const signedAttributes = setOf(attrs);
  return {
    digest: hash(digestAlgorithm, signedAttributes),
    state: { version: 1, profile, algorithm, digestAlgorithm, chain: opts.chain.map(b64), signedAttributes: b64(signedAttributes) },
  };
}

function readState(state: CmsSignatureState): { chain: Uint8Array[]; signer: CertificateParts; signedAttributes: Uint8Array } {
  if (!state || state.version !== 1 || !Array.isArray(state.chain) || state.chain.length === 0 || typeof state.signedAttributes !== 'string') {
    throw new SigningError('document_invalid', 'CMS signature state is malformed (expected the object returned by prepareCmsSignature)');
  }
  const chain = state.chain.map(unb64);
  const signedAttributes = unb64(state.signedAttributes);
  const set = parseDer(signedAttributes, 'CMS state signed attributes');
  if (set.tag !== 0x31) throw new SigningError('document_invalid', 'CMS state: signed attributes are not a DER SET');
  children(set, 'CMS state signed attributes');
  return { chain, signer: certificateParts(chain[0]!, 'the signer certificate'), signedAttributes };
}

/**
 * Step 3: wraps a signature value (PKCS#1 v1.5 bytes for RSA, P1363 r||s for ECDSA, as the
 * Signer port returns them) into a detached CMS ContentInfo, after checking it verifies with
 * the signer certificate's key. Returns DER.
 */
export async function completeCmsSignature(state: CmsSignatureState, signatureValue: Uint8Array, opts: CompleteCmsOptions = {}): Promise<Uint8Array> {
  const { chain, signer, signedAttributes } = readState(state);
  checkKey(signer, state.algorithm);
  const ecSize = ecCoordinateSize(signer.publicKey);
  const value = ecSize ? ecdsaP1363ToDer(signatureValue, ecSize) : signatureValue;
  const ok = cryptoVerify(nodeDigestName(state.digestAlgorithm), signedAttributes, { key: signer.publicKey, dsaEncoding: 'der' }, value);
  if (!ok) {
    throw new SigningError(
      'certificate_invalid',
      `the signature value does not verify with the public key of ${signer.subject}: the signer used another key than this certificate's, or signed a different digest`,
    );
  }
  const unsigned: Uint8Array[] = [];
  if (opts.timestamp) unsigned.push(attribute(OID.signatureTimeStampToken, await signatureTimestamp(opts.timestamp, state.digestAlgorithm, value)));

  const signedAttrsContent = content(parseDer(signedAttributes));
  const signerInfo = seq(
    smallInteger(1),
    seq(signer.issuer, signer.serial), // IssuerAndSerialNumber
    digestAlgorithmIdentifier(state.digestAlgorithm),
    tlv(0xa0, signedAttrsContent), // [0] IMPLICIT: same content as the SET that was signed
    signatureAlgorithmIdentifier(state.algorithm),
    octets(value),
    ...(unsigned.length ? [setOf(unsigned, 0xa1)] : []),
  );
  const unique = [...new Map(chain.map((c) => [Buffer.from(c).toString('base64'), c])).values()];
  const signedData = seq(
    smallInteger(1),
    setOf([digestAlgorithmIdentifier(state.digestAlgorithm)]),
    seq(oid(OID.data)), // detached: no eContent
    setOf(unique, 0xa0),
    setOf([signerInfo]),
  );
  return seq(oid(OID.signedData), tlv(0xa0, signedData));
}

/** Asks the TSA for a token over the SignatureValue and checks the token is about that value. */
async function signatureTimestamp(provider: TimestampProvider, algorithm: DigestAlgorithm, signatureValue: Uint8Array): Promise<Uint8Array> {
  const digest = hash(algorithm, signatureValue);
  let token: Uint8Array;
  try {
    token = await provider({ digest, algorithm });
  } catch (e) {
    if (e instanceof SigningError) throw e;
    throw new SigningError('timestamp_failed', `the timestamp authority did not answer: ${(e as Error).message}`, { cause: e });
  }
  let info;
  try {
    info = readTimestampToken(token);
  } catch (e) {
    throw new SigningError('timestamp_failed', `the timestamp token is malformed: ${(e as Error).message}`, { cause: e });
  }
  if (info.imprintAlgorithm !== algorithm || Buffer.compare(Buffer.from(info.imprint), Buffer.from(digest)) !== 0) {
    throw new SigningError('timestamp_failed', `the timestamp token (serial ${info.serialNumber}) stamps another value than this signature (imprint mismatch)`);
  }
  return token;
}

/** Convenience for callers holding bytes: digest of the content for prepareCmsSignature. */
export function contentDigestOf(alg: DigestAlgorithm, ...parts: Uint8Array[]): Uint8Array {
  const h = createHash(nodeDigestName(alg));
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}
