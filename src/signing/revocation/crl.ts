/**
 * CRL (RFC 5280 §5) for one certificate: the CRL must be issued and signed by the
 * certificate's own CA (indirect CRLs are not supported), with an accepted algorithm, by a CA
 * certificate allowed to sign CRLs (keyUsage cRLSign), and it must be a complete CRL whose
 * scope covers the certificate: a delta CRL or a CRL limited by issuingDistributionPoint to
 * other certificates lists only some revocations, so its silence does not mean "good".
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import * as pkijs from 'pkijs';
import { SIGNATURE_HASH, WEAK_SIGNATURE_OIDS } from '../pki/algorithms.ts';
import { x509 } from '../pki/cert-builder.ts';
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

const EXT_CRL_NUMBER = '2.5.29.20';
const EXT_DELTA_CRL = '2.5.29.27';
const EXT_IDP = '2.5.29.28';
const EXT_AKI = '2.5.29.35';
const EXT_FRESHEST = '2.5.29.46';
const EXT_REASON = '2.5.29.21';
const EXT_INVALIDITY_DATE = '2.5.29.24';

/** Why this CRL's scope does not cover `certificate` (delta, partial or indirect), or null. */
function scopeProblem(crl: pkijs.CertificateRevocationList, certificate: Uint8Array): string | null {
  for (const e of crl.crlExtensions?.extensions ?? []) {
    if (e.extnID === EXT_DELTA_CRL) return 'delta CRL (deltaCRLIndicator): it lists only changes since a base CRL, not every revocation';
    if (e.extnID === EXT_IDP) {
      const idp = e.parsedValue as pkijs.IssuingDistributionPoint | undefined;
      if (!idp) return 'unreadable issuingDistributionPoint';
      const x = new x509.X509Certificate(toArrayBuffer(certificate));
      const isCa = !!x.getExtension(x509.BasicConstraintsExtension)?.ca;
      if (idp.indirectCRL) return 'issuingDistributionPoint marks an indirect CRL, which is not supported';
      if (idp.onlySomeReasons !== undefined) return 'issuingDistributionPoint limits the CRL to some revocation reasons';
      if (idp.onlyContainsAttributeCerts) return 'issuingDistributionPoint limits the CRL to attribute certificates';
      if (idp.onlyContainsCACerts && !isCa) return 'issuingDistributionPoint limits the CRL to CA certificates';
      if (idp.onlyContainsUserCerts && isCa) return 'issuingDistributionPoint limits the CRL to end-entity certificates';
      if (idp.distributionPoint) {
        // A partitioned CRL covers the certificates that name its distribution point.
        const idpUris = Array.isArray(idp.distributionPoint) ? idp.distributionPoint.filter((g) => g.type === 6).map((g) => String(g.value)) : [];
        const certUris = (x.getExtension(x509.CRLDistributionPointsExtension)?.distributionPoints ?? []).flatMap((dp) => dp.distributionPoint?.fullName ?? []).map((n) => n.uniformResourceIdentifier).filter((u): u is string => !!u);
        if (!idpUris.some((u) => certUris.includes(u))) return `issuingDistributionPoint scopes the CRL to ${idpUris.join(', ') || 'a named partition'}, which the certificate does not name`;
      }
    } else if (e.critical && ![EXT_CRL_NUMBER, EXT_AKI, EXT_FRESHEST].includes(e.extnID)) return `unsupported critical CRL extension ${e.extnID}`;
  }
  return null;
}

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
  // RFC 5280 §4.2.1.3: only a CA certificate with keyUsage cRLSign may sign CRLs.
  const ku = new x509.X509Certificate(toArrayBuffer(issuer)).getExtension(x509.KeyUsagesExtension);
  if (!ku || !(ku.usages & x509.KeyUsageFlags.cRLSign)) return `the CA certificate that would sign this CRL lacks keyUsage cRLSign${ku ? '' : ' (no keyUsage extension)'}`;
  const oid = crl.signatureAlgorithm.algorithmId;
  if (WEAK_SIGNATURE_OIDS[oid]) return `CRL is signed with ${WEAK_SIGNATURE_OIDS[oid]}, which is refused`;
  const hash = SIGNATURE_HASH[oid];
  if (!hash) return `CRL signature algorithm ${oid} is not supported`;
  const key = createPublicKey({ key: Buffer.from(ca.subjectPublicKeyInfo.toSchema().toBER(false)), format: 'der', type: 'spki' });
  if (!nodeVerify(hash, new Uint8Array(crl.tbsView), key, Buffer.from(crl.signatureValue.valueBlock.valueHexView))) return 'CRL signature does not verify with the CA key';
  const scope = scopeProblem(crl, certificate);
  if (scope) return scope;
  const serial = strip(toHex(c.serialNumber.valueBlock.valueHexView));
  const base = { thisUpdate: crl.thisUpdate.value, ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate.value } : {}) };
  const entry = crl.revokedCertificates?.find((r) => strip(toHex(r.userCertificate.valueBlock.valueHexView)) === serial);
  if (!entry) return { status: 'good', ...base };
  const criticalEntryExt = entry.crlEntryExtensions?.extensions.find((e) => e.critical && e.extnID !== EXT_REASON && e.extnID !== EXT_INVALIDITY_DATE);
  // e.g. a critical certificateIssuer: the entry may be about another CA's certificate.
  if (criticalEntryExt) return `the CRL entry for serial ${serial} has an unsupported critical extension ${criticalEntryExt.extnID}`;
  const reasonExt = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === '2.5.29.21');
  const reasonCode = reasonExt ? (reasonExt.parsedValue as { valueBlock: { valueDec: number } }).valueBlock.valueDec : undefined;
  return { status: 'revoked', revokedAt: entry.revocationDate.value, ...(reasonCode !== undefined ? { reasonCode } : {}), ...base };
}
