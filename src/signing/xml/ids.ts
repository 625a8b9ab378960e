/**
 * Id lookup that resists signature wrapping. A reference `#x` must name exactly one element
 * in the whole document. We count every attribute some tool might treat as an Id — `Id`,
 * `ID`, `id` in any namespace and `xml:id` — so an attacker cannot add a second element that
 * a different verifier would pick instead of the one we digested.
 */
import type { Document, Element } from '@xmldom/xmldom';
import { SigningError } from '../signer.ts';
import { allElements } from './safe-parse.ts';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const ID_NAMES = new Set(['Id', 'ID', 'id']);

/** Every Id-like value of the document → the elements carrying it (more than one = ambiguous). */
export type IdIndex = Map<string, Element[]>;

/** Builds the Id index of a document. */
export function indexIds(doc: Document): IdIndex {
  const index: IdIndex = new Map();
  for (const el of allElements(doc)) {
    const values = new Set<string>();
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes.item(i)!;
      // Any namespace counts too (wsu:Id, f:Id…): xml-crypto matches @*[local-name()='Id'].
      const local = a.localName ?? a.name;
      const isId = a.namespaceURI === XML_NS ? local === 'id' : a.namespaceURI === 'http://www.w3.org/2000/xmlns/' ? false : ID_NAMES.has(local);
      if (isId) values.add(a.value);
    }
    for (const v of values) {
      const list = index.get(v);
      if (list) list.push(el);
      else index.set(v, [el]);
    }
  }
  return index;
}

/** The one element carrying Id `id`; throws reference_invalid (naming `where`) when there are none or several. */
export function resolveId(index: IdIndex, id: string, where: string): Element {
  const found = index.get(id) ?? [];
  if (found.length === 0) throw new SigningError('reference_invalid', `${where}: no element has Id "${id}"`);
  if (found.length > 1) {
    const lines = found.map((e) => `<${e.tagName}> line ${e.lineNumber ?? '?'}`).join(', ');
    throw new SigningError('reference_invalid', `${where}: Id "${id}" is carried by ${found.length} elements (${lines}); duplicate Ids are refused (signature wrapping)`);
  }
  return found[0]!;
}

/** True when `a` is `b` or one of its ancestors. */
export function contains(a: Element, b: Element): boolean {
  for (let n: Element | null = b; n; n = n.parentNode && n.parentNode.nodeType === 1 ? (n.parentNode as Element) : null) if (n === a) return true;
  return false;
}

/** All elements with this namespace and local name, in document order. */
export function elementsByName(doc: Document, namespace: string, localName: string): Element[] {
  return allElements(doc).filter((e) => e.localName === localName && (e.namespaceURI ?? '') === namespace);
}

/** Position of an element in document order (0 = root), for locating it in the source text. */
export function documentOrderIndex(doc: Document, el: Element): number {
  const i = allElements(doc).indexOf(el);
  if (i < 0) throw new SigningError('document_invalid', `XML document: element <${el.tagName}> is not in the document`);
  return i;
}
