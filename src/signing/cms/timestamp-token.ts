/**
 * Reads an RFC 3161 TimeStampToken (a CMS SignedData over a TSTInfo): when, over what, by whom.
 * Used to check a fresh token before embedding it and by validation to report the time.
 */
import { SigningError, type DigestAlgorithm } from '../signer.ts';
import { OID, digestFromOid } from './algorithms.ts';
import { children, content, decodeOid, parseDer, type Tlv } from './der.ts';
import { parseDerTime, readCmsSignature, type CmsSignatureInfo } from './read-cms.ts';

export interface TimestampTokenInfo {
  genTime: Date;
  policy: string;
  serialNumber: string; // hex
  imprintAlgorithmOid: string;
  imprintAlgorithm: DigestAlgorithm | null;
  imprint: Uint8Array;
  nonce: string | null; // hex
  /** The token's own SignedData (signer = the TSA). */
  cms: CmsSignatureInfo;
  tsaCertificate: Uint8Array | null;
}

function bad(what: string): never {
  throw new SigningError('document_invalid', `timestamp token: ${what}`);
}

const req = (t: Tlv | undefined, tag: number, what: string): Tlv => (t && t.tag === tag ? t : bad(`expected ${what}`));

/** Parses a DER TimeStampToken. Throws SigningError('document_invalid') when it is not one. */
export function readTimestampToken(der: Uint8Array): TimestampTokenInfo {
  const cms = readCmsSignature(der);
  if (cms.contentType !== OID.tstInfo) bad(`content type is ${cms.contentType}, not id-ct-TSTInfo`);
  if (!cms.encapsulatedContent) bad('the TSTInfo is missing (detached token)');
  const where = 'TSTInfo';
  const f = children(req(parseDer(cms.encapsulatedContent, where), 0x30, 'TSTInfo SEQUENCE'), where);
  const policy = decodeOid(req(f[1], 0x06, 'policy'));
  const [alg, hashed] = children(req(f[2], 0x30, 'messageImprint'), where);
  const imprintAlgorithmOid = decodeOid(children(req(alg, 0x30, 'hashAlgorithm'), where)[0]!);
  const serialNumber = Buffer.from(content(req(f[3], 0x02, 'serialNumber'))).toString('hex');
  const genTime = parseDerTime(req(f[4], 0x18, 'genTime GeneralizedTime'));
  const nonceTlv = f.slice(5).find((t) => t.tag === 0x02);
  return {
    genTime,
    policy,
    serialNumber,
    imprintAlgorithmOid,
    imprintAlgorithm: digestFromOid(imprintAlgorithmOid),
    imprint: content(req(hashed, 0x04, 'hashedMessage')),
    nonce: nonceTlv ? Buffer.from(content(nonceTlv)).toString('hex') : null,
    cms,
    tsaCertificate: cms.signerCertificate,
  };
}
