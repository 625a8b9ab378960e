/**
 * Reading and checking RFC 3161 timestamp tokens (a CMS SignedData over a TSTInfo). The
 * integrity check is done by hand rather than through pkijs SignedData.verify so that each
 * failure can say exactly what is wrong (imprint, messageDigest, signature, ESS binding).
 */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import * as pkijs from 'pkijs';
import { DIGEST_BY_OID } from '../pki/algorithms.ts';
import { validateChain, type ChainStatus } from '../pki/chain.ts';
import { essHashMatches, OID_CONTENT_TYPE, OID_MESSAGE_DIGEST, OID_SIGNING_CERTIFICATE_V1, OID_SIGNING_CERTIFICATE_V2, readSigningCertificateV2 } from '../pki/cms-attributes.ts';
import { bytesEqual, toArrayBuffer, toHex } from '../pki/der.ts';
import { OID_TST_INFO } from '../pki/tsa-responder.ts';
import { SigningError, type DigestAlgorithm } from '../signer.ts';

export const MAX_TOKEN_BYTES = 256 * 1024;

export interface TimestampTokenInfo {
  genTime: Date;
  policy: string;
  /** TSTInfo serial number, lowercase hex. */
  serialNumber: string;
  imprint: { algorithm: DigestAlgorithm | null; algorithmOid: string; digest: Uint8Array };
  /** Nonce as lowercase hex (leading zero octets stripped), or null. */
  nonce: string | null;
  accuracySeconds: number | null;
  /** The signing TSA certificate when the token carries it (certReq), else null. */
  tsaCertificate: Uint8Array | null;
  certificates: Uint8Array[];
}

interface Parsed {
  info: TimestampTokenInfo;
  signedData: pkijs.SignedData;
  tstDer: Uint8Array;
}

const HASH_NAME: Record<string, string> = { '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512' };

export const hexInteger = (bytes: Uint8Array) => toHex(bytes).replace(/^(00)+(?=.)/, '');

function matchesSid(cert: pkijs.Certificate, sid: pkijs.SignerInfo['sid']): boolean {
  if (sid instanceof pkijs.IssuerAndSerialNumber) return cert.issuer.isEqual(sid.issuer) && cert.serialNumber.isEqual(sid.serialNumber);
  const ski = cert.extensions?.find((e) => e.extnID === '2.5.29.14');
  return !!ski && bytesEqual(new Uint8Array((ski.parsedValue as { valueBlock: { valueHexView: Uint8Array } }).valueBlock.valueHexView), new Uint8Array(sid.valueBlock.valueHexView));
}

function parse(token: Uint8Array, extraCerts: Uint8Array[] = []): Parsed {
  if (token.length > MAX_TOKEN_BYTES) throw new SigningError('timestamp_failed', `timestamp token of ${token.length} bytes exceeds ${MAX_TOKEN_BYTES}`);
  try {
    const ci = pkijs.ContentInfo.fromBER(toArrayBuffer(token));
    if (ci.contentType !== '1.2.840.113549.1.7.2') throw new Error(`content type ${ci.contentType} is not SignedData`);
    const sd = new pkijs.SignedData({ schema: ci.content });
    if (sd.encapContentInfo.eContentType !== OID_TST_INFO) throw new Error(`eContentType ${sd.encapContentInfo.eContentType} is not id-ct-TSTInfo`);
    if (sd.signerInfos.length !== 1) throw new Error(`${sd.signerInfos.length} signers instead of exactly one`);
    const tstDer = new Uint8Array(sd.encapContentInfo.eContent!.getValue());
    const tst = pkijs.TSTInfo.fromBER(toArrayBuffer(tstDer));
    const certs = (sd.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
    const certificates = certs.map((c) => new Uint8Array(c.toSchema().toBER(false)));
    const sid = sd.signerInfos[0]!.sid;
    const candidates = [...certs, ...extraCerts.map((d) => pkijs.Certificate.fromBER(toArrayBuffer(d)))];
    const signer = candidates.find((c) => matchesSid(c, sid));
    const oid = tst.messageImprint.hashAlgorithm.algorithmId;
    return {
      signedData: sd,
      tstDer,
      info: {
        genTime: tst.genTime,
        policy: tst.policy,
        serialNumber: hexInteger(new Uint8Array(tst.serialNumber.valueBlock.valueHexView)),
        imprint: { algorithm: DIGEST_BY_OID[oid] ?? null, algorithmOid: oid, digest: new Uint8Array(tst.messageImprint.hashedMessage.valueBlock.valueHexView) },
        nonce: tst.nonce ? hexInteger(new Uint8Array(tst.nonce.valueBlock.valueHexView)) : null,
        accuracySeconds: tst.accuracy ? (tst.accuracy.seconds ?? 0) + (tst.accuracy.millis ?? 0) / 1000 : null,
        tsaCertificate: signer ? new Uint8Array(signer.toSchema().toBER(false)) : null,
        certificates,
      },
    };
  } catch (err) {
    if (err instanceof SigningError) throw err;
    throw new SigningError('timestamp_failed', `malformed timestamp token: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads a DER TimeStampToken (ContentInfo). Throws SigningError('timestamp_failed') when malformed. */
export function parseTimestampToken(token: Uint8Array): TimestampTokenInfo {
  return parse(token).info;
}

/**
 * Checks the token's own signature: contentType and messageDigest attributes, the signature
 * with the TSA certificate's key, and the ESS signingCertificate(V2) binding. Returns a
 * reason when something is wrong, or null when the token is intact.
 */
function integrityProblem(p: Parsed, signerDer: Uint8Array): string | null {
  const si = p.signedData.signerInfos[0]!;
  const attrs = si.signedAttrs?.attributes ?? [];
  const digestOid = si.digestAlgorithm.algorithmId;
  const hash = HASH_NAME[digestOid];
  if (!hash) return `digest algorithm ${digestOid} of the token signature is not accepted (SHA-256/384/512 only)`;
  const ct = attrs.find((a) => a.type === OID_CONTENT_TYPE);
  if (!ct || (ct.values[0] as { valueBlock: { toString(): string } }).valueBlock.toString() !== OID_TST_INFO) return 'signed attribute contentType is missing or is not id-ct-TSTInfo';
  const md = attrs.find((a) => a.type === OID_MESSAGE_DIGEST);
  const mdValue = md ? new Uint8Array((md.values[0] as { valueBlock: { valueHexView: Uint8Array } }).valueBlock.valueHexView) : null;
  if (!mdValue || !bytesEqual(mdValue, new Uint8Array(createHash(hash).update(p.tstDer).digest()))) return 'signed attribute messageDigest does not match the TSTInfo';
  const signed = new Uint8Array(si.signedAttrs!.encodedValue.slice(0));
  signed[0] = 0x31; // signed over as a SET OF, not the [0] IMPLICIT tag it is stored with
  const cert = pkijs.Certificate.fromBER(toArrayBuffer(signerDer));
  const spki = createPublicKey({ key: Buffer.from(cert.subjectPublicKeyInfo.toSchema().toBER(false)), format: 'der', type: 'spki' });
  const ok = nodeVerify(hash, signed, spki, Buffer.from(si.signature.valueBlock.valueHexView));
  if (!ok) return 'the token signature does not verify with the TSA certificate';
  const ess = attrs.find((a) => a.type === OID_SIGNING_CERTIFICATE_V2) ?? attrs.find((a) => a.type === OID_SIGNING_CERTIFICATE_V1);
  if (!ess) return 'the token has no ESS signingCertificate(V2) attribute binding the TSA certificate';
  const id = ess.type === OID_SIGNING_CERTIFICATE_V1 ? readSigningCertificateV2Like(ess) : readSigningCertificateV2(ess.values[0]);
  if (!id || !essHashMatches(id.hashOid, id.certHash, signerDer)) return 'ESS signingCertificate names another certificate than the one that signed the token';
  return null;
}

/** v1 (SHA-1 ESSCertID: certHash first, no algorithm) read through the v2 reader's fallback. */
function readSigningCertificateV2Like(attr: pkijs.Attribute) {
  const r = readSigningCertificateV2(attr.values[0]);
  return r ? { hashOid: '1.3.14.3.2.26', certHash: r.certHash } : null;
}

/** Internal for the TSA client: parse + integrity (no trust decision). */
export function checkTokenIntegrity(token: Uint8Array): TimestampTokenInfo {
  const p = parse(token);
  if (!p.info.tsaCertificate) throw new SigningError('timestamp_failed', 'the timestamp token does not carry the TSA certificate (certReq was set)');
  const problem = integrityProblem(p, p.info.tsaCertificate);
  if (problem) throw new SigningError('timestamp_failed', problem);
  return p.info;
}

export interface TimestampVerification {
  status: ChainStatus;
  reason: string;
  info: TimestampTokenInfo | null;
  /** TSA certificate path, TSA first, as far as it was built. */
  chain: Uint8Array[];
}

/**
 * Verifies a timestamp token over a digest: the imprint, the token signature and ESS binding,
 * the policy (when `acceptedPolicies` is configured), and the TSA certificate path (critical
 * EKU with timeStamping only) to the trust anchors at genTime.
 */
export async function verifyTimestampToken(
  token: Uint8Array,
  opts: { digest: Uint8Array; algorithm?: DigestAlgorithm; trustAnchors: Uint8Array[]; intermediates?: Uint8Array[]; certificates?: Uint8Array[]; acceptedPolicies?: string[] },
): Promise<TimestampVerification> {
  let p: Parsed;
  try {
    p = parse(token, [...(opts.certificates ?? []), ...(opts.intermediates ?? [])]);
  } catch (err) {
    return { status: 'failed', reason: (err as Error).message, info: null, chain: [] };
  }
  const { info } = p;
  const failed = (reason: string): TimestampVerification => ({ status: 'failed', reason, info, chain: [] });
  if (opts.algorithm && info.imprint.algorithm !== opts.algorithm) return failed(`timestamp imprint uses ${info.imprint.algorithm ?? info.imprint.algorithmOid}, expected ${opts.algorithm}`);
  if (!bytesEqual(info.imprint.digest, opts.digest)) return failed(`timestamp (serial ${info.serialNumber}) covers other data: its imprint ${toHex(info.imprint.digest)} differs from ${toHex(opts.digest)}`);
  if (opts.acceptedPolicies && !opts.acceptedPolicies.includes(info.policy)) {
    return failed(`timestamp (serial ${info.serialNumber}): policy ${info.policy} is not among the accepted TSA policies (${opts.acceptedPolicies.join(', ') || 'none'})`);
  }
  if (!info.tsaCertificate) return { status: 'indeterminate', reason: `timestamp (serial ${info.serialNumber}): the TSA certificate is neither in the token nor given`, info, chain: [] };
  const problem = integrityProblem(p, info.tsaCertificate);
  if (problem) return failed(`timestamp (serial ${info.serialNumber}): ${problem}`);
  const chain = await validateChain({
    certificate: info.tsaCertificate,
    intermediates: [...info.certificates, ...(opts.intermediates ?? []), ...(opts.certificates ?? [])],
    trustAnchors: opts.trustAnchors,
    atTime: info.genTime,
    requireKeyUsage: 'timeStamping',
  });
  if (chain.status !== 'passed') return { status: chain.status, reason: `timestamp TSA certificate: ${chain.reason}`, info, chain: chain.chain };
  return { status: 'passed', reason: `timestamp of ${info.genTime.toISOString()} by a trusted TSA`, info, chain: chain.chain };
}
