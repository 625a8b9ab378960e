/**
 * An RFC 6960 OCSP responder for the test PKI. Answers for the CAs it is given: the issuing
 * CA through a delegated responder certificate (EKU OCSPSigning + ocsp-nocheck), the root by
 * signing itself. Times are whole seconds because NSS (pdfsig) rejects fractional seconds;
 * a request nonce is echoed because OpenSSL warns (and clients may refuse) without it.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { x509 } from './cert-builder.ts';
import { toArrayBuffer, toHex, wholeSeconds } from './der.ts';

export const OID_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
export const OID_OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';

const HASH_BY_OID: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1', // CertID hashing only; RFC 6960 clients (OpenSSL) still default to it
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

export interface OcspAuthority {
  name: string;
  ca: x509.X509Certificate;
  /** The certificate that signs responses for this CA (delegated responder or the CA itself). */
  signer: x509.X509Certificate;
  signerKey: CryptoKey;
}

export interface OcspResponderOptions {
  authorities: OcspAuthority[];
  revocations: { issuer: string; serial: string; date: string; reason: number }[];
  /** Lifetime of a response (nextUpdate − thisUpdate); default one hour. */
  validityMs?: number;
  now?: Date;
}

/** OCSPResponseStatus values (RFC 6960 §4.2.1). */
const STATUS = { successful: 0, malformedRequest: 1, internalError: 2, unauthorized: 6 } as const;

function errorResponse(status: number): Uint8Array {
  const resp = new pkijs.OCSPResponse();
  resp.responseStatus.valueBlock.valueDec = status;
  return new Uint8Array(resp.toSchema().toBER(false));
}

// asn1js parsing costs milliseconds per certificate: parse each CA / responder certificate once.
const parsed = new WeakMap<x509.X509Certificate, pkijs.Certificate>();
function pkijsCert(c: x509.X509Certificate): pkijs.Certificate {
  let p = parsed.get(c);
  if (!p) parsed.set(c, (p = pkijs.Certificate.fromBER(toArrayBuffer(new Uint8Array(c.rawData)))));
  return p;
}

const hashes = new WeakMap<x509.X509Certificate, Map<string, { name: string; key: string }>>();
/** The certificate's subject and key hashes, as an OCSP CertID would carry them. */
function idHashes(ca: x509.X509Certificate, hash: string): { name: string; key: string } {
  let byAlg = hashes.get(ca);
  if (!byAlg) hashes.set(ca, (byAlg = new Map()));
  let h = byAlg.get(hash);
  if (!h) {
    const pki = pkijsCert(ca);
    h = {
      name: createHash(hash).update(new Uint8Array(pki.subject.toSchema().toBER(false))).digest('hex'),
      key: createHash(hash).update(pki.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest('hex'),
    };
    byAlg.set(hash, h);
  }
  return h;
}

function certStatus(revoked: { date: string; reason: number } | undefined, known: boolean): asn1js.BaseBlock {
  if (!known) return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } }); // unknown [2] NULL
  if (!revoked) return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } }); // good [0] NULL
  const value: asn1js.BaseBlock[] = [new asn1js.GeneralizedTime({ valueDate: wholeSeconds(new Date(revoked.date)) })];
  if (revoked.reason) value.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Enumerated({ value: revoked.reason })] }));
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value }); // revoked [1] RevokedInfo
}

/** Answers one DER OCSPRequest with a DER OCSPResponse (never throws: errors become OCSP error statuses). */
export async function respondOcsp(request: Uint8Array, opts: OcspResponderOptions): Promise<Uint8Array> {
  let req: pkijs.OCSPRequest;
  try {
    req = pkijs.OCSPRequest.fromBER(toArrayBuffer(request));
  } catch {
    return errorResponse(STATUS.malformedRequest);
  }
  const list = req.tbsRequest.requestList;
  if (list.length === 0) return errorResponse(STATUS.malformedRequest);

  // Which authority does each CertID name? The first one found signs the whole response.
  const match = (certId: pkijs.CertID): OcspAuthority | undefined => {
    const hash = HASH_BY_OID[certId.hashAlgorithm.algorithmId];
    if (!hash) return undefined;
    const nameHash = toHex(certId.issuerNameHash.valueBlock.valueHexView);
    const keyHash = toHex(certId.issuerKeyHash.valueBlock.valueHexView);
    return opts.authorities.find((a) => {
      const h = idHashes(a.ca, hash);
      return h.name === nameHash && h.key === keyHash;
    });
  };
  const authority = list.map((r) => match(r.reqCert)).find(Boolean);
  if (!authority) return errorResponse(STATUS.unauthorized);

  const now = wholeSeconds(opts.now ?? new Date());
  const nextUpdate = new Date(now.getTime() + (opts.validityMs ?? 3_600_000));
  const basic = new pkijs.BasicOCSPResponse();
  const signerPki = pkijsCert(authority.signer);
  basic.tbsResponseData.responderID = signerPki.subject;
  basic.tbsResponseData.producedAt = now;
  for (const r of list) {
    const forThis = match(r.reqCert) === authority;
    const serial = toHex(r.reqCert.serialNumber.valueBlock.valueHexView).replace(/^(00)+(?=.)/, '');
    const revoked = opts.revocations.find((x) => x.issuer === authority.name && x.serial.replace(/^(00)+(?=.)/, '') === serial);
    basic.tbsResponseData.responses.push(
      new pkijs.SingleResponse({ certID: r.reqCert, certStatus: certStatus(revoked, forThis), thisUpdate: now, nextUpdate }),
    );
  }
  const nonce = req.tbsRequest.requestExtensions?.find((e) => e.extnID === OID_OCSP_NONCE);
  if (nonce) {
    basic.tbsResponseData.responseExtensions = [
      new pkijs.Extension({ extnID: OID_OCSP_NONCE, critical: false, extnValue: nonce.extnValue.valueBlock.valueHexView.slice().buffer }),
    ];
  }
  basic.certs = [signerPki];
  await basic.sign(authority.signerKey, 'SHA-256');

  const resp = new pkijs.OCSPResponse();
  resp.responseStatus.valueBlock.valueDec = STATUS.successful;
  resp.responseBytes = new pkijs.ResponseBytes({
    responseType: OID_OCSP_BASIC,
    response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }),
  });
  return new Uint8Array(resp.toSchema().toBER(false));
}
