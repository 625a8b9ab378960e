/**
 * A read-only view of a PDF file for signing and validation: the chain of cross-reference
 * sections (classic tables and xref streams, following /Prev), the revisions (each ends at a
 * %%EOF), and object lookup including object streams. Strict by design: an xref offset that
 * does not lead to the announced object is an error, never silently "repaired", because the
 * signed revision must be the one the reader sees.
 */
import { inflateSync } from 'node:zlib';
import { SigningError } from '../signer.ts';
import { PdfDict, PdfLexer, PdfRef, PdfStream, isName, pdfError, type PdfValue } from './pdf-objects.ts';

/** Inputs above this size are refused (a học bạ is well under 1 MB). */
export const MAX_PDF_BYTES = 64 * 1024 * 1024;
const MAX_DECODED_BYTES = 64 * 1024 * 1024;
const MAX_XREF_SECTIONS = 1000;

type XrefEntry = { type: 1; offset: number; gen: number } | { type: 2; stream: number; index: number } | { type: 0 };

export interface XrefSection {
  /** Offset of the "xref" keyword or of the xref stream object. */
  offset: number;
  kind: 'table' | 'stream';
  trailer: PdfDict;
}

export class PdfDocument {
  readonly bytes: Uint8Array;
  /** Newest first, as reached from startxref through /Prev. */
  readonly sections: XrefSection[] = [];
  /** Byte offsets just past each %%EOF marker (and its end-of-line), ascending: where revisions end. */
  readonly revisionEnds: number[];
  private readonly xref = new Map<number, XrefEntry>();
  private readonly cache = new Map<number, PdfValue>();
  private readonly objStmCache = new Map<number, { data: Uint8Array; offsets: Map<number, number> }>();
  private resolving = new Set<number>();

  constructor(pdf: Uint8Array) {
    if (!(pdf instanceof Uint8Array)) throw new SigningError('document_invalid', 'PDF: expected bytes');
    if (pdf.length > MAX_PDF_BYTES) pdfError(`the file is ${pdf.length} bytes, above the ${MAX_PDF_BYTES}-byte limit`);
    if (pdf.length < 32 || Buffer.from(pdf.subarray(0, 1024)).indexOf('%PDF-') < 0) pdfError('the file does not start with a %PDF- header');
    this.bytes = pdf;
    this.revisionEnds = findRevisionEnds(pdf);
    if (this.revisionEnds.length === 0) pdfError('no %%EOF marker: the file is truncated');
    this.readXrefChain(this.startXref());
    if (this.trailer.get('Encrypt') !== undefined) pdfError('encrypted PDFs are not supported for signing');
    if (!(this.trailer.get('Root') instanceof PdfRef)) pdfError('the trailer has no /Root reference');
  }

  get trailer(): PdfDict {
    return this.sections[0]!.trailer;
  }

  /** Highest object number in use + 1 (the trailer /Size, checked against the entries). */
  get size(): number {
    const declared = this.trailer.get('Size');
    const max = Math.max(0, ...this.xref.keys()) + 1;
    return typeof declared === 'number' && declared >= max ? declared : max;
  }

  get catalogRef(): PdfRef {
    return this.trailer.get('Root') as PdfRef;
  }

  catalog(): PdfDict {
    const c = this.get(this.catalogRef);
    if (!(c instanceof PdfDict)) pdfError(`the catalog (object ${this.catalogRef.num}) is not a dictionary`);
    return c;
  }

  private startXref(): number {
    const tail = Buffer.from(this.bytes.subarray(Math.max(0, this.bytes.length - 2048)));
    const k = tail.lastIndexOf('startxref');
    if (k < 0) pdfError('no startxref near the end of the file');
    const m = /^startxref\s+(\d{1,10})/.exec(tail.subarray(k, k + 40).toString('latin1'));
    if (!m) pdfError('unreadable startxref value');
    return Number(m[1]);
  }

  private readXrefChain(first: number): void {
    const seen = new Set<number>();
    let next: number | null = first;
    while (next !== null) {
      if (seen.has(next)) pdfError(`the /Prev chain of cross-reference sections loops at byte ${next}`);
      if (seen.size >= MAX_XREF_SECTIONS) pdfError('too many cross-reference sections');
      seen.add(next);
      const section = this.readSection(next);
      this.sections.push(section);
      const prev = section.trailer.get('Prev');
      next = typeof prev === 'number' ? prev : null;
    }
  }

  private setEntry(num: number, e: XrefEntry): void {
    if (!this.xref.has(num)) this.xref.set(num, e); // newest section wins
  }

  private readSection(offset: number): XrefSection {
    if (!Number.isInteger(offset) || offset < 0 || offset >= this.bytes.length) pdfError(`cross-reference offset ${offset} is outside the file`);
    const lx = new PdfLexer(this.bytes, offset, (r) => this.lengthOf(r));
    if (lx.peekToken() === 'xref') {
      lx.readToken();
      const entries: [number, XrefEntry][] = [];
      while (lx.peekToken() !== 'trailer') {
        const start = lx.readInt('the first object number of an xref subsection');
        const count = lx.readInt('the entry count of an xref subsection');
        if (count > 10_000_000) pdfError(`xref subsection at byte ${lx.pos} claims ${count} entries`);
        for (let i = 0; i < count; i++) {
          const off = lx.readInt('an xref offset');
          const gen = lx.readInt('an xref generation');
          const kind = lx.readToken();
          if (kind !== 'n' && kind !== 'f') pdfError(`xref entry for object ${start + i} has type "${kind.slice(0, 10)}" (expected n or f) at byte ${lx.pos}`);
          entries.push([start + i, kind === 'n' ? { type: 1, offset: off, gen } : { type: 0 }]);
        }
      }
      lx.readToken();
      const trailer = lx.readValue();
      if (!(trailer instanceof PdfDict)) pdfError(`the trailer after the xref table at byte ${offset} is not a dictionary`);
      for (const [n, e] of entries) this.setEntry(n, e);
      // Hybrid files: a table may point to an xref stream holding the compressed objects.
      const stm = trailer.get('XRefStm');
      if (typeof stm === 'number') this.readXrefStream(stm);
      return { offset, kind: 'table', trailer };
    }
    return { offset, kind: 'stream', trailer: this.readXrefStream(offset) };
  }

  private readXrefStream(offset: number): PdfDict {
    const lx = new PdfLexer(this.bytes, offset, (r) => this.lengthOf(r));
    const obj = lx.readIndirectObject();
    const s = obj.value;
    if (!(s instanceof PdfStream) || !isName(s.dict.get('Type'), 'XRef')) pdfError(`byte ${offset} holds neither an xref table nor an xref stream`);
    const w = s.dict.get('W');
    // The offset field (W[1]) must have bytes: with an all-zero /W every row is empty and a
    // claimed count of billions would cost nothing to write and everything to read.
    if (!Array.isArray(w) || w.length !== 3 || !w.every((x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 8) || w[1] === 0) pdfError(`xref stream at byte ${offset} has a bad /W`);
    const [w0, w1, w2] = w as number[];
    const size = s.dict.get('Size');
    if (!Number.isInteger(size) || (size as number) < 0) pdfError(`xref stream at byte ${offset} has no valid /Size`);
    const index = s.dict.get('Index') ?? [0, size];
    if (!Array.isArray(index) || index.length % 2 || !index.every((x) => Number.isInteger(x) && (x as number) >= 0)) pdfError(`xref stream at byte ${offset} has a bad /Index (expected pairs of non-negative integers)`);
    for (let i = 0; i < index.length; i += 2) {
      if ((index[i] as number) + (index[i + 1] as number) > (size as number)) pdfError(`xref stream at byte ${offset}: /Index subsection ${index[i]}+${index[i + 1]} goes beyond /Size ${size}`);
    }
    const data = this.decode(s, `the xref stream at byte ${offset}`);
    const rowLen = w0! + w1! + w2!;
    let p = 0;
    const field = (len: number, dflt: number) => {
      if (len === 0) return dflt;
      let v = 0;
      for (let i = 0; i < len; i++) v = v * 256 + data[p++]!;
      return v;
    };
    for (let i = 0; i < index.length; i += 2) {
      const first = index[i] as number;
      const count = index[i + 1] as number;
      if (p + count * rowLen > data.length) pdfError(`xref stream at byte ${offset} is shorter than its /Index says`);
      for (let k = 0; k < count; k++) {
        const t = field(w0!, 1);
        const a = field(w1!, 0);
        const b = field(w2!, 0);
        this.setEntry(first + k, t === 1 ? { type: 1, offset: a, gen: b } : t === 2 ? { type: 2, stream: a, index: b } : { type: 0 });
      }
    }
    return s.dict;
  }

  private lengthOf(ref: PdfRef): number | null {
    try {
      const v = this.get(ref);
      return typeof v === 'number' ? v : null;
    } catch {
      return null;
    }
  }

  /** The object with this number (or the value itself when not a reference). Missing objects are null (ISO 32000 §7.3.10). */
  get(ref: PdfRef | number): PdfValue {
    const num = typeof ref === 'number' ? ref : ref.num;
    if (this.cache.has(num)) return this.cache.get(num)!;
    const e = this.xref.get(num);
    if (!e || e.type === 0) return null;
    if (this.resolving.has(num)) pdfError(`object ${num} refers to itself while being read`);
    this.resolving.add(num);
    try {
      const value = e.type === 1 ? this.readAt(num, e.offset) : this.readCompressed(num, e.stream, e.index);
      this.cache.set(num, value);
      return value;
    } finally {
      this.resolving.delete(num);
    }
  }

  /** Follows a reference; other values are returned as they are. */
  resolve(v: PdfValue | undefined): PdfValue {
    return v instanceof PdfRef ? this.get(v) : (v ?? null);
  }

  /** Byte offset of an uncompressed object, or null when it is stored in an object stream (or missing). */
  offsetOf(num: number): number | null {
    const e = this.xref.get(num);
    return e?.type === 1 ? e.offset : null;
  }

  private readAt(num: number, offset: number): PdfValue {
    if (offset <= 0 || offset >= this.bytes.length) pdfError(`object ${num}: xref offset ${offset} is outside the file`);
    const lx = new PdfLexer(this.bytes, offset, (r) => this.lengthOf(r));
    return lx.readIndirectObject(num).value;
  }

  private readCompressed(num: number, streamNum: number, index: number): PdfValue {
    let os = this.objStmCache.get(streamNum);
    if (!os) {
      const s = this.get(streamNum);
      if (!(s instanceof PdfStream) || !isName(s.dict.get('Type'), 'ObjStm')) pdfError(`object ${num} is said to be in object stream ${streamNum}, which is not one`);
      const n = s.dict.get('N');
      const first = s.dict.get('First');
      if (typeof n !== 'number' || typeof first !== 'number') pdfError(`object stream ${streamNum} lacks /N or /First`);
      const data = this.decode(s, `object stream ${streamNum}`);
      const lx = new PdfLexer(data, 0, undefined, `object stream ${streamNum}`);
      const offsets = new Map<number, number>();
      for (let i = 0; i < n; i++) offsets.set(lx.readInt('an object number'), first + lx.readInt('an offset'));
      os = { data, offsets };
      this.objStmCache.set(streamNum, os);
    }
    const at = os.offsets.get(num);
    if (at === undefined) pdfError(`object ${num} is not in object stream ${streamNum}`);
    return new PdfLexer(os.data, at, undefined, `object stream ${streamNum}`).readValue();
  }

  /** Decoded stream data (FlateDecode with optional PNG predictors, or unfiltered). */
  decode(s: PdfStream, what: string): Uint8Array {
    const filter = this.resolve(s.dict.get('Filter'));
    const filters = Array.isArray(filter) ? filter : filter === null ? [] : [filter];
    const parmsV = this.resolve(s.dict.get('DecodeParms'));
    let data: Uint8Array = s.raw;
    filters.forEach((f, i) => {
      if (!isName(f, 'FlateDecode')) pdfError(`${what} uses the unsupported filter ${isName(f) ? `/${f.name}` : String(f)}`);
      try {
        data = new Uint8Array(inflateSync(data, { maxOutputLength: MAX_DECODED_BYTES }));
      } catch (e) {
        pdfError(`${what} cannot be decompressed: ${(e as Error).message}`);
      }
      const parms = Array.isArray(parmsV) ? this.resolve(parmsV[i]) : parmsV;
      if (parms instanceof PdfDict) data = unpredict(data, parms, what);
    });
    return data;
  }
}

/** Undoes a PNG predictor (xref streams use "Up", /Predictor 12). */
function unpredict(data: Uint8Array, parms: PdfDict, what: string): Uint8Array {
  const predictor = parms.get('Predictor');
  if (typeof predictor !== 'number' || predictor < 10) {
    if (predictor === undefined || predictor === 1) return data;
    pdfError(`${what} uses the unsupported predictor ${String(predictor)}`);
  }
  const columns = typeof parms.get('Columns') === 'number' ? (parms.get('Columns') as number) : 1;
  const colors = typeof parms.get('Colors') === 'number' ? (parms.get('Colors') as number) : 1;
  const bpc = typeof parms.get('BitsPerComponent') === 'number' ? (parms.get('BitsPerComponent') as number) : 8;
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((columns * colors * bpc) / 8);
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = new Uint8Array(rows * rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)]!;
    const src = r * (rowLen + 1) + 1;
    const dst = r * rowLen;
    for (let i = 0; i < rowLen; i++) {
      const raw = data[src + i]!;
      const left = i >= bpp ? out[dst + i - bpp]! : 0;
      const up = r > 0 ? out[dst - rowLen + i]! : 0;
      const ul = r > 0 && i >= bpp ? out[dst - rowLen + i - bpp]! : 0;
      let v: number;
      if (type === 0) v = raw;
      else if (type === 1) v = raw + left;
      else if (type === 2) v = raw + up;
      else if (type === 3) v = raw + ((left + up) >> 1);
      else if (type === 4) {
        const pa = Math.abs(up - ul);
        const pb = Math.abs(left - ul);
        const pc = Math.abs(left + up - 2 * ul);
        v = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : ul);
      } else pdfError(`${what}: unknown PNG row filter ${type}`);
      out[dst + i] = v & 0xff;
    }
  }
  return out;
}

function findRevisionEnds(pdf: Uint8Array): number[] {
  const buf = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const ends: number[] = [];
  let k = buf.indexOf('%%EOF');
  while (k >= 0) {
    let end = k + 5;
    if (buf[end] === 0x0d) end++;
    if (buf[end] === 0x0a) end++;
    ends.push(end);
    k = buf.indexOf('%%EOF', k + 5);
  }
  return ends;
}

/** Parses a PDF, turning any unexpected failure into SigningError('document_invalid'). */
export function openPdf(pdf: Uint8Array): PdfDocument {
  try {
    return new PdfDocument(pdf);
  } catch (e) {
    if (e instanceof SigningError) throw e;
    throw new SigningError('document_invalid', `PDF: cannot be read: ${(e as Error).message}`, { cause: e });
  }
}
