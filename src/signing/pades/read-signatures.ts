/**
 * Lists the signatures of a PDF with what a validator needs to judge each one: the CMS, the
 * byte ranges and whether they cover the file exactly up to the end of a revision (with only
 * the /Contents value left out), the signature dictionary entries, and the digest of the
 * signed bytes computed with the CMS's own digest algorithm. Judging is left to the caller
 * (src/signing/validation); this only reports, and fails only when the PDF cannot be read.
 */
import { SigningError, type DigestAlgorithm } from '../signer.ts';
import { readCmsSignature, derLength } from '../cms/read-cms.ts';
import { openPdf } from './pdf-document.ts';
import { PdfDict, PdfName, PdfRef, PdfString } from './pdf-objects.ts';
import { formFields } from './pdf-form.ts';
import { decodeText, parsePdfDate } from './pdf-text.ts';
import { byteRangeDigest } from './prepare-pades.ts';

export interface PdfSignatureInfo {
  fieldName: string;
  /** Object number of the signature dictionary (or of the field holding it inline). */
  objectNumber: number;
  filter: string | null;
  subFilter: string | null;
  byteRange: number[];
  /** Offsets of the /Contents hex string in the file, delimiters included. */
  contentsRange: [number, number] | null;
  /** The CMS DER (zero padding removed); empty when /Contents is missing. */
  cms: Uint8Array;
  /** End of the signed bytes (last range's offset + length). */
  signedEnd: number;
  /** 1-based revision that ends where the signed bytes end, or null when they end elsewhere. */
  revision: number | null;
  /** Ranges start at 0, the only gap is exactly the /Contents value, and they end at a revision end. */
  coversRevision: boolean;
  /** coversRevision and nothing follows: the signature covers the whole file. */
  coversWholeFile: boolean;
  /** Problems with the byte ranges, in words (empty when coversRevision). */
  byteRangeProblems: string[];
  /** /M as a date, and as written. */
  signingTime: Date | null;
  signingTimeText: string | null;
  reason: string | null;
  name: string | null;
  location: string | null;
  contactInfo: string | null;
  /** Digest of the signed bytes with the CMS digest algorithm (null when the CMS is unreadable or the ranges are out of bounds). */
  digestAlgorithm: DigestAlgorithm | null;
  contentDigest: Uint8Array | null;
}

const text = (v: unknown) => (v instanceof PdfString ? decodeText(v.bytes) : null);
const nameOf = (v: unknown) => (v instanceof PdfName ? v.name : null);

/** Every signed signature field of the PDF, in signing order (by end of signed bytes). */
export function readPdfSignatures(pdf: Uint8Array): PdfSignatureInfo[] {
  const doc = openPdf(pdf);
  const out: PdfSignatureInfo[] = [];
  for (const field of formFields(doc)) {
    if (field.type !== 'Sig') continue;
    const v = field.dict.get('V');
    const sig = doc.resolve(v);
    if (!(sig instanceof PdfDict)) continue; // an empty signature field
    const holder = v instanceof PdfRef ? v.num : field.ref?.num;
    if (holder === undefined) throw new SigningError('document_invalid', `PDF: signature field "${field.fullName}" is neither an object nor references one`);
    const where = `signature field "${field.fullName}" (object ${holder})`;
    const problems: string[] = [];
    const inFile = doc.offsetOf(holder) !== null;
    if (!inFile) problems.push('the signature dictionary is inside a compressed object stream, so its /Contents cannot be excluded from the signed bytes');

    const brV = doc.resolve(sig.get('ByteRange'));
    const byteRange = Array.isArray(brV) && brV.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0) ? (brV as number[]) : [];
    if (byteRange.length === 0) problems.push('/ByteRange is missing or not a list of non-negative integers');
    else if (byteRange.length !== 4) problems.push(`/ByteRange has ${byteRange.length / 2} ranges; PAdES requires exactly 2`);
    const contents = sig.get('Contents');
    const contentsRange: [number, number] | null = contents instanceof PdfString && inFile ? [contents.start, contents.end] : null;
    let cms: Uint8Array = new Uint8Array(0);
    if (!(contents instanceof PdfString)) problems.push('/Contents is missing');
    else {
      try {
        cms = contents.bytes.subarray(0, derLength(contents.bytes));
      } catch {
        cms = contents.bytes;
      }
    }

    const signedEnd = byteRange.length >= 2 ? byteRange[byteRange.length - 2]! + byteRange[byteRange.length - 1]! : 0;
    const inBounds = byteRange.length >= 2 && signedEnd <= pdf.length;
    if (byteRange.length && !inBounds) problems.push(`/ByteRange ends at byte ${signedEnd}, beyond the end of the file (${pdf.length})`);
    if (byteRange.length === 4) {
      if (byteRange[0] !== 0) problems.push('/ByteRange does not start at byte 0');
      if (contentsRange && (byteRange[1] !== contentsRange[0] || byteRange[2] !== contentsRange[1])) {
        problems.push(`the gap in /ByteRange (${byteRange[1]}–${byteRange[2]}) is not exactly the /Contents value (${contentsRange[0]}–${contentsRange[1]})`);
      }
    }
    const revIndex = doc.revisionEnds.indexOf(signedEnd);
    if (inBounds && revIndex < 0) problems.push(`the signed bytes end at byte ${signedEnd}, which is not the end of a revision (%%EOF)`);
    if (sig.get('Type') !== undefined && !(sig.get('Type') instanceof PdfName && (sig.get('Type') as PdfName).name === 'Sig')) problems.push('/Type is not /Sig');

    let digestAlgorithm: DigestAlgorithm | null = null;
    let contentDigest: Uint8Array | null = null;
    try {
      digestAlgorithm = readCmsSignature(cms).digestAlgorithm;
      if (digestAlgorithm && inBounds) contentDigest = byteRangeDigest(pdf, byteRange, digestAlgorithm);
    } catch {
      // An unreadable CMS is the validator's finding (verifyCmsSignature names it), not a reading failure.
    }
    const m = text(sig.get('M'));
    const coversRevision = problems.length === 0;
    out.push({
      fieldName: field.fullName,
      objectNumber: holder,
      filter: nameOf(sig.get('Filter')),
      subFilter: nameOf(sig.get('SubFilter')),
      byteRange,
      contentsRange,
      cms,
      signedEnd,
      revision: revIndex >= 0 ? revIndex + 1 : null,
      coversRevision,
      coversWholeFile: coversRevision && signedEnd === pdf.length,
      byteRangeProblems: problems.map((p) => `${where}: ${p}`),
      signingTime: m ? parsePdfDate(m) : null,
      signingTimeText: m,
      reason: text(sig.get('Reason')),
      name: text(sig.get('Name')),
      location: text(sig.get('Location')),
      contactInfo: text(sig.get('ContactInfo')),
      digestAlgorithm,
      contentDigest,
    });
  }
  // One CMS must count once: two fields whose /V is the same signature dictionary would show
  // one signer's signature under two names (e.g. homeroom teacher and principal).
  const byObject = new Map<number, PdfSignatureInfo[]>();
  for (const s of out) (byObject.get(s.objectNumber) ?? byObject.set(s.objectNumber, []).get(s.objectNumber)!).push(s);
  for (const same of byObject.values()) {
    if (same.length < 2) continue;
    for (const s of same) {
      const others = same.filter((o) => o !== s).map((o) => `"${o.fieldName}"`).join(', ');
      s.byteRangeProblems.push(`signature field "${s.fieldName}" (object ${s.objectNumber}): the signature dictionary (object ${s.objectNumber}) is also the value of field ${others}; one signature cannot sign two fields`);
      s.coversRevision = false;
      s.coversWholeFile = false;
    }
  }
  return out.sort((a, b) => a.signedEnd - b.signedEnd);
}

/** The bytes a signature covers (both ranges concatenated), e.g. for `openssl cms -verify -content`. */
export function signedBytes(pdf: Uint8Array, byteRange: readonly number[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i + 1 < byteRange.length; i += 2) {
    const [o, l] = [byteRange[i]!, byteRange[i + 1]!];
    if (o + l > pdf.length) throw new SigningError('document_invalid', `PDF: byte range ${o}+${l} is beyond the end of the file`);
    parts.push(pdf.subarray(o, o + l));
  }
  return new Uint8Array(Buffer.concat(parts));
}
