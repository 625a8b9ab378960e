/**
 * CRL issuance (RFC 5280 §5) for the test PKI: AKI and a monotonically increasing CRL number,
 * times in whole seconds. Callers write PEM with the 'X509 CRL' label (OpenSSL 3 needs it).
 */
import { x509, OID, type IssuerKey } from './cert-builder.ts';
import { toArrayBuffer, wholeSeconds } from './der.ts';
import { signingAlgorithm } from './keys.ts';

export interface CrlEntryInput {
  serialHex: string;
  date: Date;
  /** CRLReason code (RFC 5280 §5.3.1), e.g. 1 keyCompromise. 0 = unspecified (written without the extension). */
  reason?: number;
}

/** DER encoding of a non-negative INTEGER (the CRL number extension value). */
function derInteger(n: number): Uint8Array {
  let hex = Math.floor(n).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let body = Buffer.from(hex, 'hex');
  if (body[0]! & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return new Uint8Array([0x02, body.length, ...body]);
}

export async function buildCrl(params: {
  ca: IssuerKey & { certificate: x509.X509Certificate };
  entries: CrlEntryInput[];
  thisUpdate?: Date;
  validityMs: number;
  crlNumber: number;
}): Promise<Uint8Array> {
  const thisUpdate = wholeSeconds(params.thisUpdate ?? new Date());
  const crl = await x509.X509CrlGenerator.create({
    issuer: params.ca.certificate.subjectName,
    thisUpdate,
    nextUpdate: new Date(thisUpdate.getTime() + params.validityMs),
    signingKey: params.ca.privateKey,
    signingAlgorithm: signingAlgorithm(params.ca.keyType),
    entries: params.entries.map((e) => ({
      serialNumber: e.serialHex,
      revocationDate: wholeSeconds(e.date),
      ...(e.reason ? { reason: e.reason as x509.X509CrlReason } : {}),
    })),
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(params.ca.certificate.publicKey),
      new x509.Extension(OID.crlNumber, false, toArrayBuffer(derInteger(params.crlNumber))),
    ],
  });
  return new Uint8Array(crl.rawData);
}
