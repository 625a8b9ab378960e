/**
 * OCSP (RFC 6960) for one certificate: building the request, and reading a response with
 * its signature checked — by the CA itself or by a responder certificate that the CA issued
 * with EKU OCSPSigning (RFC 6960 §4.2.2.2). A response that cannot be trusted is a problem
 * string, never a status.
 */
import { createHash, createPublicKey, randomBytes, verify as nodeVerify } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SIGNATURE_HASH, WEAK_SIGNATURE_OIDS } from '../pki/algorithms.ts';
import { bytesEqual, toArrayBuffer, toHex } from '../pki/der.ts';
import { digestKey, memo } from '../pki/memo.ts';

export const OID_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const OID_OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';
const EKU_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
const CERT_ID_HASH: Record<string, string> = { '1.3.14.3.2.26': 'sha1', '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512' };
const RESPONSE_STATUS = ['successful', 'malformedRequest', 'internalError', 'tryLater', '(unused)', 'sigRequired', 'unauthorized'];

export const cert = (der: Uint8Array) => pkijs.Certificate.fromBER(toArrayBuffer(der));
const serialHex = (c: pkijs.Certificate) => toHex(c.serialNumber.valueBlock.valueHexView).replace(/^(00)+(?=.)/, '');

/**
 * A DER OCSPRequest for one certificate with a random nonce. The CertID hash is SHA-1 by
 * default: it only names the issuer (no security rests on it) and RFC 5019 responders are
 * only required to understand SHA-1.
 */
export function buildOcspRequest(certificate: Uint8Array, issuer: Uint8Array, opts: { certIdHash?: 'SHA-1' | 'SHA-256' } = {}): { der: Uint8Array; nonce: Uint8Array } {
  const c = cert(certificate);
  const i = cert(issuer);
  const hashOid = opts.certIdHash === 'SHA-256' ? '2.16.840.1.101.3.4.2.1' : '1.3.14.3.2.26';
  const h = (data: Uint8Array) => toArrayBuffer(new Uint8Array(createHash(CERT_ID_HASH[hashOid]!).update(data).digest()));
  const certId = new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: hashOid, algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({ valueHex: h(new Uint8Array(i.subject.toSchema().toBER(false))) }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: h(i.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView) }),
    serialNumber: new asn1js.Integer({ valueHex: c.serialNumber.valueBlock.valueHexView.slice().buffer }),
  });
  const nonce = new Uint8Array(randomBytes(16));
  const req = new pkijs.OCSPRequest();
  req.tbsRequest.requestList = [new pkijs.Request({ reqCert: certId })];
  req.tbsRequest.requestExtensions = [
    new pkijs.Extension({ extnID: OID_OCSP_NONCE, critical: false, extnValue: new asn1js.OctetString({ valueHex: toArrayBuffer(nonce) }).toBER(false) }),
  ];
  return { der: new Uint8Array(req.toSchema(true).toBER(false)), nonce };
}

export interface OcspAnswer {
  status: 'good' | 'revoked' | 'unknown';
  revokedAt?: Date;
  reasonCode?: number;
  producedAt: Date;
  thisUpdate: Date;
  nextUpdate?: Date;
  responder: string;
}

function verifiesWith(basic: pkijs.BasicOCSPResponse, signer: pkijs.Certificate): boolean | string {
  const oid = basic.signatureAlgorithm.algorithmId;
  if (WEAK_SIGNATURE_OIDS[oid]) return `OCSP response is signed with ${WEAK_SIGNATURE_OIDS[oid]}, which is refused`;
  const hash = SIGNATURE_HASH[oid];
  if (!hash) return `OCSP response signature algorithm ${oid} is not supported`;
  const key = createPublicKey({ key: Buffer.from(signer.subjectPublicKeyInfo.toSchema().toBER(false)), format: 'der', type: 'spki' });
  return nodeVerify(hash, basic.tbsResponseData.tbsView, key, Buffer.from(basic.signature.valueBlock.valueHexView));
}

function responderMatches(basic: pkijs.BasicOCSPResponse, c: pkijs.Certificate): boolean {
  const id = basic.tbsResponseData.responderID;
  if (id instanceof pkijs.RelativeDistinguishedNames) return c.subject.isEqual(id);
  if (id instanceof asn1js.OctetString) {
    const keyHash = createHash('sha1').update(c.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest();
    return bytesEqual(new Uint8Array(keyHash), new Uint8Array(id.valueBlock.valueHexView));
  }
  return false;
}

function issuedBy(child: pkijs.Certificate, issuer: pkijs.Certificate): boolean {
  if (!child.issuer.isEqual(issuer.subject)) return false;
  const hash = SIGNATURE_HASH[child.signatureAlgorithm.algorithmId];
  if (!hash) return false;
  const key = createPublicKey({ key: Buffer.from(issuer.subjectPublicKeyInfo.toSchema().toBER(false)), format: 'der', type: 'spki' });
  return nodeVerify(hash, new Uint8Array(child.tbsView), key, Buffer.from(child.signatureValue.valueBlock.valueHexView));
}

/**
 * Reads a DER OCSPResponse about `certificate` and checks who signed it. Returns the answer,
 * or a string naming why the response cannot be used.
 */
export function readOcspResponse(response: Uint8Array, certificate: Uint8Array, issuer: Uint8Array, opts: { nonce?: Uint8Array } = {}): OcspAnswer | string {
  // A pure function of the bytes: validating many records re-reads the same few responses.
  const answer = answers.get(digestKey(response, certificate, issuer, opts.nonce), () => readOcspResponseUncached(response, certificate, issuer, opts));
  return typeof answer === 'string' ? answer : { ...answer };
}

const answers = memo<OcspAnswer | string>(4096);

function readOcspResponseUncached(response: Uint8Array, certificate: Uint8Array, issuer: Uint8Array, opts: { nonce?: Uint8Array }): OcspAnswer | string {
  let basic: pkijs.BasicOCSPResponse;
  try {
    const resp = pkijs.OCSPResponse.fromBER(toArrayBuffer(response));
    const st = resp.responseStatus.valueBlock.valueDec;
    if (st !== 0) return `OCSP responder answered ${RESPONSE_STATUS[st] ?? st}`;
    if (resp.responseBytes?.responseType !== OID_OCSP_BASIC) return 'OCSP response is not a BasicOCSPResponse';
    basic = pkijs.BasicOCSPResponse.fromBER(resp.responseBytes.response.valueBlock.valueHexView.slice().buffer);
  } catch (err) {
    return `malformed OCSP response (${(err as Error).message})`;
  }
  const c = cert(certificate);
  const ca = cert(issuer);
  // The CertID names the CA by its name and key, and the serial: that is only this certificate
  // if the CA really issued it (a twin with the same serial from another CA is someone else).
  if (!issuedBy(c, ca)) return `certificate serial ${serialHex(c)} was not issued by the CA it is checked against`;
  // Who signed: the CA itself, or a delegated responder the CA issued for exactly this.
  let signer: pkijs.Certificate | undefined;
  let responder = 'the issuing CA';
  if (responderMatches(basic, ca)) signer = ca;
  else {
    const delegate = (basic.certs ?? []).find((x) => responderMatches(basic, x));
    if (!delegate) return 'OCSP responder certificate is neither the issuing CA nor included in the response';
    if (!issuedBy(delegate, ca)) return 'OCSP responder certificate was not issued by the certificate\'s CA';
    const eku = delegate.extensions?.find((e) => e.extnID === '2.5.29.37');
    const purposes = (eku?.parsedValue as { keyPurposes?: string[] } | undefined)?.keyPurposes ?? [];
    if (!purposes.includes(EKU_OCSP_SIGNING)) return 'OCSP responder certificate lacks extendedKeyUsage OCSPSigning';
    const at = basic.tbsResponseData.producedAt;
    if (at < delegate.notBefore.value || at > delegate.notAfter.value) return 'OCSP responder certificate was not valid when the response was produced';
    signer = delegate;
    responder = `delegated responder ${delegate.subject.typesAndValues.map((t) => t.value.valueBlock.value).join(', ')}`;
  }
  const ok = verifiesWith(basic, signer);
  if (ok !== true) return ok === false ? 'OCSP response signature does not verify' : ok;
  // Nonce (RFC 8954): a response that echoes another nonce answers someone else's request and
  // is refused. One that omits it is accepted: RFC 5019 responders pre-produce responses and
  // never echo nonces; freshness then rests on thisUpdate/nextUpdate and producedAt, which
  // checkRevocation judges against the time asked about.
  if (opts.nonce) {
    const n = basic.tbsResponseData.responseExtensions?.find((e) => e.extnID === OID_OCSP_NONCE);
    const value = n ? asn1js.fromBER(n.extnValue.valueBlock.valueHexView).result : null;
    const got = value instanceof asn1js.OctetString ? new Uint8Array(value.valueBlock.valueHexView) : n ? new Uint8Array(n.extnValue.valueBlock.valueHexView) : null;
    if (got && !bytesEqual(got, opts.nonce)) return 'OCSP response nonce differs from the request (replayed response)';
  }
  const single = basic.tbsResponseData.responses.find((r) => {
    const hash = CERT_ID_HASH[r.certID.hashAlgorithm.algorithmId];
    if (!hash) return false;
    const nameHash = createHash(hash).update(new Uint8Array(ca.subject.toSchema().toBER(false))).digest();
    const keyHash = createHash(hash).update(ca.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest();
    return (
      bytesEqual(new Uint8Array(nameHash), new Uint8Array(r.certID.issuerNameHash.valueBlock.valueHexView)) &&
      bytesEqual(new Uint8Array(keyHash), new Uint8Array(r.certID.issuerKeyHash.valueBlock.valueHexView)) &&
      toHex(r.certID.serialNumber.valueBlock.valueHexView).replace(/^(00)+(?=.)/, '') === serialHex(c)
    );
  });
  if (!single) return `OCSP response has no answer for serial ${serialHex(c)}`;
  const base = { producedAt: basic.tbsResponseData.producedAt, thisUpdate: single.thisUpdate, ...(single.nextUpdate ? { nextUpdate: single.nextUpdate } : {}), responder };
  const tag = (single.certStatus as asn1js.BaseBlock).idBlock.tagNumber;
  if (tag === 0) return { status: 'good', ...base };
  if (tag === 2) return { status: 'unknown', ...base };
  const info = single.certStatus as asn1js.Constructed;
  const time = info.valueBlock.value[0] as asn1js.GeneralizedTime;
  const reasonBlock = info.valueBlock.value[1] as asn1js.Constructed | undefined;
  const reasonCode = reasonBlock ? (reasonBlock.valueBlock.value[0] as asn1js.Enumerated).valueBlock.valueDec : undefined;
  return { status: 'revoked', revokedAt: time.toDate(), ...(reasonCode !== undefined ? { reasonCode } : {}), ...base };
}
