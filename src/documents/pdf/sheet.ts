/**
 * A small page-layout helper over a pdfkit document: a cursor on a content box, word
 * wrapping done here (so a cell or a paragraph can be split across pages line by line),
 * paragraphs, label–value lines and ruled tables whose header repeats on each page.
 * pdfkit's own flowing text is not used: it adds pages on its own and cannot split a table row.
 */
import type { FontFace } from './fonts.ts';

type Doc = PDFKit.PDFDocument;

/** The content area of every page, in pdfkit's top-left coordinates (points). */
export interface ContentBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** A piece of text and the face to set it in. */
export interface Run {
  text: string;
  face?: FontFace;
}

/** A wrapped line. */
interface Line {
  text: string;
  face: FontFace;
}

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'center';
}

export interface TableStyle {
  size: number;
  /** Written under the first cell when a row continues on a new page, e.g. "(tiếp theo)". */
  continued?: string;
  /** Header background, a light grey. */
  headerFill?: string;
}

const LINE_FACTOR = 1.22;
const GLYPH_BOX = 1.107; // Tinos ascent + descent, in em
const PAD_X = 4;
const PAD_Y = 3;
const RULE = 0.6;
const INK = '#000000';
const RULE_COLOUR = '#333333';

/** A cursor over a pdfkit document that adds pages when the content box is full. */
export class Sheet {
  y: number;
  /** Called after a page break (e.g. to repeat a table header); set by `table`. */
  private onNewPage: (() => void) | null = null;

  constructor(
    readonly doc: Doc,
    readonly box: ContentBox,
  ) {
    this.y = box.top;
  }

  get width(): number {
    return this.box.right - this.box.left;
  }

  /** Space left on this page. */
  get room(): number {
    return this.box.bottom - this.y;
  }

  lineHeight(size: number): number {
    return size * LINE_FACTOR;
  }

  setFont(face: FontFace, size: number): this {
    this.doc.font(face).fontSize(size);
    return this;
  }

  textWidth(text: string, face: FontFace, size: number): number {
    return this.setFont(face, size).doc.widthOfString(text);
  }

  /** Starts a new page and moves the cursor to its top. */
  newPage(): void {
    this.doc.addPage();
    this.y = this.box.top;
    this.onNewPage?.();
  }

  /** Makes sure `height` points fit below the cursor, starting a new page when not (and when it helps). */
  ensure(height: number): void {
    if (height > this.room && this.y > this.box.top) this.newPage();
  }

  moveDown(points: number): void {
    this.y = Math.min(this.y + points, this.box.bottom);
  }

  /**
   * Breaks text into lines no wider than `width`: at explicit line breaks, then between words,
   * and inside a word only when the word alone is too wide. Tabs and runs of spaces become one space.
   */
  wrap(text: string, width: number, face: FontFace, size: number): string[] {
    this.setFont(face, size);
    const fits = (s: string) => this.doc.widthOfString(s) <= width;
    const out: string[] = [];
    for (const para of text.replace(/\r\n?/g, '\n').split('\n')) {
      const words = para.split(/[ \t\u00a0]+/).filter((w) => w !== '');
      let line = '';
      for (const word of words) {
        const candidate = line === '' ? word : `${line} ${word}`;
        if (fits(candidate)) {
          line = candidate;
          continue;
        }
        if (line !== '') out.push(line);
        let rest = Array.from(word);
        while (!fits(rest.join(''))) {
          // Longest prefix that fits (at least one character), by bisection.
          let lo = 1;
          let hi = rest.length - 1;
          while (lo < hi) {
            const mid = Math.ceil((lo + hi) / 2);
            if (fits(rest.slice(0, mid).join(''))) lo = mid;
            else hi = mid - 1;
          }
          out.push(rest.slice(0, lo).join(''));
          rest = rest.slice(lo);
        }
        line = rest.join('');
      }
      out.push(line);
    }
    while (out.length > 1 && out[out.length - 1] === '') out.pop();
    return out;
  }

  /** Draws one line of text with its top at (x, y); never wraps, never adds a page. */
  put(text: string, x: number, y: number, face: FontFace, size: number, colour = INK): void {
    if (text === '') return;
    this.setFont(face, size).doc.fillColor(colour).text(text, x, y, { lineBreak: false });
  }

  /** Draws text centred in [x, x + width]. */
  putCentred(text: string, x: number, width: number, y: number, face: FontFace, size: number, colour = INK): void {
    this.put(text, x + (width - this.textWidth(text, face, size)) / 2, y, face, size, colour);
  }

  /** A wrapped paragraph across the full width (or indented), breaking pages between lines. */
  paragraph(text: string, opts: { face?: FontFace; size: number; indent?: number; align?: 'left' | 'center'; gapAfter?: number }): void {
    const face = opts.face ?? 'regular';
    const x = this.box.left + (opts.indent ?? 0);
    const width = this.width - (opts.indent ?? 0);
    const lh = this.lineHeight(opts.size);
    for (const line of this.wrap(text, width, face, opts.size)) {
      this.ensure(lh);
      if (opts.align === 'center') this.putCentred(line, x, width, this.y, face, opts.size);
      else this.put(line, x, this.y, face, opts.size);
      this.y += lh;
    }
    this.y += opts.gapAfter ?? 0;
  }

  /**
   * "Label: value" in the column [x, x + width] at the cursor: the label in the regular face,
   * the value after it in `valueFace`, wrapped with a hanging indent. Returns the height used
   * (the cursor is not moved, so two of these can share a row).
   */
  labelled(label: string, value: string, x: number, width: number, size: number, valueFace: FontFace = 'bold'): number {
    const head = `${label}: `;
    const headWidth = Math.min(this.textWidth(head, 'regular', size), width * 0.6);
    const lines = this.wrap(value, width - headWidth, valueFace, size);
    const lh = this.lineHeight(size);
    this.put(head, x, this.y, 'regular', size);
    lines.forEach((line, i) => this.put(line, x + headWidth, this.y + i * lh, valueFace, size));
    return lines.length * lh;
  }

  /** Height `labelled` would use, without drawing. */
  labelledHeight(label: string, value: string, width: number, size: number, valueFace: FontFace = 'bold'): number {
    const headWidth = Math.min(this.textWidth(`${label}: `, 'regular', size), width * 0.6);
    return this.wrap(value, width - headWidth, valueFace, size).length * this.lineHeight(size);
  }

  /**
   * A ruled table at the cursor. Each row is one list of runs per column; runs are wrapped
   * in the cell. A row that does not fit moves to the next page (the header repeats there);
   * a row taller than a whole page is split between lines.
   */
  table(columns: readonly Column[], rows: readonly (readonly Run[])[][], style: TableStyle): void {
    const size = style.size;
    const lh = this.lineHeight(size);
    const x0 = this.box.left;
    const cellLines = (runs: readonly Run[], col: Column): Line[] =>
      runs.flatMap((r) => this.wrap(r.text, col.width - 2 * PAD_X, r.face ?? 'regular', size).map((text) => ({ text, face: r.face ?? 'regular' })));

    const header = columns.map((c) => cellLines([{ text: c.header, face: 'bold' }], c));
    const headerLines = Math.max(...header.map((l) => l.length));
    const headerHeight = headerLines * lh + 2 * PAD_Y;
    const drawHeader = () => {
      this.drawRow(columns, header, 0, headerLines, size, style.headerFill ?? '#e6e6e6', true);
      this.y += headerHeight;
    };

    this.ensure(headerHeight + lh + 2 * PAD_Y);
    drawHeader();
    this.onNewPage = drawHeader;
    try {
      for (const row of rows) {
        const cells = columns.map((c, i) => cellLines(row[i] ?? [], c));
        const total = Math.max(1, ...cells.map((l) => l.length));
        const fullPage = this.box.bottom - this.box.top - headerHeight;
        let from = 0;
        while (from < total) {
          const left = total - from;
          const fitLines = Math.floor((this.room - 2 * PAD_Y) / lh);
          if (fitLines >= left) {
            this.drawRow(columns, cells, from, left, size, null, from === 0, style.continued);
            this.y += left * lh + 2 * PAD_Y;
            break;
          }
          // Move the whole row when it fits on a fresh page, or when little would fit here.
          const wholeFitsFresh = from === 0 && left * lh + 2 * PAD_Y <= fullPage;
          if (wholeFitsFresh || fitLines < 2) {
            this.newPage();
            continue;
          }
          this.drawRow(columns, cells, from, fitLines, size, null, false, style.continued);
          this.y += fitLines * lh + 2 * PAD_Y;
          from += fitLines;
          this.newPage();
        }
      }
    } finally {
      this.onNewPage = null;
    }
  }

  /** Draws lines [from, from + count) of each cell with the cell borders; `centreV` centres short cells vertically. */
  private drawRow(columns: readonly Column[], cells: Line[][], from: number, count: number, size: number, fill: string | null, centreV: boolean, continued?: string): void {
    const lh = this.lineHeight(size);
    const height = count * lh + 2 * PAD_Y;
    let x = this.box.left;
    columns.forEach((col, i) => {
      const doc = this.doc;
      if (fill) doc.rect(x, this.y, col.width, height).fill(fill);
      doc.lineWidth(RULE).strokeColor(RULE_COLOUR).rect(x, this.y, col.width, height).stroke();
      // A continued row shows its first cell again (so the reader knows whose row it is).
      const own = cells[i] ?? [];
      const lines = from > 0 && i === 0 ? [...own, ...(continued ? [{ text: continued, face: 'italic' as const }] : [])].slice(0, count) : own.slice(from, from + count);
      const shift = centreV && from === 0 ? ((count - lines.length) * lh) / 2 : 0;
      lines.forEach((line, k) => {
        const y = this.y + PAD_Y + shift + k * lh + (lh - GLYPH_BOX * size) / 2;
        if (col.align === 'center') this.putCentred(line.text, x + PAD_X, col.width - 2 * PAD_X, y, line.face, size);
        else this.put(line.text, x + PAD_X, y, line.face, size);
      });
      x += col.width;
    });
  }
}
