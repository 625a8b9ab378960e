/**
 * An RFC 3161 time-stamping authority for the test PKI. The token is a CMS SignedData over a
 * TSTInfo with signed attributes contentType, messageDigest and ESS signingCertificateV2
 * (RFC 5816, required by ETSI for XAdES-T / PAdES B-T); genTime in whole seconds.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { x509 } from './cert-builder.ts';
import { derSortedAttributes, OID_CONTENT_TYPE, OID_MESSAGE_DIGEST, signingCertificateV2Attribute } from './cms-attributes.ts';
import { toArrayBuffer, wholeSeconds } from './der.ts';

/** Policy OID of the test TSA (under the ITU-T example arc 2.999: never a real policy). */
export const TEST_TSA_POLICY = '2.999.3161.1';
export const OID_TST_INFO = '1.2.840.113549.1.9.16.1.4';
export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';

/** Imprint hash algorithms accepted (RFC 3161 §2.4.1: the TSA refuses weak ones). */
export const IMPRINT_HASHES: Record<string, { name: 'SHA-256' | 'SHA-384' | 'SHA-512'; length: number }> = {
  '2.16.840.1.101.3.4.2.1': { name: 'SHA-256', length: 32 },
  '2.16.840.1.101.3.4.2.2': { name: 'SHA-384', length: 48 },
  '2.16.840.1.101.3.4.2.3': { name: 'SHA-512', length: 64 },
};

/** PKIFailureInfo bits (RFC 3161 §2.4.2). */
export const FAIL_INFO = { badAlg: 0, badRequest: 2, badDataFormat: 5, unacceptedPolicy: 15, systemFailure: 25 } as const;

export interface TsaOptions {
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
  policy: string;
  now?: Date;
}

function failInfoBits(bit: number): asn1js.BitString {
  const bytes = new Uint8Array((bit >> 3) + 1);
  bytes[bit >> 3] = 0x80 >> (bit & 7);
  return new asn1js.BitString({ valueHex: bytes.buffer, unusedBits: 7 - (bit & 7) });
}

function rejection(bit: number, text: string): Uint8Array {
  const resp = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.rejection, statusStrings: [new asn1js.Utf8String({ value: text })], failInfo: failInfoBits(bit) }),
  });
  return new Uint8Array(resp.toSchema().toBER(false));
}

// asn1js parsing costs milliseconds: parse the TSA certificate and build its ESS attribute once.
const parts = new WeakMap<x509.X509Certificate, { cert: pkijs.Certificate; ess: pkijs.Attribute }>();
function signerParts(c: x509.X509Certificate) {
  let p = parts.get(c);
  if (!p) {
    const der = new Uint8Array(c.rawData);
    parts.set(c, (p = { cert: pkijs.Certificate.fromBER(toArrayBuffer(der)), ess: signingCertificateV2Attribute(der) }));
  }
  return p;
}

/** Answers one DER TimeStampReq with a DER TimeStampResp (bad requests get a rejection, never an exception). */
export async function respondTimestamp(request: Uint8Array, opts: TsaOptions): Promise<Uint8Array> {
  let req: pkijs.TimeStampReq;
  try {
    req = pkijs.TimeStampReq.fromBER(toArrayBuffer(request));
  } catch {
    return rejection(FAIL_INFO.badDataFormat, 'malformed TimeStampReq');
  }
  const alg = IMPRINT_HASHES[req.messageImprint.hashAlgorithm.algorithmId];
  if (!alg) return rejection(FAIL_INFO.badAlg, `imprint hash ${req.messageImprint.hashAlgorithm.algorithmId} not accepted (SHA-256/384/512 only)`);
  if (req.messageImprint.hashedMessage.valueBlock.valueHexView.length !== alg.length) {
    return rejection(FAIL_INFO.badDataFormat, `imprint is not a ${alg.name} digest`);
  }
  if (req.reqPolicy && req.reqPolicy !== opts.policy) return rejection(FAIL_INFO.unacceptedPolicy, `policy ${req.reqPolicy} not offered (only ${opts.policy})`);

  const serial = randomBytes(12);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const tstInfo = new pkijs.TSTInfo({
    version: 1,
    policy: opts.policy,
    messageImprint: req.messageImprint,
    serialNumber: new asn1js.Integer({ valueHex: toArrayBuffer(serial) }),
    genTime: wholeSeconds(opts.now ?? new Date()),
    accuracy: new pkijs.Accuracy({ seconds: 1 }),
    ...(req.nonce ? { nonce: req.nonce } : {}),
  });
  const tstDer = new Uint8Array(tstInfo.toSchema().toBER(false));
  const { cert, ess } = signerParts(opts.certificate);

  const signedAttrs = derSortedAttributes([
    new pkijs.Attribute({ type: OID_CONTENT_TYPE, values: [new asn1js.ObjectIdentifier({ value: OID_TST_INFO })] }),
    new pkijs.Attribute({ type: OID_MESSAGE_DIGEST, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(createHash('sha256').update(tstDer).digest()) })] }),
    ess,
  ]);
  const signedData = new pkijs.SignedData({
    version: 3,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID_TST_INFO, eContent: new asn1js.OctetString({ valueHex: toArrayBuffer(tstDer) }) }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: signedAttrs }),
      }),
    ],
    // RFC 3161 §2.4.1: the TSA certificate is included only when certReq is true.
    ...(req.certReq ? { certificates: [cert] } : {}),
  });
  await signedData.sign(opts.privateKey, 0, 'SHA-256');
  const token = new pkijs.ContentInfo({ contentType: OID_SIGNED_DATA, content: signedData.toSchema(true) });
  const resp = new pkijs.TimeStampResp({ status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted }), timeStampToken: token });
  return new Uint8Array(resp.toSchema().toBER(false));
}
