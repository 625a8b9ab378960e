/**
 * Safe XML parsing for signed documents: @xmldom/xmldom behind a gate that refuses what an
 * attacker could use against the signer or the verifier — a DOCTYPE or any markup
 * declaration (no DTD means no external entities, no entity expansion bombs and no
 * attribute defaults or ID declarations that change what a reference points at), documents
 * above a size limit, nesting too deep for the recursive canonicaliser, and anything the
 * parser reports, even as a warning.
 */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { SigningError } from '../signer.ts';

/** Default size limit for a document to sign or verify (UTF-8 bytes). */
export const DEFAULT_MAX_XML_BYTES = 5 * 1024 * 1024;
/** Default maximum element nesting depth. */
export const DEFAULT_MAX_XML_DEPTH = 256;

export interface SafeParseOptions {
  /** Size limit in UTF-8 bytes (default 5 MiB). */
  maxBytes?: number;
  /** Element nesting limit (default 256). */
  maxDepth?: number;
}

const lineOf = (text: string, index: number): number => {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
};

/**
 * Refuses input that must never reach the parser: not text, too large, or carrying a
 * DOCTYPE / ENTITY / any other `<!` declaration (comments and CDATA excepted). Checked on
 * the raw text so no parser feature can be tricked into reading a DTD.
 */
export function assertSafeXmlText(xml: unknown, opts: SafeParseOptions = {}): asserts xml is string {
  if (typeof xml !== 'string') throw new SigningError('document_invalid', 'XML document: expected text');
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  // Cheap bound first: a UTF-16 string never has fewer UTF-8 bytes than characters.
  if (xml.length > maxBytes || Buffer.byteLength(xml, 'utf8') > maxBytes) {
    throw new SigningError('document_invalid', `XML document: larger than the ${maxBytes}-byte limit (${Buffer.byteLength(xml, 'utf8')} bytes)`);
  }
  const decl = /<!(?!--|\[CDATA\[)/.exec(xml);
  if (decl) {
    const what = /^<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i.exec(xml.slice(decl.index, decl.index + 20))?.[1]?.toUpperCase() ?? 'markup';
    throw new SigningError('document_invalid', `XML document: line ${lineOf(xml, decl.index)}: a ${what} declaration is not allowed (no DTDs or entities in signed documents)`);
  }
}

/**
 * Parses XML into an @xmldom/xmldom Document after `assertSafeXmlText`. Any parser error or
 * warning is fatal. Line ends are normalised the XML 1.0 way only (CR LF and CR → LF), as
 * libxml2/xmlsec1 do; xmldom's default would also turn U+2028/U+2029/U+0085 into LF (XML
 * 1.1), which would make our canonical bytes differ from every other verifier's.
 */
export function parseXmlSafely(xml: string, opts: SafeParseOptions = {}): Document {
  assertSafeXmlText(xml, opts);
  let doc: Document;
  try {
    doc = new DOMParser({
      locator: true,
      normalizeLineEndings: (s: string) => s.replace(/\r\n?/g, '\n'),
      onError: (level, message) => {
        throw new SigningError('document_invalid', `XML document: ${level}: ${message}`);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (e) {
    if (e instanceof SigningError) throw e;
    const cause = e as { cause?: unknown; message?: string };
    if (cause.cause instanceof SigningError) throw cause.cause;
    throw new SigningError('document_invalid', `XML document: not well-formed: ${String(cause.message ?? e)}`);
  }
  const root = doc.documentElement;
  if (!root) throw new SigningError('document_invalid', 'XML document: no root element');
  if (doc.doctype) throw new SigningError('document_invalid', 'XML document: a DOCTYPE is not allowed');
  checkDepth(root, opts.maxDepth ?? DEFAULT_MAX_XML_DEPTH);
  return doc;
}

function checkDepth(root: Element, maxDepth: number): void {
  const stack: [Element, number][] = [[root, 1]];
  while (stack.length) {
    const [el, depth] = stack.pop()!;
    if (depth > maxDepth) {
      throw new SigningError('document_invalid', `XML document: line ${el.lineNumber ?? '?'}: elements nested deeper than ${maxDepth} levels`);
    }
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) stack.push([c as Element, depth + 1]);
  }
}

/** Element children of a node, in document order. */
export function childElements(el: Element): Element[] {
  const out: Element[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) out.push(c as Element);
  return out;
}

/** Every element of the document in document order (start-tag order in the text). */
export function allElements(doc: Document): Element[] {
  const out: Element[] = [];
  const stack: Element[] = [doc.documentElement!];
  while (stack.length) {
    const el = stack.pop()!;
    out.push(el);
    const kids = childElements(el);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return out;
}
