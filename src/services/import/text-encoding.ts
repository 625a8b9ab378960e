/**
 * From the bytes of an uploaded text file to Unicode NFC text, whatever encoding the
 * school used (UTF-8 with or without BOM, UTF-16, Windows-1258), and detection of text
 * typed in the legacy TCVN3 (.VnTime) and VNI fonts, which arrives as Latin-1-looking
 * characters inside otherwise valid Unicode (see legacy-fonts.ts).
 */
import { convertLegacy, decodeTcvn3, decodeVni, type LegacyFont } from './legacy-fonts.ts';
import { isVietnameseSyllable } from './vietnamese-syllable.ts';

export { convertLegacy, type LegacyFont } from './legacy-fonts.ts';

/** How the bytes of a text file were read. */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1258' | 'utf-16le' | 'utf-16be';

/** Decoded text (NFC, without BOM) and the encoding it was read with. */
export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Decodes a text file: a BOM decides (UTF-8, UTF-16LE/BE); otherwise bytes that are valid
 * UTF-8 are UTF-8, UTF-16 without BOM is recognised by its zero bytes, and anything else is
 * read as Windows-1258, the Vietnamese ANSI code page that Excel on Vietnamese Windows uses
 * for "CSV". The result is always NFC: Windows-1258 spells most toned letters as a base
 * letter plus a combining tone mark.
 */
export function decodeText(bytes: Buffer): DecodedText {
  if (startsWith(bytes, UTF8_BOM)) {
    return { text: decode('utf-8', bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (startsWith(bytes, [0xff, 0xfe])) return { text: decode('utf-16le', bytes.subarray(2)), encoding: 'utf-16le' };
  if (startsWith(bytes, [0xfe, 0xff])) return { text: decode('utf-16be', bytes.subarray(2)), encoding: 'utf-16be' };
  const utf16 = sniffUtf16WithoutBom(bytes);
  if (utf16) return { text: decode(utf16, bytes), encoding: utf16 };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes).normalize('NFC'), encoding: 'utf-8' };
  } catch {
    return { text: decode('windows-1258', bytes), encoding: 'windows-1258' };
  }
}

/**
 * The bytes as Windows shows them in a Western font (code page 1252): the form in which
 * TCVN3 and VNI text must be given to `detectLegacyFont` and `convertLegacy`.
 */
export function decodeAsLatin(bytes: Buffer): string {
  return decode('windows-1252', bytes);
}

function decode(encoding: string, bytes: Buffer): string {
  // Not fatal: a stray bad byte becomes U+FFFD rather than losing the whole file.
  return new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes).normalize('NFC');
}

function startsWith(bytes: Buffer, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

// Text files are mostly ASCII, so UTF-16 without BOM has a zero in every other byte.
function sniffUtf16WithoutBom(bytes: Buffer): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros >= pairs * 0.6 && evenZeros === 0) return 'utf-16le';
  if (evenZeros >= pairs * 0.6 && oddZeros === 0) return 'utf-16be';
  return null;
}

// ---------------------------------------------------------------------------------------
// Legacy font detection

/** What a piece of text is written in: Unicode Vietnamese, a legacy font, or nothing telling. */
export type TextScript = 'unicode' | LegacyFont;

/**
 * The verdict over many cells. `words` counts the words with non-ASCII letters by which
 * readings make them a Vietnamese syllable: `unicode`/`tcvn3`/`vni` only that reading,
 * `ambiguous` several, `unexplained` none (e.g. "Café"). `support` counts, per reading, the
 * words it explains (ambiguous ones included). `confidence` (0–1) is the share of words
 * that support `font`, ambiguous ones counting half.
 */
export interface LegacyFontDetection {
  font: TextScript | null;
  confidence: number;
  words: { total: number; unicode: number; tcvn3: number; vni: number; ambiguous: number; unexplained: number };
  support: { unicode: number; tcvn3: number; vni: number };
}

/** Least confidence for converting text that was detected as a legacy font. */
export const LEGACY_MIN_CONFIDENCE = 0.5;

/**
 * Detects whether text was typed in a legacy font. Conservative: it answers 'tcvn3' or
 * 'vni' only when at least two different words read as Vietnamese in that font, at least
 * one of them only in that font, and those words make at least half of the non-ASCII words
 * and outweigh the ones that read as Unicode Vietnamese. Words are judged by whether each
 * reading is a well-formed Vietnamese syllable, so plain ASCII and foreign words ("Café",
 * "naïve", "François") give null, and real Unicode Vietnamese gives 'unicode'.
 *
 * With one string, returns the verdict. With an array of cells (a column or a whole file),
 * returns the verdict with its confidence and word counts, so that a column can be judged
 * as a whole even when some cells (a header, a single word) say nothing on their own.
 */
export function detectLegacyFont(text: string): TextScript | null;
export function detectLegacyFont(cells: readonly string[]): LegacyFontDetection;
export function detectLegacyFont(input: string | readonly string[]): TextScript | null | LegacyFontDetection {
  if (typeof input === 'string') return detectInCells([input]).font;
  return detectInCells(input);
}

// Bits of a word's verdict.
const READS_UNICODE = 1;
const READS_TCVN3 = 2;
const READS_VNI = 4;
const ASCII_ONLY = -1;

// Letters that exist only in Unicode Vietnamese, never among the Latin-1 characters a
// legacy font shows: a word holding one is Unicode whatever else it looks like.
const UNICODE_ONLY_LETTER = /[ĂăĐđĨĩŨũƠơƯư\u1EA0-\u1EF9]/u;
// Words are separated by spaces, ASCII punctuation and digits, and general punctuation
// (’ “ – …); the Latin-1 symbols stay inside words because TCVN3 uses them as letters
// ("Lª", "Hµ", "®øc").
const WORD_SEPARATORS = /[\s\u0000-\u0040\u005B-\u0060\u007B-\u007F\u00A0\u2000-\u206F]+/u;
// Latin-1 range: a word with any other non-ASCII character cannot be legacy-font text.
const LATIN_ONLY = /^[\u0000-\u00FF]+$/u;

// Verdicts repeat (family and middle names), so they are cached; the cap bounds memory.
const verdictCache = new Map<string, number>();
const VERDICT_CACHE_MAX = 50_000;

function wordVerdict(word: string): number {
  if (!/[^\u0000-\u007F]/u.test(word)) return ASCII_ONLY;
  const cached = verdictCache.get(word);
  if (cached !== undefined) return cached;
  let verdict = 0;
  if (UNICODE_ONLY_LETTER.test(word)) verdict = READS_UNICODE;
  else {
    if (isVietnameseSyllable(word)) verdict |= READS_UNICODE;
    if (LATIN_ONLY.test(word)) {
      // A reading counts only when every non-ASCII character means something in the font.
      // Some codes are the letter itself (VNI í, ì; TCVN3 ý), so "Bình" reads both ways.
      const t = decodeTcvn3(word);
      if (t.complete && isVietnameseSyllable(t.text)) verdict |= READS_TCVN3;
      const v = decodeVni(word);
      if (v.complete && isVietnameseSyllable(v.text)) verdict |= READS_VNI;
    }
  }
  if (verdictCache.size >= VERDICT_CACHE_MAX) verdictCache.clear();
  verdictCache.set(word, verdict);
  return verdict;
}

// The words of a cell that detection looks at.
function legacyWords(text: string): string[] {
  return text.normalize('NFC').split(WORD_SEPARATORS).filter((w) => w.length > 0);
}

function detectInCells(cells: readonly string[]): LegacyFontDetection {
  const words = { total: 0, unicode: 0, tcvn3: 0, vni: 0, ambiguous: 0, unexplained: 0 };
  const support = { unicode: 0, tcvn3: 0, vni: 0 };
  // A legacy verdict needs two different words: one French name repeated down a column
  // ("Loïc" reads as VNI "Lọc") must not decide it.
  const distinct = { tcvn3: new Set<string>(), vni: new Set<string>() };
  for (const cell of cells) {
    for (const word of legacyWords(cell)) {
      const v = wordVerdict(word);
      if (v === ASCII_ONLY) continue;
      words.total++;
      if (v & READS_UNICODE) support.unicode++;
      if (v & READS_TCVN3) {
        support.tcvn3++;
        if (distinct.tcvn3.size < 2) distinct.tcvn3.add(word);
      }
      if (v & READS_VNI) {
        support.vni++;
        if (distinct.vni.size < 2) distinct.vni.add(word);
      }
      if (v === 0) words.unexplained++;
      else if (v === READS_UNICODE) words.unicode++;
      else if (v === READS_TCVN3) words.tcvn3++;
      else if (v === READS_VNI) words.vni++;
      else words.ambiguous++;
    }
  }
  const confidence = (script: TextScript) =>
    words.total === 0 ? 0 : (words[script] + 0.5 * (support[script] - words[script])) / words.total;
  const conf = { unicode: confidence('unicode'), tcvn3: confidence('tcvn3'), vni: confidence('vni') };
  const legacyWins = (font: LegacyFont, other: LegacyFont) =>
    words[font] >= 1 &&
    distinct[font].size >= 2 &&
    words[font] > words[other] &&
    conf[font] >= LEGACY_MIN_CONFIDENCE &&
    conf[font] > conf.unicode;
  const candidates = (['tcvn3', 'vni'] as const).filter((f) => legacyWins(f, f === 'tcvn3' ? 'vni' : 'tcvn3'));
  const best = candidates.sort((a, b) => conf[b] - conf[a])[0];
  if (best) return { font: best, confidence: conf[best], words, support };
  if (words.unicode >= 1) return { font: 'unicode', confidence: conf.unicode, words, support };
  return { font: null, confidence: 0, words, support };
}

/**
 * Whether one cell of a column judged to be in `font` should be converted: it must have a
 * word that reads as Vietnamese in that font, no fewer such words than words nothing
 * explains, and no word that reads only as Unicode; so a row pasted from a Unicode source
 * or a cell of foreign names is left alone. `strict` also requires a word that reads only
 * in the font: for a header row written in Unicode above legacy data, where "Ghi chú" or
 * "Tên cha" read as Vietnamese both ways.
 */
export function cellIsLegacy(cell: string, font: LegacyFont, strict = false): boolean {
  const bit = font === 'tcvn3' ? READS_TCVN3 : READS_VNI;
  let supported = 0;
  let onlyInFont = 0;
  let unexplained = 0;
  for (const word of legacyWords(cell)) {
    const v = wordVerdict(word);
    if (v === ASCII_ONLY) continue;
    if (v === READS_UNICODE) return false;
    if (v & bit) supported++;
    if (v === bit) onlyInFont++;
    if (v === 0) unexplained++;
  }
  return supported > 0 && supported >= unexplained && (!strict || onlyInFont > 0);
}

/** Converts a cell from `font` when `cellIsLegacy` says so; returns it unchanged otherwise. */
export function convertLegacyCell(cell: string, font: LegacyFont, strict = false): string {
  return cellIsLegacy(cell, font, strict) ? convertLegacy(cell, font) : cell;
}
