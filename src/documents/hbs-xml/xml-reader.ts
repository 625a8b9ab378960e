/**
 * A small, strict XML 1.0 reader for record documents (no dependency: @xmldom/xmldom is not
 * installed). It builds an element tree with resolved namespaces and refuses, with the
 * element and line: a DOCTYPE or any `<!` declaration (no DTD, so no XXE and no entity
 * expansion), processing instructions other than the XML declaration, comments, CDATA,
 * entity references other than the five predefined ones, malformed or mismatched tags,
 * undeclared prefixes, duplicate attributes, characters XML forbids, and documents that
 * are too large or too deep. It is a reader for this project's formats, not a general parser.
 */
import { RecordFormatError } from './format-adapter.ts';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** An attribute with its resolved namespace ('' = none). */
export interface XmlAttribute {
  name: string;
  local: string;
  ns: string;
  value: string;
}

/** An element: resolved name, attributes (namespace declarations left out), children, character data. */
export interface XmlElement {
  name: string;
  local: string;
  ns: string;
  attributes: XmlAttribute[];
  children: XmlElement[];
  /** All character data directly inside the element, concatenated. */
  text: string;
  line: number;
}

export interface ReadXmlOptions {
  maxChars?: number;
  maxDepth?: number;
}

export const DEFAULT_MAX_CHARS = 4 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 32;

const NAME_RE = /[A-Za-z_][A-Za-z0-9._-]*(?::[A-Za-z_][A-Za-z0-9._-]*)?/y;
// eslint-disable-next-line no-control-regex
const BAD_CHAR_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const DECL_RE = /<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.0\1(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(["'])(?:yes|no)\4)?[ \t\n]*\?>/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parses `input` into its root element; throws RecordFormatError on anything outside the accepted subset. */
export function readXml(input: string, options: ReadXmlOptions = {}): XmlElement {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (typeof input !== 'string') throw new RecordFormatError('the document must be text');
  if (input.length > maxChars) throw new RecordFormatError(`the document is larger than ${maxChars} characters`);
  // XML 1.0 §2.11: line ends become LF before parsing.
  const s = input.replace(/\r\n?/g, '\n');
  const lineStarts = [0];
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineAt = (p: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= p) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const bad = BAD_CHAR_RE.exec(s);
  if (bad) throw new RecordFormatError(`character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`, { line: lineAt(bad.index) });

  let pos = s.startsWith('\uFEFF') ? 1 : 0;
  const fail = (reason: string, element: string | null = null, at = pos): never => {
    throw new RecordFormatError(reason, { element, line: lineAt(at) });
  };
  const skipWs = () => {
    const start = pos;
    while (pos < s.length && (s[pos] === ' ' || s[pos] === '\n' || s[pos] === '\t')) pos++;
    return pos > start;
  };
  const readName = (context: string | null): string => {
    NAME_RE.lastIndex = pos;
    const m = NAME_RE.exec(s);
    if (!m) fail('expected a name', context);
    pos += m![0].length;
    return m![0];
  };
  /** Refuses the constructs this reader never accepts, if one starts at `pos`. */
  const refuseMarkup = (context: string | null) => {
    if (s.startsWith('<!DOCTYPE', pos)) fail('a DOCTYPE is not allowed (no DTDs, no external entities)', context);
    if (s.startsWith('<!--', pos)) fail('comments are not allowed', context);
    if (s.startsWith('<![CDATA[', pos)) fail('CDATA sections are not allowed', context);
    if (s.startsWith('<!', pos)) fail('markup declarations are not allowed', context);
    if (s.startsWith('<?', pos)) fail('processing instructions are not allowed', context);
  };
  const decode = (raw: string, at: number, context: string): string =>
    raw.replace(/&([^;&<]*)(;?)/g, (whole, ref: string, semi: string) => {
      if (!semi) fail(`an "&" that does not start a reference: "${whole.slice(0, 12)}"`, context, at);
      if (ref in PREDEFINED) return PREDEFINED[ref] as string;
      const m = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(ref);
      if (!m) fail(`entity "&${ref};" is not allowed (only &lt; &gt; &amp; &quot; &apos; and character references)`, context, at);
      const cp = m![1] !== undefined ? parseInt(m![1], 16) : Number(m![2]);
      const ok = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
      if (!ok) fail(`character reference "&${ref};" is not an XML character`, context, at);
      return String.fromCodePoint(cp);
    });

  // Prolog: optional XML declaration, whitespace, then the root element.
  if (s.startsWith('<?xml', pos) && /[ \t\n]/.test(s[pos + 5] ?? '')) {
    DECL_RE.lastIndex = pos;
    const m = DECL_RE.exec(s);
    if (!m) fail('malformed XML declaration (version 1.0, encoding UTF-8 expected)');
    if (m![3] !== undefined && m![3].toLowerCase() !== 'utf-8') fail(`encoding "${m![3]}" is not supported (UTF-8 only)`);
    pos += m![0].length;
  }
  skipWs();
  refuseMarkup(null);
  if (s[pos] !== '<') fail(pos >= s.length ? 'the document is empty' : 'expected the root element');

  const readElement = (scope: Map<string, string>, depth: number): XmlElement => {
    const start = pos;
    pos++; // '<'
    const name = readName(null);
    if (depth > maxDepth) fail(`elements are nested deeper than ${maxDepth}`, name, start);
    const raw: { name: string; value: string; at: number }[] = [];
    let selfClosing = false;
    for (;;) {
      const ws = skipWs();
      if (pos >= s.length) fail('the document ends inside a start tag', name);
      if (s.startsWith('/>', pos)) {
        pos += 2;
        selfClosing = true;
        break;
      }
      if (s[pos] === '>') {
        pos++;
        break;
      }
      if (!ws) fail('expected whitespace, ">" or "/>" after a name or attribute', name);
      const at = pos;
      const aname = readName(name);
      skipWs();
      if (s[pos] !== '=') fail(`attribute ${aname} has no "="`, name);
      pos++;
      skipWs();
      const q = s[pos];
      if (q !== '"' && q !== "'") fail(`attribute ${aname} is not quoted`, name);
      const end = s.indexOf(q!, pos + 1);
      if (end === -1) fail(`attribute ${aname} is not closed`, name);
      const rawValue = s.slice(pos + 1, end);
      if (rawValue.includes('<')) fail(`attribute ${aname} contains "<"`, name);
      pos = end + 1;
      if (raw.some((a) => a.name === aname)) fail(`attribute ${aname} appears twice`, name, at);
      // Attribute-value normalisation (§3.3.3): literal TAB and LF become spaces; references keep their character.
      raw.push({ name: aname, value: decode(rawValue.replace(/[\t\n]/g, ' '), at, name), at });
    }
    // Namespace declarations first, then resolve names.
    let inner = scope;
    for (const a of raw) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
        const prefix = a.name === 'xmlns' ? '' : a.name.slice(6);
        if (prefix === 'xmlns' || (prefix === 'xml' && a.value !== XML_NS)) fail(`prefix ${prefix} cannot be declared`, name, a.at);
        if (prefix !== '' && a.value === '') fail(`prefix ${prefix} cannot be undeclared`, name, a.at);
        if (inner === scope) inner = new Map(scope);
        inner.set(prefix, a.value);
      }
    }
    const resolve = (qname: string, isAttr: boolean, at: number): { local: string; ns: string } => {
      const i = qname.indexOf(':');
      if (i === -1) return { local: qname, ns: isAttr ? '' : (inner.get('') ?? '') };
      const prefix = qname.slice(0, i);
      if (prefix === 'xml') return { local: qname.slice(i + 1), ns: XML_NS };
      const ns = inner.get(prefix);
      if (ns === undefined) fail(`prefix "${prefix}" is not declared`, name, at);
      return { local: qname.slice(i + 1), ns: ns! };
    };
    const el: XmlElement = { name, ...resolve(name, false, start), attributes: [], children: [], text: '', line: lineAt(start) };
    for (const a of raw) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
      const r = resolve(a.name, true, a.at);
      if (el.attributes.some((b) => b.local === r.local && b.ns === r.ns)) fail(`attribute ${a.name} appears twice`, name, a.at);
      el.attributes.push({ name: a.name, ...r, value: a.value });
    }
    if (selfClosing) return el;
    // Content: character data and child elements until the matching end tag.
    for (;;) {
      if (pos >= s.length) fail(`the document ends before </${name}> (truncated?)`, name);
      if (s[pos] === '<') {
        if (s.startsWith('</', pos)) {
          const at = pos;
          pos += 2;
          const closing = readName(name);
          skipWs();
          if (s[pos] !== '>') fail(`malformed end tag </${closing}`, name, at);
          pos++;
          if (closing !== name) fail(`end tag </${closing}> does not match <${name}>`, name, at);
          return el;
        }
        refuseMarkup(name);
        el.children.push(readElement(inner, depth + 1));
      } else {
        const at = pos;
        let end = s.indexOf('<', pos);
        if (end === -1) end = s.length;
        const rawText = s.slice(pos, end);
        if (rawText.includes(']]>')) fail('"]]>" is not allowed in text', name, at);
        el.text += decode(rawText, at, name);
        pos = end;
      }
    }
  };

  const root = readElement(new Map([['xml', XML_NS]]), 1);
  skipWs();
  if (pos < s.length) {
    refuseMarkup(null);
    fail('content after the root element');
  }
  return root;
}
