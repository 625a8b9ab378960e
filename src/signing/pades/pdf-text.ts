/**
 * PDF text strings and dates (ISO 32000-1 §7.9.2, §7.9.4). Text strings that are not plain
 * ASCII are written as UTF-16BE with a byte-order mark, so Vietnamese names and reasons
 * survive every reader (PDFDocEncoding has no Vietnamese letters).
 */
import { PdfString } from './pdf-objects.ts';

/** Encodes a text string: ASCII as is, anything else as UTF-16BE with BOM. */
export function textString(s: string): PdfString {
  if (/^[\x20-\x7e]*$/.test(s)) return new PdfString(new Uint8Array(Buffer.from(s, 'latin1')), false);
  const le = Buffer.from(s, 'utf16le');
  const be = Buffer.alloc(le.length + 2);
  be[0] = 0xfe;
  be[1] = 0xff;
  for (let i = 0; i < le.length; i += 2) {
    be[i + 2] = le[i + 1]!;
    be[i + 3] = le[i]!;
  }
  return new PdfString(new Uint8Array(be), true);
}

/** Decodes a text string: UTF-16BE (BOM), UTF-8 (BOM, PDF 2.0), else PDFDocEncoding (read as Latin-1). */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const b = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    b.swap16();
    return b.toString('utf16le');
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return Buffer.from(bytes.subarray(3)).toString('utf8');
  return Buffer.from(bytes).toString('latin1');
}

/** A PDF date in UTC: D:YYYYMMDDHHmmSS+00'00'. */
export function pdfDate(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new RangeError('invalid date');
  const digits = d.toISOString().slice(0, 19).replace(/[-T:]/g, '');
  return `D:${digits}+00'00'`;
}

/** Parses a PDF date (D:YYYYMMDDHHmmSSOHH'mm', later parts optional); null when unreadable. */
export function parsePdfDate(s: string): Date | null {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(?:(\d{2})'?(?:(\d{2})'?)?)?)?$/.exec(s.trim());
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', sign, oh = '00', om = '00'] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  const offset = sign === '+' || sign === '-' ? (sign === '+' ? 1 : -1) * (Number(oh) * 60 + Number(om)) * 60_000 : 0;
  const t = new Date(utc - offset);
  return Number.isNaN(t.getTime()) ? null : t;
}
