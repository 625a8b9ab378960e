/**
 * Escaping exactly as Canonical XML writes it, so markup we generate is already in
 * canonical form (text: & < > CR; attribute values: & < " TAB LF CR).
 */

const TEXT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };
const ATTR: Record<string, string> = { '&': '&amp;', '<': '&lt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };

/** Escapes character data the c14n way. */
export function escapeXmlText(s: string): string {
  return s.replace(/[&<>\r]/g, (c) => TEXT[c]!);
}

/** Escapes an attribute value (between double quotes) the c14n way. */
export function escapeXmlAttribute(s: string): string {
  return s.replace(/[&<"\t\n\r]/g, (c) => ATTR[c]!);
}
