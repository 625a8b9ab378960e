/**
 * What changed in a PDF after a signature: the revision the signature covers is compared,
 * object by object, with the document as it is now (what a reader displays). The only
 * changes accepted are those later signatures and long-term validation data make:
 * new signature fields (AcroForm /Fields, /SigFlags, the page's /Annots gaining signature
 * widgets, an empty signature field getting its value) and the /DSS. Anything else — a
 * page's content, a font, the page tree, the metadata, a non-signature field — is reported
 * as a change, because that is how "shadow" attacks show the signer's name under other content.
 */
import type { PdfDocument } from '../pades/pdf-document.ts';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from '../pades/pdf-objects.ts';

export interface ChangeReport {
  /** Changes that are not allowed after a signature, in words (empty = none). */
  disallowed: string[];
  /** Allowed changes, in words (for the reason). */
  allowed: string[];
}

const MAX_DEPTH = 64;
const MAX_OBJECTS = 1_000_000;

/** Structural equality of two parsed PDF values (streams: dictionary and raw bytes). */
export function sameValue(a: PdfValue | undefined, b: PdfValue | undefined, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (a === undefined || b === undefined) return a === b;
  if (a === null || typeof a !== 'object' || b === null || typeof b !== 'object') return a === b;
  if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name;
  if (a instanceof PdfRef) return b instanceof PdfRef && a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfString) return b instanceof PdfString && Buffer.from(a.bytes).equals(Buffer.from(b.bytes));
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i], depth + 1));
  if (a instanceof PdfStream) return b instanceof PdfStream && sameValue(a.dict, b.dict, depth + 1) && Buffer.from(a.raw).equals(Buffer.from(b.raw));
  if (a instanceof PdfDict) {
    if (!(b instanceof PdfDict) || a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map) if (!b.map.has(k) || !sameValue(v, b.map.get(k), depth + 1)) return false;
    return true;
  }
  return false;
}

/** Keys whose values differ between two dictionaries (added and removed keys included). */
function changedKeys(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set([...a.map.keys(), ...b.map.keys()]);
  return [...keys].filter((k) => !sameValue(a.get(k), b.get(k)));
}

const typeName = (v: PdfValue): string | null => {
  const d = v instanceof PdfStream ? v.dict : v;
  const t = d instanceof PdfDict ? d.get('Type') : undefined;
  return t instanceof PdfName ? t.name : null;
};

function describe(v: PdfValue): string {
  const t = typeName(v);
  if (t) return `/${t}`;
  if (v instanceof PdfStream) return 'a stream';
  if (v instanceof PdfDict) return v.get('FT') instanceof PdfName ? `a form field (/FT /${(v.get('FT') as PdfName).name})` : 'a dictionary';
  if (Array.isArray(v)) return 'an array';
  return 'a value';
}

const refNum = (v: PdfValue | undefined): number | null => (v instanceof PdfRef ? v.num : null);

/** Compares the document at the end of a signed revision with the current document. */
export function changesAfter(signed: PdfDocument, current: PdfDocument): ChangeReport {
  const disallowed: string[] = [];
  const allowed = new Set<string>();

  const dict = (doc: PdfDocument, v: PdfValue | undefined): PdfDict | null => {
    const r = doc.resolve(v ?? null);
    return r instanceof PdfDict ? r : null;
  };
  const array = (doc: PdfDocument, v: PdfValue | undefined): PdfValue[] => {
    const r = doc.resolve(v ?? null);
    return Array.isArray(r) ? r : [];
  };
  const fieldType = (d: PdfDict): string | null => {
    for (let node: PdfDict | null = d, i = 0; node && i < 32; node = dict(current, node.get('Parent')), i++) {
      const ft = node.get('FT');
      if (ft instanceof PdfName) return ft.name;
    }
    return null;
  };
  const isSigField = (v: PdfValue) => {
    const d = dict(current, v);
    return d !== null && fieldType(d) === 'Sig';
  };
  const isSigWidget = (v: PdfValue) => {
    const d = dict(current, v);
    const sub = d?.get('Subtype');
    return d !== null && sub instanceof PdfName && sub.name === 'Widget' && fieldType(d) === 'Sig';
  };
  /**
   * A widget added after a signature may only be invisible: its appearance stream is new
   * content nobody signed, and drawn over the page it can show other marks or grades under
   * the earlier signer's name (the "overlay" shadow attack). Our own signatures use a
   * zero-area /Rect; the visible signature block is part of the signed page content.
   */
  const isVisibleWidget = (v: PdfValue) => {
    const d = dict(current, v);
    if (!d) return false;
    const flags = current.resolve(d.get('F') ?? null);
    if (typeof flags === 'number' && (flags & 0b100010) !== 0) return false; // Hidden (2) or NoView (32)
    const rect = current.resolve(d.get('Rect') ?? null);
    if (!Array.isArray(rect) || rect.length !== 4 || !rect.every((x) => typeof x === 'number')) return true; // unknown area: assume visible
    const [x1, y1, x2, y2] = rect as number[];
    return Math.abs(x2! - x1!) > 0 && Math.abs(y2! - y1!) > 0;
  };
  const where = (v: PdfValue) => (v instanceof PdfRef ? `object ${v.num}` : 'an inline entry');
  /** `after` must be `before` with entries appended, each accepted by `ok`. */
  const appended = (before: PdfValue[], after: PdfValue[], ok: (v: PdfValue) => boolean, what: string, kind: string, visibleCheck = false) => {
    const kept = before.every((v, i) => sameValue(v, after[i]));
    if (!kept) return void disallowed.push(`${what}: earlier entries were removed or replaced`);
    const added = after.slice(before.length);
    const bad = added.filter((v) => !ok(v));
    const visible = visibleCheck ? added.filter((v) => ok(v) && isVisibleWidget(v)) : [];
    if (bad.length) disallowed.push(`${what}: added ${bad.map(where).join(', ')}, which ${bad.length > 1 ? 'are not' : 'is not'} ${kind}`);
    if (visible.length) disallowed.push(`${what}: added ${visible.map(where).join(', ')}, a signature widget with a visible area (its appearance is unsigned content drawn over the signed page)`);
    if (!bad.length && !visible.length && added.length) allowed.add(`${what}: ${added.length} ${kind}${added.length > 1 ? 's' : ''} added`);
  };
  const checkAcroForm = (before: PdfDict | null, after: PdfDict | null, what: string) => {
    if (!after) return void (before && disallowed.push(`${what} was removed`));
    const keys = before ? changedKeys(before, after) : [...after.map.keys()];
    const other = keys.filter((k) => k !== 'Fields' && k !== 'SigFlags');
    if (other.length) disallowed.push(`${what}: ${other.map((k) => `/${k}`).join(', ')} changed`);
    if (keys.includes('Fields')) {
      appended(before ? array(signed, before.get('Fields')) : [], array(current, after.get('Fields')), isSigField, `${what} /Fields`, 'signature field');
    }
  };

  // The catalog must stay the same object; trailer /Info must not be replaced.
  if (signed.catalogRef.num !== current.catalogRef.num) disallowed.push(`the document catalog was replaced (object ${signed.catalogRef.num} → ${current.catalogRef.num})`);
  if (!sameValue(signed.trailer.get('Info'), current.trailer.get('Info'))) disallowed.push('the document information dictionary (/Info) was replaced');

  const oldCatalog = signed.catalog();
  // The AcroForm object of the signed revision; a catalog pointing elsewhere is judged with the catalog.
  const acroFormNums = new Set([refNum(oldCatalog.get('AcroForm'))].filter((n): n is number => n !== null));
  // Only objects that already had these roles: pointing /DSS at a page's content stream must not make its change "allowed".
  const dssNums = new Set([refNum(oldCatalog.get('DSS'))].filter((n): n is number => n !== null));
  const oldForm = dict(signed, oldCatalog.get('AcroForm'));
  const fieldsNums = new Set([refNum(oldForm?.get('Fields'))].filter((n): n is number => n !== null));

  const size = Math.max(signed.size, current.size);
  if (size > MAX_OBJECTS) throw new Error(`the document declares ${size} objects, too many to compare`);
  for (let num = 1; num < size; num++) {
    const at = signed.offsetOf(num);
    if (at !== null && at === current.offsetOf(num)) continue; // same entry: same bytes
    const before = signed.get(num);
    if (before === null) continue; // a new object: judged by what refers to it
    const after = current.get(num);
    const label = `object ${num} (${describe(before)})`;
    if (after === null) {
      disallowed.push(`${label} was deleted`);
      continue;
    }
    if (sameValue(before, after)) continue;
    if (num === signed.catalogRef.num && before instanceof PdfDict && after instanceof PdfDict) {
      const keys = changedKeys(before, after);
      const other = keys.filter((k) => k !== 'AcroForm' && k !== 'DSS');
      if (other.length) disallowed.push(`the catalog: ${other.map((k) => `/${k}`).join(', ')} changed`);
      if (keys.includes('DSS')) allowed.add('validation data (/DSS) added or updated');
      if (keys.includes('AcroForm')) checkAcroForm(dict(signed, before.get('AcroForm')), dict(current, after.get('AcroForm')), 'the AcroForm');
    } else if (acroFormNums.has(num)) {
      checkAcroForm(before instanceof PdfDict ? before : null, after instanceof PdfDict ? after : null, `the AcroForm (object ${num})`);
    } else if (dssNums.has(num)) {
      if (after instanceof PdfDict) allowed.add('validation data (/DSS) added or updated');
      else disallowed.push(`the /DSS (object ${num}) is no longer a dictionary`);
    } else if (fieldsNums.has(num)) {
      appended(Array.isArray(before) ? before : [], Array.isArray(after) ? after : [], isSigField, `the AcroForm /Fields (object ${num})`, 'signature field');
    } else if (typeName(before) === 'Page' && before instanceof PdfDict && after instanceof PdfDict) {
      const keys = changedKeys(before, after);
      const other = keys.filter((k) => k !== 'Annots');
      if (other.length) disallowed.push(`page object ${num}: ${other.map((k) => `/${k}`).join(', ')} changed`);
      if (keys.includes('Annots')) appended(array(signed, before.get('Annots')), array(current, after.get('Annots')), isSigWidget, `page object ${num} /Annots`, 'signature widget', true);
    } else if (before instanceof PdfDict && after instanceof PdfDict && fieldType(before) === 'Sig' && before.get('V') === undefined) {
      // An empty signature field being signed.
      const keys = changedKeys(before, after);
      const other = keys.filter((k) => k !== 'V' && k !== 'AP');
      if (other.length) disallowed.push(`signature field object ${num}: ${other.map((k) => `/${k}`).join(', ')} changed`);
      else if (keys.includes('AP') && isVisibleWidget(after)) disallowed.push(`signature field object ${num}: a new appearance (/AP) on a visible widget (unsigned content drawn over the signed page)`);
      else allowed.add(`empty signature field object ${num} signed`);
    } else if (Array.isArray(before) && Array.isArray(after) && isPageAnnots(signed, num)) {
      appended(before, after, isSigWidget, `the /Annots array (object ${num})`, 'signature widget', true);
    } else {
      disallowed.push(`${label} was changed`);
    }
  }
  return { disallowed, allowed: [...allowed] };
}

/** Whether object `num` is the /Annots array of some page of `doc` (rare: our updates write /Annots inline). */
function isPageAnnots(doc: PdfDocument, num: number): boolean {
  const seen = new Set<number>();
  const walk = (v: PdfValue | undefined, depth: number): boolean => {
    if (!(v instanceof PdfRef) || depth > 32 || seen.has(v.num) || seen.size > 100_000) return false;
    seen.add(v.num);
    const node = doc.get(v);
    if (!(node instanceof PdfDict)) return false;
    if (typeName(node) === 'Page') return refNum(node.get('Annots')) === num;
    const kids = doc.resolve(node.get('Kids') ?? null);
    return Array.isArray(kids) && kids.some((k) => walk(k, depth + 1));
  };
  return walk(doc.catalog().get('Pages'), 0);
}
