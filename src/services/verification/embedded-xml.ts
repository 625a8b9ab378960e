/**
 * The HBS XML a record PDF embeds (PDF/A-3 attachment "hocba.xml", DESIGN.md "one truth, two
 * faces"): found through the catalog's /Names /EmbeddedFiles tree, read with the same strict PDF
 * reader the signature validator uses (size limits, no loops).
 */
import { openPdf, type PdfDocument } from '../../signing/pades/pdf-document.ts';
import { PdfDict, PdfStream, PdfString, type PdfValue } from '../../signing/pades/pdf-objects.ts';
import { decodeText } from '../../signing/pades/pdf-text.ts';

/** The name the renderer gives the attachment (documents/pdf/render-record.ts). */
export const EMBEDDED_XML_FILE = 'hocba.xml';
const MAX_NODES = 1000;

function namesLeaves(doc: PdfDocument, node: PdfValue, out: Array<[string, PdfValue]>, seen: { n: number }): void {
  const d = doc.resolve(node);
  if (!(d instanceof PdfDict) || ++seen.n > MAX_NODES) return;
  const names = doc.resolve(d.get('Names'));
  if (Array.isArray(names)) {
    for (let i = 0; i + 1 < names.length; i += 2) {
      const k = doc.resolve(names[i]);
      if (k instanceof PdfString) out.push([decodeText(k.bytes), names[i + 1]!]);
    }
  }
  const kids = doc.resolve(d.get('Kids'));
  if (Array.isArray(kids)) for (const kid of kids) namesLeaves(doc, kid, out, seen);
}

/**
 * The bytes of the embedded `hocba.xml` of the PDF as it is now (the last revision), or null
 * when there is none. Throws SigningError('document_invalid') when the PDF cannot be read.
 */
export function embeddedRecordXml(pdf: Uint8Array): Uint8Array | null {
  const doc = openPdf(pdf);
  const names = doc.resolve(doc.catalog().get('Names'));
  if (!(names instanceof PdfDict)) return null;
  const leaves: Array<[string, PdfValue]> = [];
  namesLeaves(doc, names.get('EmbeddedFiles') ?? null, leaves, { n: 0 });
  const hit = leaves.find(([k]) => k === EMBEDDED_XML_FILE);
  if (!hit) return null;
  const spec = doc.resolve(hit[1]);
  if (!(spec instanceof PdfDict)) return null;
  const ef = doc.resolve(spec.get('EF'));
  if (!(ef instanceof PdfDict)) return null;
  const stream = doc.resolve(ef.get('UF') ?? ef.get('F'));
  if (!(stream instanceof PdfStream)) return null;
  return doc.decode(stream, `the embedded file ${EMBEDDED_XML_FILE}`);
}
