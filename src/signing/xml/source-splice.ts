/**
 * Inserting into XML text without re-serialising it. Adding a signature must not change one
 * byte of what earlier signatures cover, so we never print a DOM back out: we find the
 * container element in the original text and splice the new markup into it.
 *
 * The scanner only has to find tags: the text has already been parsed (well-formed, no DTD)
 * by parseXmlSafely, so comments, CDATA and processing instructions are skipped whole,
 * character data cannot hold '<', and a '>' inside an attribute value is stepped over by
 * honouring quotes.
 */
import { SigningError } from '../signer.ts';

export interface ElementSpan {
  /** Offset of '<' of the start tag. */
  start: number;
  /** Offset just past the start tag's '>'. */
  startTagEnd: number;
  selfClosing: boolean;
  /** Offset of '</' of the end tag (equals startTagEnd - 2 for a self-closing tag: unused). */
  endTagStart: number;
  /** Offset just past the end tag (or the self-closing start tag). */
  end: number;
  /** The qualified name as written. */
  qname: string;
}

const NAME_END = /[\s/>]/;

/**
 * The span of the `index`-th element (0 = the root) in document order, i.e. the
 * `index`-th start tag of the text — the same numbering as a pre-order DOM walk.
 */
export function locateElement(xml: string, index: number): ElementSpan {
  let pos = 0;
  let seen = -1;
  let target: Omit<ElementSpan, 'endTagStart' | 'end'> | null = null;
  let depth = 0; // open elements below the target, once found
  const skipTo = (marker: string, from: number) => {
    const i = xml.indexOf(marker, from);
    if (i === -1) throw new SigningError('document_invalid', `XML text: unterminated markup at offset ${from}`);
    return i + marker.length;
  };
  while (true) {
    const lt = xml.indexOf('<', pos);
    if (lt === -1) break;
    if (xml.startsWith('<!--', lt)) pos = skipTo('-->', lt + 4);
    else if (xml.startsWith('<![CDATA[', lt)) pos = skipTo(']]>', lt + 9);
    else if (xml.startsWith('<?', lt)) pos = skipTo('?>', lt + 2);
    else if (xml.startsWith('<!', lt)) throw new SigningError('document_invalid', `XML text: declaration at offset ${lt} is not allowed`);
    else if (xml.startsWith('</', lt)) {
      const gt = skipTo('>', lt + 2);
      if (target) {
        if (depth === 0) return { ...target, endTagStart: lt, end: gt };
        depth--;
      }
      pos = gt;
    } else {
      let i = lt + 1;
      while (i < xml.length && !NAME_END.test(xml[i]!)) i++;
      const qname = xml.slice(lt + 1, i);
      let quote: string | null = null;
      for (; i < xml.length; i++) {
        const c = xml[i]!;
        if (quote) {
          if (c === quote) quote = null;
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
      }
      if (i >= xml.length) throw new SigningError('document_invalid', `XML text: unterminated start tag at offset ${lt}`);
      const selfClosing = xml[i - 1] === '/';
      pos = i + 1;
      if (target) {
        if (!selfClosing) depth++;
        continue;
      }
      seen++;
      if (seen === index) {
        target = { start: lt, startTagEnd: pos, selfClosing, qname };
        if (selfClosing) return { ...target, endTagStart: pos, end: pos };
      }
    }
  }
  throw new SigningError('document_invalid', `XML text: element number ${index} not found`);
}

/** The whitespace that indents the line a given offset is on (for readable insertions). */
export function indentationAt(xml: string, offset: number): string {
  const lineStart = xml.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(xml.slice(lineStart, offset))![0];
}

/**
 * Appends `markup` as the last child of the element spanned by `span`, on its own line.
 * Everything outside the element's end tag (and, for `<X/>`, its start tag) is kept byte for
 * byte; a self-closing element is opened (`<X …/>` → `<X …>…</X>`).
 */
export function appendChildMarkup(xml: string, span: ElementSpan, markup: string): string {
  const indent = indentationAt(xml, span.start);
  if (span.selfClosing) {
    const openTag = `${xml.slice(span.start, span.startTagEnd - 2).replace(/\s+$/, '')}>`;
    return `${xml.slice(0, span.start)}${openTag}\n${indent}  ${markup}\n${indent}</${span.qname}>${xml.slice(span.end)}`;
  }
  return `${xml.slice(0, span.endTagStart)}  ${markup}\n${indent}${xml.slice(span.endTagStart)}`;
}
