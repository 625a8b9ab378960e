/**
 * PDF object syntax (ISO 32000-1 §7.2–7.3): a defensive parser over the raw bytes and a
 * serialiser for the objects an incremental update writes. Only what signing needs: no content
 * streams, fonts or encryption. Every failure is a SigningError('document_invalid') naming the
 * byte offset, because a signed PDF that cannot be parsed exactly must not be trusted.
 */
import { SigningError } from '../signer.ts';

export class PdfName {
  /** The decoded name (#xx escapes resolved), one char per byte. */
  constructor(readonly name: string) {}
}
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  toString() {
    return `${this.num} ${this.gen} R`;
  }
}
export class PdfString {
  /** `start`/`end` are the offsets of the string token (delimiters included) in the parsed buffer. */
  constructor(
    readonly bytes: Uint8Array,
    readonly hex: boolean,
    readonly start = -1,
    readonly end = -1,
  ) {}
}
export class PdfDict {
  constructor(readonly map: Map<string, PdfValue> = new Map()) {}
  get(key: string): PdfValue | undefined {
    return this.map.get(key);
  }
  set(key: string, value: PdfValue): this {
    this.map.set(key, value);
    return this;
  }
  /** A shallow copy, for writing a modified version of an object. */
  clone(): PdfDict {
    return new PdfDict(new Map(this.map));
  }
}
export class PdfStream {
  /** `dataStart`/`dataEnd` locate the raw (still encoded) data in `source`. */
  constructor(
    readonly dict: PdfDict,
    readonly source: Uint8Array,
    readonly dataStart: number,
    readonly dataEnd: number,
  ) {}
  get raw(): Uint8Array {
    return new Uint8Array(this.source.buffer, this.source.byteOffset + this.dataStart, this.dataEnd - this.dataStart);
  }
}
export type PdfValue = null | boolean | number | PdfName | PdfString | PdfRef | PdfValue[] | PdfDict | PdfStream;

const MAX_DEPTH = 64;
const MAX_ITEMS = 200_000;

export function pdfError(what: string): never {
  throw new SigningError('document_invalid', `PDF: ${what}`);
}

const isWhite = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
const isDelim = (c: number | undefined) => c === 0x28 || c === 0x29 || c === 0x3c || c === 0x3e || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x2f || c === 0x25;
const isRegular = (c: number | undefined) => c !== undefined && !isWhite(c) && !isDelim(c);

/** Resolves `/Length 12 0 R` while a stream is being parsed. */
export type LengthResolver = (ref: PdfRef) => number | null;

/** A cursor over PDF bytes. `base` is added to offsets in messages (for object streams). */
export class PdfLexer {
  pos: number;
  private items = 0;
  constructor(
    readonly bytes: Uint8Array,
    pos = 0,
    private readonly resolveLength: LengthResolver = () => null,
    private readonly where = 'file',
  ) {
    this.pos = pos;
  }

  private fail(what: string, at = this.pos): never {
    pdfError(`${what} at byte ${at}${this.where === 'file' ? '' : ` of ${this.where}`}`);
  }

  skipWhite(): void {
    const b = this.bytes;
    while (this.pos < b.length) {
      const c = b[this.pos];
      if (isWhite(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  /** Reads a bare keyword or number token without consuming anything else. */
  peekToken(): string {
    this.skipWhite();
    let p = this.pos;
    while (p < this.bytes.length && isRegular(this.bytes[p])) p++;
    return Buffer.from(this.bytes.subarray(this.pos, p)).toString('latin1');
  }

  readToken(): string {
    const t = this.peekToken();
    this.pos += t.length;
    return t;
  }

  expectKeyword(word: string): void {
    const at = this.pos;
    const t = this.readToken();
    if (t !== word) this.fail(`expected "${word}" but found "${t.slice(0, 20)}"`, at);
  }

  readInt(what: string): number {
    const at = this.pos;
    const t = this.readToken();
    if (!/^\d{1,10}$/.test(t)) this.fail(`expected ${what} (an integer) but found "${t.slice(0, 20)}"`, at);
    return Number(t);
  }

  /** Parses one value; `allowStream` is true for top-level indirect objects. */
  readValue(depth = 0, allowStream = false): PdfValue {
    if (depth > MAX_DEPTH) this.fail('objects nested too deeply');
    if (++this.items > MAX_ITEMS) this.fail('too many objects in one value');
    this.skipWhite();
    const b = this.bytes;
    const c = b[this.pos];
    if (c === undefined) this.fail('unexpected end of data');
    if (c === 0x3c && b[this.pos + 1] === 0x3c) {
      const dict = this.readDict(depth);
      if (allowStream) {
        const save = this.pos;
        if (this.peekToken() === 'stream') return this.readStream(dict);
        this.pos = save;
      }
      return dict;
    }
    if (c === 0x3c) return this.readHexString();
    if (c === 0x28) return this.readLiteralString();
    if (c === 0x2f) return this.readName();
    if (c === 0x5b) {
      this.pos++;
      const arr: PdfValue[] = [];
      for (;;) {
        this.skipWhite();
        if (this.pos >= b.length) this.fail('unterminated array');
        if (b[this.pos] === 0x5d) {
          this.pos++;
          return arr;
        }
        arr.push(this.readValue(depth + 1));
      }
    }
    const at = this.pos;
    const t = this.readToken();
    if (t === 'true') return true;
    if (t === 'false') return false;
    if (t === 'null') return null;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) {
      if (/^\d+$/.test(t)) {
        // "12 0 R" is a reference: look ahead for the generation and the R.
        const save = this.pos;
        const gen = this.peekToken();
        if (/^\d+$/.test(gen)) {
          this.pos += gen.length;
          if (this.peekToken() === 'R') {
            this.pos += 1;
            return new PdfRef(Number(t), Number(gen));
          }
        }
        this.pos = save;
      }
      const n = Number(t);
      if (!Number.isFinite(n)) this.fail(`bad number "${t}"`, at);
      return n;
    }
    this.fail(`unexpected token "${t.slice(0, 20) || String.fromCharCode(c)}"`, at);
  }

  private readDict(depth: number): PdfDict {
    this.pos += 2;
    const dict = new PdfDict();
    for (;;) {
      this.skipWhite();
      if (this.pos >= this.bytes.length) this.fail('unterminated dictionary');
      if (this.bytes[this.pos] === 0x3e && this.bytes[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return dict;
      }
      const at = this.pos;
      const key = this.readValue(depth + 1);
      if (!(key instanceof PdfName)) this.fail('dictionary key is not a name', at);
      dict.set(key.name, this.readValue(depth + 1));
    }
  }

  private readStream(dict: PdfDict): PdfStream {
    this.expectKeyword('stream');
    const b = this.bytes;
    if (b[this.pos] === 0x0d && b[this.pos + 1] === 0x0a) this.pos += 2;
    else if (b[this.pos] === 0x0a || b[this.pos] === 0x0d) this.pos += 1;
    const start = this.pos;
    let len = dict.get('Length');
    if (len instanceof PdfRef) len = this.resolveLength(len);
    let end = -1;
    if (typeof len === 'number' && Number.isInteger(len) && len >= 0 && start + len <= b.length) {
      const probe = new PdfLexer(b, start + len, undefined, this.where);
      if (probe.peekToken() === 'endstream') end = start + len;
    }
    if (end < 0) {
      // A wrong /Length: fall back to the endstream keyword, as readers do.
      const k = Buffer.from(b.buffer, b.byteOffset, b.byteLength).indexOf('endstream', start, 'latin1');
      if (k < 0) this.fail('stream without endstream', start);
      end = k;
      if (b[end - 1] === 0x0a) end--;
      if (b[end - 1] === 0x0d) end--;
    }
    this.pos = end;
    this.expectKeyword('endstream');
    return new PdfStream(dict, b, start, end);
  }

  private readHexString(): PdfString {
    const start = this.pos;
    const b = this.bytes;
    this.pos++;
    const digits: number[] = [];
    for (;;) {
      const c = b[this.pos++];
      if (c === undefined) this.fail('unterminated hex string', start);
      if (c === 0x3e) break;
      if (isWhite(c)) continue;
      const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 55 : c >= 0x61 && c <= 0x66 ? c - 87 : -1;
      if (v < 0) this.fail(`invalid character in hex string`, this.pos - 1);
      digits.push(v);
    }
    if (digits.length % 2) digits.push(0);
    const out = new Uint8Array(digits.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = digits[2 * i]! * 16 + digits[2 * i + 1]!;
    return new PdfString(out, true, start, this.pos);
  }

  private readLiteralString(): PdfString {
    const start = this.pos;
    const b = this.bytes;
    this.pos++;
    const out: number[] = [];
    let depth = 1;
    for (;;) {
      const c = b[this.pos++];
      if (c === undefined) this.fail('unterminated string', start);
      if (c === 0x5c) {
        const e = b[this.pos++];
        if (e === undefined) this.fail('unterminated string', start);
        const map: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (map[e] !== undefined) out.push(map[e]!);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x37; k++) v = v * 8 + b[this.pos++]! - 0x30;
          out.push(v & 0xff);
        } else if (e === 0x0d) {
          if (b[this.pos] === 0x0a) this.pos++;
        } else if (e !== 0x0a) out.push(e);
        continue;
      }
      if (c === 0x28) depth++;
      if (c === 0x29 && --depth === 0) break;
      out.push(c);
    }
    return new PdfString(Uint8Array.from(out), false, start, this.pos);
  }

  private readName(): PdfName {
    const b = this.bytes;
    this.pos++;
    let s = '';
    while (this.pos < b.length && isRegular(b[this.pos])) {
      const c = b[this.pos++]!;
      if (c === 0x23 && /^[0-9a-fA-F]{2}$/.test(String.fromCharCode(b[this.pos] ?? 0, b[this.pos + 1] ?? 0))) {
        s += String.fromCharCode(parseInt(String.fromCharCode(b[this.pos]!, b[this.pos + 1]!), 16));
        this.pos += 2;
      } else s += String.fromCharCode(c);
    }
    return new PdfName(s);
  }

  /** Parses "N G obj <value> endobj" at the cursor and checks the object number. */
  readIndirectObject(expectNum?: number): { num: number; gen: number; value: PdfValue; start: number; end: number } {
    this.skipWhite();
    const start = this.pos;
    const num = this.readInt('an object number');
    const gen = this.readInt('a generation number');
    this.expectKeyword('obj');
    if (expectNum !== undefined && num !== expectNum) this.fail(`expected object ${expectNum} but found object ${num}`, start);
    const value = this.readValue(0, true);
    const save = this.pos;
    if (this.peekToken() === 'endobj') this.pos += 6;
    else this.pos = save; // a missing endobj is tolerated, as by every reader
    return { num, gen, value, start, end: this.pos };
  }
}

// ---- serialiser ----

const NAME_SAFE = /^[!-~]$/;

function nameBytes(name: string): string {
  let s = '/';
  for (const ch of name) {
    const code = ch.charCodeAt(0);
    if (code > 0xff) pdfError(`name /${name} holds a character outside one byte`);
    s += NAME_SAFE.test(ch) && !isDelim(code) && ch !== '#' ? ch : `#${code.toString(16).padStart(2, '0')}`;
  }
  return s;
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) pdfError(`cannot write the number ${n}`);
  if (Number.isInteger(n)) return String(n);
  return n.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

function stringText(s: PdfString): string {
  const printable = !s.hex && s.bytes.every((c) => c >= 0x20 && c <= 0x7e);
  if (!printable) return `<${Buffer.from(s.bytes).toString('hex').toUpperCase()}>`;
  return `(${Buffer.from(s.bytes).toString('latin1').replace(/[\\()]/g, '\\$&')})`;
}

/** Serialises a value (streams included) as latin1 text; stream data is written as is. */
export function serialize(v: PdfValue): Buffer {
  if (v instanceof PdfStream) {
    const dict = v.dict.clone().set('Length', v.dataEnd - v.dataStart);
    return Buffer.concat([serialize(dict), Buffer.from('\nstream\n'), Buffer.from(v.raw), Buffer.from('\nendstream')]);
  }
  return Buffer.from(text(v, 0), 'latin1');
}

function text(v: PdfValue, depth: number): string {
  if (depth > MAX_DEPTH) pdfError('object nested too deeply to write');
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return numberText(v);
  if (v instanceof PdfName) return nameBytes(v.name);
  if (v instanceof PdfString) return stringText(v);
  if (v instanceof PdfRef) return v.toString();
  if (Array.isArray(v)) return `[${v.map((x) => text(x, depth + 1)).join(' ')}]`;
  if (v instanceof PdfDict) return `<<${[...v.map].map(([k, x]) => `${nameBytes(k)} ${text(x, depth + 1)}`).join(' ')}>>`;
  pdfError('a stream cannot be nested in another object');
}

/** A fresh stream value over `data` with the given dictionary entries. */
export function makeStream(dict: PdfDict, data: Uint8Array): PdfStream {
  return new PdfStream(dict, data, 0, data.length);
}

export const name = (n: string) => new PdfName(n);
export const isName = (v: PdfValue | undefined, n?: string): v is PdfName => v instanceof PdfName && (n === undefined || v.name === n);
