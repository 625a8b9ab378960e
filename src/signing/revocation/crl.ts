/**
 * CRL (RFC 5280 §5) for one certificate: the CRL must be issued and signed by the
 * certificate's own CA (indirect CRLs are not supported), with an accepted algorithm.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import * as pkijs from 'pkijs';
import { SIGNATURE_HASH, WEAK_SIGNATURE_OIDS } from '../pki/algorithms.ts';
import { toArrayBuffer, toHex } from '../pki/der.ts';
import { cert } from './ocsp.ts';

export interface CrlAnswer {
  status: 'good' | 'revoked';
  revokedAt?: Date;
  reasonCode?: number;
  thisUpdate: Date;
  nextUpdate?: Date;
}

const strip = (hex: string) => hex.replace(/^(00)+(?=.)/, '');

/** Reads a DER CRL about `certificate`; returns the answer or a string naming why it cannot be used. */
export function readCrl(crlDer: Uint8Array, certificate: Uint8Array, issuer: Uint8Array): CrlAnswer | string {
  let crl: pkijs.CertificateRevocationList;
  try {
    crl = pkijs.CertificateRevocationList.fromBER(toArrayBuffer(crlDer));
  } catch (err) {
    return `malformed CRL (${(err as Error).message})`;
  }
  const c = cert(certificate);
  const ca = cert(issuer);
  if (!crl.issuer.isEqual(ca.subject) || !c.issuer.isEqual(ca.subject)) return 'CRL is not issued by the certificate\'s CA (indirect CRLs are not supported)';
  const oid = crl.signatureAlgorithm.algorithmId;
  if (WEAK_SIGNATURE_OIDS[oid]) return `CRL is signed with ${WEAK_SIGNATURE_OIDS[oid]}, which is refused`;
  const hash = SIGNATURE_HASH[oid];
  if (!hash) return `CRL signature algorithm ${oid} is not supported`;
  const key = createPublicKey({ key: Buffer.from(ca.subjectPublicKeyInfo.toSchema().toBER(false)), format: 'der', type: 'spki' });
  if (!nodeVerify(hash, new Uint8Array(crl.tbsView), key, Buffer.from(crl.signatureValue.valueBlock.valueHexView))) return 'CRL signature does not verify with the CA key';
  const serial = strip(toHex(c.serialNumber.valueBlock.valueHexView));
  const base = { thisUpdate: crl.thisUpdate.value, ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate.value } : {}) };
  const entry = crl.revokedCertificates?.find((r) => strip(toHex(r.userCertificate.valueBlock.valueHexView)) === serial);
  if (!entry) return { status: 'good', ...base };
  const reasonExt = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === '2.5.29.21');
  const reasonCode = reasonExt ? (reasonExt.parsedValue as { valueBlock: { valueDec: number } }).valueBlock.valueDec : undefined;
  return { status: 'revoked', revokedAt: entry.revocationDate.value, ...(reasonCode !== undefined ? { reasonCode } : {}), ...base };
}
