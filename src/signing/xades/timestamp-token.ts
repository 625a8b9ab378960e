/**
 * Reading an RFC 3161 TimeStampToken well enough to tie it to a signature: the message
 * imprint (must be the hash of the canonical SignatureValue), the time, and whether the
 * TSA's CMS signature over it is intact. Trusting the TSA (its chain) is the validator's job.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SigningError, type DigestAlgorithm } from '../signer.ts';

const HASH_OIDS: Record<string, DigestAlgorithm> = {
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};
const TST_INFO_OID = '1.2.840.113549.1.9.16.1.4';

const ab = (b: Uint8Array) => {
  const out = new ArrayBuffer(b.byteLength);
  new Uint8Array(out).set(b);
  return out;
};

export interface TimestampTokenFacts {
  /** The time the TSA vouches for. */
  genTime: Date;
  imprintAlgorithm: DigestAlgorithm | null;
  imprintAlgorithmOid: string;
  imprint: Uint8Array;
  /** Serial number of the token, hex. */
  serialNumber: string;
  signedData: pkijs.SignedData;
}

/** Parses a DER TimeStampToken (ContentInfo of SignedData over TSTInfo); `where` names it in errors. */
export function readTimestampToken(token: Uint8Array, where: string): TimestampTokenFacts {
  try {
    const asn = asn1js.fromBER(ab(token));
    if (asn.offset === -1) throw new Error('not DER');
    const ci = new pkijs.ContentInfo({ schema: asn.result });
    if (ci.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error(`content type ${ci.contentType} is not SignedData`);
    const sd = new pkijs.SignedData({ schema: ci.content });
    if (sd.encapContentInfo.eContentType !== TST_INFO_OID) throw new Error('the signed content is not a TSTInfo');
    const octets = sd.encapContentInfo.eContent;
    if (!octets) throw new Error('no TSTInfo content');
    const inner = asn1js.fromBER(octets.getValue());
    if (inner.offset === -1) throw new Error('TSTInfo is not DER');
    const tst = new pkijs.TSTInfo({ schema: inner.result });
    const oid = tst.messageImprint.hashAlgorithm.algorithmId;
    return {
      genTime: tst.genTime,
      imprintAlgorithm: HASH_OIDS[oid] ?? null,
      imprintAlgorithmOid: oid,
      imprint: new Uint8Array(tst.messageImprint.hashedMessage.valueBlock.valueHexView),
      serialNumber: Buffer.from(tst.serialNumber.valueBlock.valueHexView).toString('hex'),
      signedData: sd,
    };
  } catch (e) {
    throw new SigningError('timestamp_failed', `${where}: not a readable RFC 3161 timestamp token (${(e as Error).message})`);
  }
}

/**
 * Checks the TSA's signature over the token with the certificate the token carries (no chain
 * building); pkijs also re-checks the imprint against `timestampedData`.
 */
export async function checkTimestampSignature(facts: TimestampTokenFacts, timestampedData: Uint8Array): Promise<{ status: 'passed' | 'failed' | 'indeterminate'; reason: string }> {
  if (!facts.signedData.certificates?.length) return { status: 'indeterminate', reason: 'the token carries no TSA certificate to check its signature with' };
  try {
    const r = await facts.signedData.verify({ signer: 0, data: ab(timestampedData), checkChain: false, extendedMode: true });
    return r.signatureVerified ? { status: 'passed', reason: 'the TSA signature over the token is intact' } : { status: 'failed', reason: `the TSA signature over the token does not verify (${r.message})` };
  } catch (e) {
    const r = e as { signatureVerified?: boolean | null; message?: string };
    if (r.signatureVerified === false) return { status: 'failed', reason: `the TSA signature over the token does not verify (${r.message ?? 'bad signature'})` };
    return { status: 'indeterminate', reason: `the TSA signature could not be checked (${r.message ?? String(e)})` };
  }
}
