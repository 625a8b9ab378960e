/**
 * A small, safe markdown reader for the user guide (docs/guide): headings, paragraphs, lists
 * (nested), bold / italic, inline and fenced code, links, images, tables, block quotes, rules,
 * and the guide's `<a id="…"></a>` anchor lines. Any other HTML stays literal text: the result
 * is a tree of plain data that the viewer turns into React elements, never into raw HTML.
 */
import { GUIDE_ANCHOR, GUIDE_IMAGE_NAME, isGuidePage, type GuidePage } from '../../domain/help/guide-pages.ts';

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'code'; v: string }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'link'; href: string; c: Inline[] }
  | { t: 'image'; src: string; alt: string };

export type Align = 'left' | 'center' | 'right' | null;

export type Block =
  | { t: 'heading'; level: number; c: Inline[] }
  | { t: 'para'; c: Inline[] }
  | { t: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { t: 'code'; lang: string; v: string }
  | { t: 'quote'; c: Block[] }
  | { t: 'table'; align: Align[]; head: Inline[][]; rows: Inline[][][] }
  | { t: 'hr' }
  | { t: 'anchor'; id: string };

const ANCHOR_LINE = /^\s*<a\s+(?:id|name)="([^"]*)"\s*>\s*<\/a>\s*$/i;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)\s*$/;
const HR = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])(\s+)(.*)$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const TABLE_RULE = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const COMMENT_START = /^\s*<!--/;

const indentOf = (line: string) => line.length - line.trimStart().length;
const isBlank = (line: string) => line.trim() === '';

function startsBlock(line: string, next: string | undefined): boolean {
  return HEADING.test(line) || FENCE.test(line) || ANCHOR_LINE.test(line) || HR.test(line) || QUOTE.test(line) || LIST_ITEM.test(line) || isTableStart(line, next);
}

function isTableStart(line: string, next: string | undefined): boolean {
  return line.includes('|') && next !== undefined && next.includes('-') && TABLE_RULE.test(next);
}

function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (ch === '|') {
      cells.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

/** Parses markdown text into blocks (total: any input gives a tree, never throws). */
export function parseMarkdown(text: string): Block[] {
  return parseLines(text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n'));
}

function parseLines(lines: string[]): Block[] {
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    if (COMMENT_START.test(line)) {
      // HTML comments (notes for the guide's authors) are not shown.
      while (i < lines.length && !lines[i]!.includes('-->')) i++;
      i++;
      continue;
    }
    const anchor = ANCHOR_LINE.exec(line);
    if (anchor) {
      if (GUIDE_ANCHOR.test(anchor[1]!)) out.push({ t: 'anchor', id: anchor[1]! });
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i]!.trim().startsWith(fence[1]!) && lines[i]!.trim().replace(/[`~]/g, '') === '')) body.push(lines[i++]!);
      i++;
      out.push({ t: 'code', lang: fence[2] ?? '', v: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      out.push({ t: 'heading', level: heading[1]!.length, c: parseInline(heading[2]!) });
      i++;
      continue;
    }
    if (HR.test(line)) {
      out.push({ t: 'hr' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) body.push(QUOTE.exec(lines[i++]!)![1]!);
      out.push({ t: 'quote', c: parseLines(body) });
      continue;
    }
    if (isTableStart(line, lines[i + 1])) {
      const head = splitRow(line);
      const align: Align[] = splitRow(lines[i + 1]!).map((c) => (c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : c.startsWith(':') ? 'left' : null));
      i += 2;
      const rows: Inline[][][] = [];
      while (i < lines.length && !isBlank(lines[i]!) && lines[i]!.includes('|')) {
        const cells = splitRow(lines[i++]!);
        rows.push(head.map((_, k) => parseInline(cells[k] ?? '')));
      }
      out.push({ t: 'table', align: head.map((_, k) => align[k] ?? null), head: head.map((h) => parseInline(h)), rows });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      i = parseList(lines, i, out);
      continue;
    }
    const para: string[] = [line.trim()];
    i++;
    while (i < lines.length && !isBlank(lines[i]!) && !startsBlock(lines[i]!, lines[i + 1])) para.push(lines[i++]!.trim());
    out.push({ t: 'para', c: parseInline(para.join(' ')) });
  }
  return out;
}

/** A list from line `start`: its items (each parsed as blocks, so lists nest); returns the next line. */
function parseList(lines: string[], start: number, out: Block[]): number {
  const first = LIST_ITEM.exec(lines[start]!)!;
  const base = first[1]!.length;
  const ordered = /\d/.test(first[2]!);
  const items: Block[][] = [];
  let i = start;
  while (i < lines.length) {
    const m = LIST_ITEM.exec(lines[i]!);
    if (!m || m[1]!.length !== base || /\d/.test(m[2]!) !== ordered) break;
    const contentIndent = base + m[2]!.length + m[3]!.length;
    const body: string[] = [m[4]!];
    i++;
    while (i < lines.length) {
      const l = lines[i]!;
      if (isBlank(l)) {
        // A blank line ends the item unless what follows is indented under it.
        const next = lines.slice(i + 1).find((x) => !isBlank(x));
        if (next !== undefined && indentOf(next) > base && !(LIST_ITEM.test(next) && indentOf(next) === base)) {
          body.push('');
          i++;
          continue;
        }
        break;
      }
      if (indentOf(l) > base) body.push(l.slice(Math.min(indentOf(l), contentIndent)));
      else if (!startsBlock(l, lines[i + 1]) && !isBlank(lines[i - 1]!)) body.push(l.trim()); // lazy continuation
      else break;
      i++;
    }
    items.push(parseLines(body));
    // A blank line between items of the same list does not end the list.
    if (i < lines.length && isBlank(lines[i]!)) {
      let j = i;
      while (j < lines.length && isBlank(lines[j]!)) j++;
      const n = j < lines.length ? LIST_ITEM.exec(lines[j]!) : null;
      if (n && n[1]!.length === base && /\d/.test(n[2]!) === ordered) i = j;
    }
  }
  out.push({ t: 'list', ordered, start: ordered ? Number.parseInt(first[2]!, 10) : 1, items });
  return i;
}

const PUNCT = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

/** Parses one line (or joined paragraph) of inline markdown. */
export function parseInline(src: string): Inline[] {
  const out: Inline[] = [];
  const text = (v: string) => {
    const last = out[out.length - 1];
    if (last?.t === 'text') last.v += v;
    else if (v) out.push({ t: 'text', v });
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '\\' && i + 1 < src.length && PUNCT.test(src[i + 1]!)) {
      text(src[i + 1]!);
      i += 2;
      continue;
    }
    if (ch === '`') {
      let n = 0;
      while (src[i + n] === '`') n++;
      const fence = '`'.repeat(n);
      const end = src.indexOf(fence, i + n);
      if (end > 0) {
        out.push({ t: 'code', v: src.slice(i + n, end).trim() });
        i = end + n;
        continue;
      }
      text(fence);
      i += n;
      continue;
    }
    if (ch === '!' && src[i + 1] === '[') {
      const link = readLink(src, i + 1);
      if (link) {
        out.push({ t: 'image', src: link.href, alt: link.label });
        i = link.end;
        continue;
      }
    }
    if (ch === '[') {
      const link = readLink(src, i);
      if (link) {
        out.push({ t: 'link', href: link.href, c: parseInline(link.label) });
        i = link.end;
        continue;
      }
    }
    if ((ch === '*' || ch === '_') && src[i + 1] === ch) {
      const end = src.indexOf(ch + ch, i + 2);
      if (end > i + 2) {
        out.push({ t: 'strong', c: parseInline(src.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    if (ch === '*' || ch === '_') {
      // `_` inside a word (snake_case, file names) is not emphasis.
      const wordBefore = ch === '_' && i > 0 && /[\p{L}\p{N}]/u.test(src[i - 1]!);
      let end = i + 1;
      while (end < src.length && !(src[end] === ch && src[end + 1] !== ch && src[end - 1] !== ch)) end++;
      const closes = end < src.length && end > i + 1 && src[i + 1] !== ' ' && src[end - 1] !== ' ' && !(ch === '_' && /[\p{L}\p{N}]/u.test(src[end + 1] ?? ''));
      if (!wordBefore && closes) {
        out.push({ t: 'em', c: parseInline(src.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    text(ch);
    i++;
  }
  return out;
}

/** `[label](href "title")` starting at `start` (the `[`); null when it is not a link. */
function readLink(src: string, start: number): { label: string; href: string; end: number } | null {
  let depth = 0;
  let j = start;
  for (; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === '[') depth++;
    else if (src[j] === ']' && --depth === 0) break;
  }
  if (j >= src.length || src[j + 1] !== '(') return null;
  const close = src.indexOf(')', j + 2);
  if (close < 0) return null;
  const target = src.slice(j + 2, close).trim();
  const href = target.replace(/\s+"[^"]*"$/, '').replace(/^<(.*)>$/, '$1');
  if (/\s/.test(href)) return null;
  return { label: src.slice(start + 1, j), href, end: close + 1 };
}

/** Where a link in the guide goes: an app screen, another guide page (section), a section here, or an outside site. */
export type LinkTarget =
  | { kind: 'app'; path: string }
  | { kind: 'guide'; page: GuidePage; anchor: string | null }
  | { kind: 'external'; url: string };

/**
 * Resolves a guide link against the current page. Unknown schemes (javascript:, data:, …),
 * unknown guide files and odd anchors give null: the viewer shows the label as plain text.
 */
export function resolveLink(href: string, currentPage: GuidePage): LinkTarget | null {
  if (/^https?:\/\//i.test(href)) return { kind: 'external', url: href };
  if (/^mailto:[^\s]+$/i.test(href)) return { kind: 'external', url: href };
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return null;
  const [path = '', hash] = href.split('#', 2) as [string, string | undefined];
  const anchor = hash === undefined || hash === '' ? null : hash;
  if (anchor !== null && !GUIDE_ANCHOR.test(anchor)) return null;
  if (path === '') return anchor === null ? null : { kind: 'guide', page: currentPage, anchor };
  if (path.startsWith('/')) {
    // /guide/<page> written as an app path is still a guide link.
    const g = /^\/guide\/([\w-]+)$/.exec(path);
    if (g) return isGuidePage(g[1]!) ? { kind: 'guide', page: g[1]!, anchor } : null;
    return /^\/[\w\-/.%]*$/.test(path) && !path.includes('..') ? { kind: 'app', path: hash ? `${path}#${hash}` : path } : null;
  }
  const file = path.replace(/^\.\//, '').replace(/\.md$/i, '');
  return isGuidePage(file) ? { kind: 'guide', page: file, anchor } : null;
}

/** The URL of a guide image (`images/<name>` only); null for anything else. */
export function imageUrl(src: string): string | null {
  const m = /^(?:\.\/)?images\/([^/]+)$/.exec(src);
  return m && GUIDE_IMAGE_NAME.test(m[1]!) ? `/api/guide/images/${m[1]}` : null;
}

/** The in-app address of a guide page (section). */
export function guidePath(page: GuidePage, anchor?: string | null): string {
  return anchor ? `/guide/${page}#${anchor}` : `/guide/${page}`;
}

/** The ids of the `<a id>` anchors of a page (the help-topic test and the viewer use it). */
export function anchorsOf(blocks: Block[]): string[] {
  return blocks.flatMap((b) => (b.t === 'anchor' ? [b.id] : b.t === 'list' ? b.items.flatMap(anchorsOf) : b.t === 'quote' ? anchorsOf(b.c) : []));
}

/** The plain text of inline content (titles, alt text). */
export function plainText(c: Inline[]): string {
  return c.map((n) => (n.t === 'text' || n.t === 'code' ? n.v : n.t === 'image' ? n.alt : plainText(n.c))).join('');
}
