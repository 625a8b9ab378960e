/**
 * PAdES baseline signatures (ETSI EN 319 142-1, sub-filter ETSI.CAdES.detached) added to a PDF
 * as an incremental update, in the prepare → sign → complete steps of DESIGN.md. Prepare lays
 * out the whole update — signature dictionary with a zero-filled /Contents placeholder, an
 * invisible widget on the last page (the visible signature block is drawn by the renderer), the
 * AcroForm entry — fixes the /ByteRange and returns the digest to sign. Complete only writes the
 * CMS into the placeholder, so nothing outside /Contents changes after the digest is computed.
 * Approval signatures only: no DocMDP/certification is ever written.
 */
import { createHash } from 'node:crypto';
import { SigningError, digestOf, nodeDigestName, type DigestAlgorithm, type SignatureAlgorithm, type TimestampProvider } from '../signer.ts';
import { completeCmsSignature, prepareCmsSignature, type CmsSignatureState } from '../cms/sign-cms.ts';
import { openPdf, type PdfDocument } from './pdf-document.ts';
import { PdfDict, PdfRef, name, serialize, type PdfValue } from './pdf-objects.ts';
import { acroForm, docMdpPermission, formFields, lastPageRef } from './pdf-form.ts';
import { pdfDate, textString } from './pdf-text.ts';
import { ObjectAllocator, writeUpdate, type UpdateObject } from './pdf-update.ts';

export interface PreparePadesOptions {
  pdf: Uint8Array;
  /** DER certificates, signer first, then its CA(s): all go into the CMS. */
  chain: Uint8Array[];
  algorithm: SignatureAlgorithm;
  /** Name of the new signature field; must not exist yet and may not contain '.'. */
  fieldName: string;
  /** The claimed signing time, written as /M (PAdES carries no signingTime attribute). */
  signingTime: Date;
  reason?: string;
  location?: string;
  /** Signer name shown by viewers (/Name); the certificate remains authoritative. */
  name?: string;
  contactInfo?: string;
  /** Reserve room in /Contents for a signature timestamp token added at completion (B-T). */
  timestamp?: boolean | TimestampProvider;
  /** Bytes reserved for the CMS; default: chain size + 3 KiB (+ 10 KiB with a timestamp). */
  signatureSize?: number;
}

/** JSON-serialisable state between prepare and complete (the prepared PDF itself is kept by the caller). */
export interface PadesSignatureState {
  version: 1;
  fieldName: string;
  cms: CmsSignatureState;
  byteRange: [number, number, number, number];
  /** Bytes of CMS that fit in /Contents. */
  capacity: number;
  preparedLength: number;
  /** Base64 digest of the signed byte ranges (with the CMS digest algorithm). */
  contentDigest: string;
}

export interface PreparedPades {
  /** What the Signer must sign (digest of the DER signed attributes). */
  digest: Uint8Array;
  state: PadesSignatureState;
  /** The PDF with the placeholder; keep it until completion (it is not in `state`). */
  preparedPdf: Uint8Array;
}

const MAX_FIELD_NAME = 128;
const BYTE_RANGE_WIDTH = 48; // "[0 a b c]" padded: four ten-digit numbers always fit

function checkFieldName(fieldName: string): void {
  if (typeof fieldName !== 'string' || fieldName.length === 0 || fieldName.length > MAX_FIELD_NAME || fieldName.includes('.')) {
    throw new SigningError('document_invalid', `signature field name "${String(fieldName).slice(0, 40)}" is invalid: 1–${MAX_FIELD_NAME} characters, no '.'`);
  }
}

/** Digest of the two byte ranges (everything except the /Contents value). */
export function byteRangeDigest(pdf: Uint8Array, br: readonly number[], alg: DigestAlgorithm): Uint8Array {
  const h = createHash(nodeDigestName(alg));
  for (let i = 0; i + 1 < br.length; i += 2) h.update(pdf.subarray(br[i]!, br[i]! + br[i + 1]!));
  return new Uint8Array(h.digest());
}

/** Builds the objects of the update: signature dictionary, widget/field, AcroForm, page. */
function updateObjects(doc: PdfDocument, opts: PreparePadesOptions, capacity: number): { objects: UpdateObject[]; alloc: ObjectAllocator; sigNum: number; sigBody: Buffer } {
  const alloc = new ObjectAllocator(doc);
  const sigRef = alloc.ref();
  const widgetRef = alloc.ref();
  const pageRef = lastPageRef(doc);

  const entries: string[] = ['/Type /Sig', '/Filter /Adobe.PPKLite', '/SubFilter /ETSI.CAdES.detached', `/M ${serialize(textString(pdfDate(opts.signingTime))).toString('latin1')}`];
  const text = (key: string, v: string | undefined) => {
    if (v !== undefined && v !== '') entries.push(`/${key} ${serialize(textString(v)).toString('latin1')}`);
  };
  text('Name', opts.name);
  text('Reason', opts.reason);
  text('Location', opts.location);
  text('ContactInfo', opts.contactInfo);
  // /ByteRange and /Contents come last so their positions are easy to find and to check.
  const sigBody = Buffer.from(`<<${entries.join(' ')} /ByteRange ${'[0 0 0 0]'.padEnd(BYTE_RANGE_WIDTH)} /Contents <${'0'.repeat(capacity * 2)}>>>`, 'latin1');

  const widget = new PdfDict()
    .set('Type', name('Annot'))
    .set('Subtype', name('Widget'))
    .set('FT', name('Sig'))
    .set('T', textString(opts.fieldName))
    .set('V', sigRef)
    .set('Rect', [0, 0, 0, 0])
    .set('F', 132) // Print + Locked: PDF/A wants Print; Locked keeps viewers from moving it
    .set('P', pageRef);
  const objects: UpdateObject[] = [
    { num: sigRef.num, value: null, body: sigBody },
    { num: widgetRef.num, value: widget },
  ];

  // The AcroForm: extend the existing one (indirect or inline) or create it.
  const catalogRef = doc.catalogRef;
  const catalog = doc.catalog().clone();
  const afValue = catalog.get('AcroForm');
  const af = (acroForm(doc) ?? new PdfDict()).clone();
  const fields = doc.resolve(af.get('Fields'));
  af.set('Fields', [...(Array.isArray(fields) ? fields : []), widgetRef]);
  const flags = af.get('SigFlags');
  af.set('SigFlags', (typeof flags === 'number' ? flags : 0) | 3); // SignaturesExist | AppendOnly
  if (afValue instanceof PdfRef) objects.push({ num: afValue.num, value: af });
  else {
    const afRef = alloc.ref();
    objects.push({ num: afRef.num, value: af });
    catalog.set('AcroForm', afRef);
    objects.push({ num: catalogRef.num, value: catalog });
  }

  // The page: add the widget to /Annots (written inline, even if it was an indirect array).
  const page = (doc.get(pageRef) as PdfDict).clone();
  const annots = doc.resolve(page.get('Annots'));
  page.set('Annots', [...(Array.isArray(annots) ? (annots as PdfValue[]) : []), widgetRef]);
  objects.push({ num: pageRef.num, value: page });
  return { objects, alloc, sigNum: sigRef.num, sigBody };
}

/**
 * Step 1: adds an empty signature field and placeholder to the PDF as an incremental update and
 * returns the digest the Signer must sign, the state for completion, and the prepared PDF.
 */
export function preparePadesSignature(opts: PreparePadesOptions): PreparedPades {
  checkFieldName(opts.fieldName);
  if (!(opts.signingTime instanceof Date) || Number.isNaN(opts.signingTime.getTime())) throw new SigningError('document_invalid', 'signingTime must be a valid date');
  const doc = openPdf(opts.pdf);
  const mdp = docMdpPermission(doc);
  if (mdp === 1) throw new SigningError('document_invalid', 'the PDF is certified with "no changes allowed" (DocMDP P=1): another signature would invalidate it');
  const existing = formFields(doc).find((f) => f.fullName === opts.fieldName);
  if (existing) throw new SigningError('document_invalid', `the PDF already has a form field named "${opts.fieldName}"`);

  const chainBytes = opts.chain.reduce((n, c) => n + c.length, 0);
  const capacity = opts.signatureSize ?? chainBytes + 3072 + (opts.timestamp ? 10240 : 0);
  if (!Number.isInteger(capacity) || capacity < 1024 || capacity > 512 * 1024) throw new SigningError('document_invalid', `signatureSize ${capacity} is outside 1 KiB–512 KiB`);

  const { objects, alloc, sigNum, sigBody } = updateObjects(doc, opts, capacity);
  const { pdf, offsets } = writeUpdate(doc, objects, alloc);

  // Locate the placeholder inside the written signature dictionary and fix the /ByteRange.
  const objStart = offsets.get(sigNum)! + `${sigNum} 0 obj\n`.length;
  const brAt = objStart + sigBody.indexOf('/ByteRange ') + '/ByteRange '.length;
  const contentsStart = objStart + sigBody.lastIndexOf('/Contents <') + '/Contents '.length;
  const contentsEnd = contentsStart + capacity * 2 + 2;
  const byteRange: [number, number, number, number] = [0, contentsStart, contentsEnd, pdf.length - contentsEnd];
  Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).write(`[${byteRange.join(' ')}]`.padEnd(BYTE_RANGE_WIDTH), brAt, 'latin1');

  const digestAlgorithm = digestOf(opts.algorithm);
  const contentDigest = byteRangeDigest(pdf, byteRange, digestAlgorithm);
  const cms = prepareCmsSignature({ contentDigest, digestAlgorithm, chain: opts.chain, algorithm: opts.algorithm, profile: 'pades' });
  return {
    digest: cms.digest,
    preparedPdf: pdf,
    state: {
      version: 1,
      fieldName: opts.fieldName,
      cms: cms.state,
      byteRange,
      capacity,
      preparedLength: pdf.length,
      contentDigest: Buffer.from(contentDigest).toString('base64'),
    },
  };
}

export interface CompletePadesOptions {
  preparedPdf: Uint8Array;
  state: PadesSignatureState;
  /** From Signer.signDigests: PKCS#1 v1.5 bytes (RSA) or P1363 r||s (ECDSA). */
  signatureValue: Uint8Array;
  /** Adds a signature timestamp (PAdES B-T). */
  timestamp?: TimestampProvider;
}

/** Step 3: builds the CMS (verified against the signer certificate) and writes it into /Contents. */
export async function completePadesSignature(opts: CompletePadesOptions): Promise<Uint8Array> {
  const { preparedPdf, state } = opts;
  if (!state || state.version !== 1 || !Array.isArray(state.byteRange) || state.byteRange.length !== 4) {
    throw new SigningError('document_invalid', 'PAdES state is malformed (expected the object returned by preparePadesSignature)');
  }
  const [, start, end] = state.byteRange;
  const where = `signature field "${state.fieldName}"`;
  if (preparedPdf.length !== state.preparedLength || preparedPdf[start] !== 0x3c || preparedPdf[end - 1] !== 0x3e) {
    throw new SigningError('document_invalid', `${where}: the PDF given to complete is not the one prepared (length or placeholder differs)`);
  }
  const digest = byteRangeDigest(preparedPdf, state.byteRange, state.cms.digestAlgorithm);
  if (Buffer.from(digest).toString('base64') !== state.contentDigest) {
    throw new SigningError('document_invalid', `${where}: the prepared PDF was changed after the digest was computed`);
  }
  const cms = await completeCmsSignature(state.cms, opts.signatureValue, { timestamp: opts.timestamp });
  if (cms.length > state.capacity) {
    throw new SigningError('document_invalid', `${where}: the signature (${cms.length} bytes) does not fit the ${state.capacity}-byte placeholder; prepare with timestamp: true or a larger signatureSize`);
  }
  const out = new Uint8Array(preparedPdf);
  Buffer.from(out.buffer, out.byteOffset, out.byteLength).write(Buffer.from(cms).toString('hex').toUpperCase(), start + 1, 'latin1');
  return out;
}
