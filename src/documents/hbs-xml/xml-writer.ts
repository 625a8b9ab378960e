/**
 * Canonical XML writing for record documents: a tiny element tree printed one way only.
 * Elements hold either child elements or text, never both; attributes print in the order
 * given; two-space indentation; LF line ends; the escaping follows Canonical XML (text:
 * & < > and CR; attributes: & < > " TAB LF CR), so data elements already read as their
 * exclusive-c14n form apart from namespace declarations.
 */

/** An element to print: text-only when `text` is set, else element-only (empty → `<X/>`). */
export interface OutElement {
  name: string;
  attributes?: readonly (readonly [name: string, value: string])[];
  text?: string;
  children?: readonly (OutElement | null)[];
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };
const ATTR_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;' };

/** Escapes character data. */
export function escapeText(v: string): string {
  return v.replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] as string);
}

/** Escapes an attribute value (written between double quotes). */
export function escapeAttribute(v: string): string {
  return v.replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c] as string);
}

/** The canonical document: XML declaration, the root tree, and a final LF. Text is NFC-normalised. */
export function writeXmlDocument(root: OutElement): string {
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const write = (el: OutElement, indent: string) => {
    const attrs = (el.attributes ?? []).map(([n, v]) => ` ${n}="${escapeAttribute(v.normalize('NFC'))}"`).join('');
    if (el.text !== undefined) {
      lines.push(`${indent}<${el.name}${attrs}>${escapeText(el.text.normalize('NFC'))}</${el.name}>`);
      return;
    }
    const children = (el.children ?? []).filter((c): c is OutElement => c !== null);
    if (children.length === 0) {
      lines.push(`${indent}<${el.name}${attrs}/>`);
      return;
    }
    lines.push(`${indent}<${el.name}${attrs}>`);
    for (const c of children) write(c, `${indent}  `);
    lines.push(`${indent}</${el.name}>`);
  };
  write(root, '');
  return `${lines.join('\n')}\n`;
}
