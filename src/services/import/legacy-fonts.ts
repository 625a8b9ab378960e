/**
 * The two legacy Vietnamese font encodings still found in school spreadsheets, and their
 * conversion to Unicode. Text typed in a ".VnTime" (TCVN3/ABC) or "VNI-Times" font was
 * stored as 8-bit codes that Windows shows through code page 1252, so inside an XLSX or a
 * UTF-8 CSV it arrives as Latin-1-looking characters: TCVN3 "NguyÔn ThÞ Lan", VNI
 * "Nguyeãn Thò Lan" for "Nguyễn Thị Lan". Every table here maps those Latin-1 characters
 * (U+00A0–U+00FF, i.e. the byte values of the font encoding) to Unicode.
 *
 * Why our own tables and not `vietnamese-conversion` (checked at 2.0.0, see
 * legacy-fonts.test.ts): its VNI decoder replaces characters one table row at a time, so
 * the bare letter ư ("ö") is replaced before ư-with-tone ("öù") is looked at and "Ñöùc"
 * becomes "Đưùc"; its VNI rows for ỷ/ỹ/Ỷ/Ỹ are wrong ("ë", "ì", "Ë", "Ì" instead of
 * "yû", "yõ", "YÛ", "YÕ"); its TCVN3 rows for accented capitals ("A¸" for Á) are an
 * invention of the package, not part of TCVN 5712 VN3. Its TCVN3 lowercase rows are right
 * and the tests cross-check our table against them and against glibc iconv.
 */

/** A legacy 8-bit Vietnamese font encoding. */
export type LegacyFont = 'tcvn3' | 'vni';

// Source: TCVN 5712:1993, character set VN3 ("TCVN3", the ABC / .VnTime fonts), codes
// 0xA1–0xFE. VN3 has the 67 lowercase letters and only 7 capitals (Ă Â Ê Ô Ơ Ư Đ): capitals
// with a tone mark were set in the all-caps ".VnTimeH" fonts using the lowercase codes, so
// they come back lowercase here and name normalisation restores the case. glibc's
// TCVN5712-1 is the VN1 superset: it agrees on every code below and additionally puts
// accented capitals in 0x01–0x17, 0x80–0x9F and the slots VN3 leaves empty (0xAF, 0xB0–0xB4,
// 0xBA, 0xBF, 0xC0–0xC5, 0xCD, 0xD9–0xDB, 0xE0, 0xF0, 0xFF), which .VnTime text never has.
const TCVN3_CODES: ReadonlyArray<readonly [number, string]> = [
  [0xa1, 'Ă'], [0xa2, 'Â'], [0xa3, 'Ê'], [0xa4, 'Ô'], [0xa5, 'Ơ'], [0xa6, 'Ư'], [0xa7, 'Đ'],
  [0xa8, 'ă'], [0xa9, 'â'], [0xaa, 'ê'], [0xab, 'ô'], [0xac, 'ơ'], [0xad, 'ư'], [0xae, 'đ'],
  [0xb5, 'à'], [0xb6, 'ả'], [0xb7, 'ã'], [0xb8, 'á'], [0xb9, 'ạ'],
  [0xbb, 'ằ'], [0xbc, 'ẳ'], [0xbd, 'ẵ'], [0xbe, 'ắ'], [0xc6, 'ặ'],
  [0xc7, 'ầ'], [0xc8, 'ẩ'], [0xc9, 'ẫ'], [0xca, 'ấ'], [0xcb, 'ậ'],
  [0xcc, 'è'], [0xce, 'ẻ'], [0xcf, 'ẽ'], [0xd0, 'é'], [0xd1, 'ẹ'],
  [0xd2, 'ề'], [0xd3, 'ể'], [0xd4, 'ễ'], [0xd5, 'ế'], [0xd6, 'ệ'],
  [0xd7, 'ì'], [0xd8, 'ỉ'], [0xdc, 'ĩ'], [0xdd, 'í'], [0xde, 'ị'],
  [0xdf, 'ò'], [0xe1, 'ỏ'], [0xe2, 'õ'], [0xe3, 'ó'], [0xe4, 'ọ'],
  [0xe5, 'ồ'], [0xe6, 'ổ'], [0xe7, 'ỗ'], [0xe8, 'ố'], [0xe9, 'ộ'],
  [0xea, 'ờ'], [0xeb, 'ở'], [0xec, 'ỡ'], [0xed, 'ớ'], [0xee, 'ợ'],
  [0xef, 'ù'], [0xf1, 'ủ'], [0xf2, 'ũ'], [0xf3, 'ú'], [0xf4, 'ụ'],
  [0xf5, 'ừ'], [0xf6, 'ử'], [0xf7, 'ữ'], [0xf8, 'ứ'], [0xf9, 'ự'],
  [0xfa, 'ỳ'], [0xfb, 'ỷ'], [0xfc, 'ỹ'], [0xfd, 'ý'], [0xfe, 'ỵ'],
];

/** TCVN3 (VN3) code, as the Latin-1 character Windows shows for it → Unicode letter. */
export const TCVN3_TO_UNICODE: ReadonlyMap<string, string> = new Map(
  TCVN3_CODES.map(([code, letter]) => [String.fromCharCode(code), letter]),
);

// Source: the VNI-Windows encoding of VNI Software's "VNI-Times" family (VNI for Windows
// 4.x). A letter is its ASCII base followed by one mark code; i-family letters, ơ, ư, đ
// and ỵ have single codes. Marks come in a lowercase and an uppercase code (Latin-1 case
// pairs, e.g. ù/Ù); files edited with Excel's PROPER() mix them ("Aùnh"), so both are
// accepted after either base and the base decides the case.
const VNI_TONES: Readonly<Record<string, string>> = {
  // plain tone marks: huyền, sắc, hỏi, ngã, nặng
  'ø': '\u0300', 'ù': '\u0301', 'û': '\u0309', 'õ': '\u0303', 'ï': '\u0323',
};
const VNI_CIRCUMFLEX: Readonly<Record<string, string>> = {
  // â ê ô without tone, then with huyền, sắc, hỏi, ngã, nặng
  'â': '', 'à': '\u0300', 'á': '\u0301', 'å': '\u0309', 'ã': '\u0303', 'ä': '\u0323',
};
const VNI_BREVE: Readonly<Record<string, string>> = {
  // ă without tone, then with huyền, sắc, hỏi, ngã, nặng
  'ê': '', 'è': '\u0300', 'é': '\u0301', 'ú': '\u0309', 'ü': '\u0303', 'ë': '\u0323',
};
const VNI_SINGLE: Readonly<Record<string, string>> = {
  'ñ': 'đ', 'Ñ': 'Đ', 'ô': 'ơ', 'Ô': 'Ơ', 'ö': 'ư', 'Ö': 'Ư',
  'ì': 'ì', 'Ì': 'Ì', 'í': 'í', 'Í': 'Í', 'æ': 'ỉ', 'Æ': 'Ỉ', 'ó': 'ĩ', 'Ó': 'Ĩ', 'ò': 'ị', 'Ò': 'Ị',
  'î': 'ỵ', 'Î': 'Ỵ',
};

/**
 * Every VNI code sequence → Unicode letter: two-character sequences (base + mark) and the
 * single codes. Built from the mark tables so that no combination can be mistyped.
 */
export const VNI_TO_UNICODE: ReadonlyMap<string, string> = buildVniTable();

function buildVniTable(): Map<string, string> {
  const table = new Map<string, string>();
  const add = (base: string, markCode: string, marks: string) => {
    for (const b of [base, base.toUpperCase()]) {
      for (const m of [markCode, markCode.toUpperCase()]) table.set(b + m, (b + marks).normalize('NFC'));
    }
  };
  for (const [code, tone] of Object.entries(VNI_TONES)) {
    for (const base of ['a', 'e', 'o', 'u', 'y']) add(base, code, tone);
    // ơ and ư are single codes that take a tone mark after them.
    for (const [b, letter] of [['ô', 'ơ'], ['ö', 'ư']] as const) {
      for (const [bb, ll] of [[b, letter], [b.toUpperCase(), letter.toUpperCase()]]) {
        for (const m of [code, code.toUpperCase()]) table.set(bb + m, (ll + tone).normalize('NFC'));
      }
    }
  }
  for (const [code, tone] of Object.entries(VNI_CIRCUMFLEX)) for (const base of ['a', 'e', 'o']) add(base, code, `\u0302${tone}`);
  for (const [code, tone] of Object.entries(VNI_BREVE)) add('a', code, `\u0306${tone}`);
  for (const [code, letter] of Object.entries(VNI_SINGLE)) table.set(code, letter);
  return table;
}

/** The result of decoding one string: `complete` is false when a non-ASCII character had no meaning in the font. */
export interface LegacyDecoding {
  text: string;
  complete: boolean;
}

/** Decodes TCVN3 (VN3) text shown as Latin-1 into Unicode NFC. */
export function decodeTcvn3(text: string): LegacyDecoding {
  let out = '';
  let complete = true;
  for (const ch of text) {
    const letter = TCVN3_TO_UNICODE.get(ch);
    if (letter !== undefined) out += letter;
    else {
      // NBSP is a VN3 code of its own; anything else outside ASCII is not VN3 text.
      if (ch > '\u007f' && ch !== '\u00a0') complete = false;
      out += ch;
    }
  }
  return { text: out.normalize('NFC'), complete };
}

/** Decodes VNI-Windows text shown as Latin-1 into Unicode NFC (longest code first). */
export function decodeVni(text: string): LegacyDecoding {
  let out = '';
  let complete = true;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const pair = i + 1 < chars.length ? VNI_TO_UNICODE.get(ch + chars[i + 1]!) : undefined;
    if (pair !== undefined) {
      out += pair;
      i++;
      continue;
    }
    const single = VNI_TO_UNICODE.get(ch);
    if (single !== undefined) out += single;
    else {
      if (ch > '\u007f' && ch !== '\u00a0') complete = false;
      out += ch;
    }
  }
  return { text: out.normalize('NFC'), complete };
}

/** Converts text typed in a legacy font (shown as Latin-1 characters) to Unicode NFC. */
export function convertLegacy(text: string, from: LegacyFont): string {
  return (from === 'tcvn3' ? decodeTcvn3(text) : decodeVni(text)).text;
}

const UNICODE_TO_TCVN3: ReadonlyMap<string, string> = new Map(
  [...TCVN3_TO_UNICODE].map(([code, letter]) => [letter, code]),
);
// The VNI spelling per letter as VNI keyboards write it: a single code where there is one
// (ỵ is "î", not "yï"), else base + the mark code of the same case.
const UNICODE_TO_VNI: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  const byLength = [...VNI_TO_UNICODE].sort(([a], [b]) => a.length - b.length);
  for (const [code, letter] of byLength) {
    const [base, mark] = [...code];
    const caseMatches = mark === undefined || (base === base!.toLowerCase()) === (mark === mark.toLowerCase());
    if (caseMatches && !map.has(letter)) map.set(letter, code);
  }
  return map;
})();

/**
 * Writes Unicode text in a legacy font encoding, as Latin-1 characters (take their byte
 * values with `Buffer.from(s, 'latin1')` for an 8-bit file). For test data and round
 * trips. TCVN3 has no accented capitals: they are written with the lowercase code, which is
 * what .VnTime text holds. Characters the encoding cannot hold are kept as they are.
 */
export function encodeLegacy(text: string, to: LegacyFont): string {
  const table = to === 'tcvn3' ? UNICODE_TO_TCVN3 : UNICODE_TO_VNI;
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const direct = table.get(ch);
    if (direct !== undefined) out += direct;
    else if (to === 'tcvn3' && table.has(ch.toLowerCase())) out += table.get(ch.toLowerCase());
    else out += ch;
  }
  return out;
}
