/**
 * Navigation of the document structure signing needs: the page tree (the signature widget
 * goes on the last page), the AcroForm field tree (signature fields and their names) and the
 * DocMDP permissions of a certification signature.
 */
import type { PdfDocument } from './pdf-document.ts';
import { PdfDict, PdfRef, PdfString, isName, pdfError, type PdfValue } from './pdf-objects.ts';
import { decodeText } from './pdf-text.ts';

const MAX_TREE_DEPTH = 32;
const MAX_NODES = 100_000;

/** Reference of the last page in document order (walks /Kids, guarding against cycles). */
export function lastPageRef(doc: PdfDocument): PdfRef {
  const pages = doc.catalog().get('Pages');
  if (!(pages instanceof PdfRef)) pdfError('the catalog has no /Pages reference');
  const seen = new Set<number>();
  let node: PdfRef = pages;
  for (let depth = 0; depth <= MAX_TREE_DEPTH; depth++) {
    if (seen.has(node.num)) pdfError(`the page tree loops at object ${node.num}`);
    seen.add(node.num);
    const dict = doc.get(node);
    if (!(dict instanceof PdfDict)) pdfError(`page tree node ${node.num} is not a dictionary`);
    if (isName(dict.get('Type'), 'Page')) return node;
    const kids = doc.resolve(dict.get('Kids'));
    if (!Array.isArray(kids) || kids.length === 0) pdfError(`page tree node ${node.num} has no /Kids`);
    const last = kids[kids.length - 1];
    if (!(last instanceof PdfRef)) pdfError(`page tree node ${node.num} has a kid that is not a reference`);
    node = last;
  }
  pdfError('the page tree is too deep');
}

export interface FieldNode {
  ref: PdfRef | null;
  dict: PdfDict;
  /** Fully qualified name: the /T of each ancestor joined with '.'. */
  fullName: string;
  /** Field type, inherited from ancestors (e.g. "Sig"). */
  type: string | null;
}

/** The AcroForm dictionary of the catalog (resolved), or null. */
export function acroForm(doc: PdfDocument): PdfDict | null {
  const af = doc.resolve(doc.catalog().get('AcroForm'));
  return af instanceof PdfDict ? af : null;
}

/** Every terminal field of the AcroForm, depth-first. */
export function formFields(doc: PdfDocument): FieldNode[] {
  const af = acroForm(doc);
  if (!af) return [];
  const out: FieldNode[] = [];
  const seen = new Set<number>();
  let count = 0;
  const walk = (v: PdfValue, parentName: string, parentType: string | null, depth: number) => {
    if (depth > MAX_TREE_DEPTH) pdfError('the form field tree is too deep');
    if (++count > MAX_NODES) pdfError('the form has too many fields');
    const ref = v instanceof PdfRef ? v : null;
    if (ref) {
      if (seen.has(ref.num)) pdfError(`the form field tree loops at object ${ref.num}`);
      seen.add(ref.num);
    }
    const dict = doc.resolve(v);
    if (!(dict instanceof PdfDict)) return;
    const t = dict.get('T');
    const fullName = t instanceof PdfString ? (parentName ? `${parentName}.` : '') + decodeText(t.bytes) : parentName;
    const ft = dict.get('FT');
    const type = isName(ft) ? ft.name : parentType;
    const kids = doc.resolve(dict.get('Kids'));
    // Kids that carry a /T are fields; kids without one are just widgets of this field.
    const fieldKids = Array.isArray(kids) ? kids.filter((k) => doc.resolve(k) instanceof PdfDict && (doc.resolve(k) as PdfDict).get('T') !== undefined) : [];
    if (fieldKids.length === 0) out.push({ ref, dict, fullName, type });
    else for (const k of fieldKids) walk(k, fullName, type, depth + 1);
  };
  const fields = doc.resolve(af.get('Fields'));
  if (Array.isArray(fields)) for (const f of fields) walk(f, '', null, 0);
  return out;
}

/**
 * The DocMDP permission level of a certification signature (1 = no changes, 2 = forms and
 * signing, 3 = also annotations), or null when the document is not certified.
 */
export function docMdpPermission(doc: PdfDocument): number | null {
  const perms = doc.resolve(doc.catalog().get('Perms'));
  if (!(perms instanceof PdfDict)) return null;
  const sig = doc.resolve(perms.get('DocMDP'));
  if (!(sig instanceof PdfDict)) return null;
  const refs = doc.resolve(sig.get('Reference'));
  for (const r of Array.isArray(refs) ? refs : []) {
    const ref = doc.resolve(r);
    if (ref instanceof PdfDict && isName(ref.get('TransformMethod'), 'DocMDP')) {
      const params = doc.resolve(ref.get('TransformParams'));
      const p = params instanceof PdfDict ? params.get('P') : undefined;
      return typeof p === 'number' ? p : 2; // default P is 2
    }
  }
  return 2;
}
