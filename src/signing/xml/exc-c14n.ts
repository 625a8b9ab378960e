/**
 * Exclusive XML Canonicalization 1.0 without comments
 * (http://www.w3.org/2001/10/xml-exc-c14n#) of one element subtree, written here rather than
 * taken from xml-crypto so the bytes we digest are the ones we can read and test against
 * xmlsec1 and xmllint. No InclusiveNamespaces prefix list: our signatures never use one.
 *
 * What makes it "exclusive": an element declares only the namespaces it visibly uses (its
 * own prefix and its attributes' prefixes) and that the nearest rendered ancestor has not
 * already declared with the same URI; xml:* attributes are not inherited. So a subtree
 * canonicalises the same wherever it sits, which is what lets a signature move into a
 * container or reference another signature.
 */
import type { Attr, Element, Node } from '@xmldom/xmldom';
import { escapeXmlAttribute as escapeAttr, escapeXmlText as escapeText } from './escape.ts';

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';


// Code-unit comparison is code-point order for the ASCII names and URIs found in practice.
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The exclusive canonical form (without comments) of `el` and its descendants, as a string (encode as UTF-8 to digest). */
export function excC14n(el: Element): string {
  const out: string[] = [];
  render(el, new Map(), out);
  return out.join('');
}

/** `excC14n` encoded as UTF-8 bytes. */
export function excC14nBytes(el: Element): Buffer {
  return Buffer.from(excC14n(el), 'utf8');
}

function render(node: Node, rendered: ReadonlyMap<string, string>, out: string[]): void {
  switch (node.nodeType) {
    case 1: {
      const el = node as Element;
      const prefix = el.prefix ?? '';
      const used = new Map<string, string>([[prefix, el.namespaceURI ?? '']]);
      const attrs: Attr[] = [];
      for (let i = 0; i < el.attributes.length; i++) {
        const a = el.attributes.item(i)!;
        if (a.namespaceURI === XMLNS_NS) continue;
        attrs.push(a);
        if (a.prefix && a.prefix !== 'xml') used.set(a.prefix, a.namespaceURI ?? '');
      }
      const decls: [string, string][] = [];
      for (const [p, uri] of used) {
        // The default namespace: xmlns="" only undoes a non-empty default rendered above.
        if (p === '' ? uri !== (rendered.get('') ?? '') : rendered.get(p) !== uri) decls.push([p, uri]);
      }
      decls.sort((a, b) => cmp(a[0], b[0]));
      attrs.sort((a, b) => cmp(a.namespaceURI ?? '', b.namespaceURI ?? '') || cmp(a.localName ?? a.name, b.localName ?? b.name));
      const qname = el.tagName;
      out.push('<', qname);
      for (const [p, uri] of decls) out.push(p === '' ? ' xmlns="' : ` xmlns:${p}="`, escapeAttr(uri), '"');
      for (const a of attrs) out.push(' ', a.name, '="', escapeAttr(a.value), '"');
      out.push('>');
      let scope = rendered;
      if (decls.length) {
        const next = new Map(rendered);
        for (const [p, uri] of decls) next.set(p, uri);
        scope = next;
      }
      for (let c = el.firstChild; c; c = c.nextSibling) render(c, scope, out);
      out.push('</', qname, '>');
      return;
    }
    case 3: // text
    case 4: // CDATA: rendered as its text
      out.push(escapeText((node as unknown as { data: string }).data));
      return;
    case 7: {
      const pi = node as unknown as { target: string; data: string };
      out.push('<?', pi.target, pi.data ? ` ${pi.data}` : '', '?>');
      return;
    }
    default: // comments (8) are dropped; nothing else occurs inside an element
      return;
  }
}
