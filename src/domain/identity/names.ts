/**
 * Vietnamese personal names: tidy them for storage and fold them for matching.
 */

// Invisible characters that ride along when names are pasted from web pages or Excel.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/gu;
// A letter that starts a word, or follows an apostrophe or hyphen inside it
// (minority names such as "H'Hen Niê" keep their inner capital).
const WORD_START = /(^|['’-])(\p{L})/gu;

/**
 * Normalises a person's name for storage: Unicode NFC (so decomposed input compares
 * equal), trim, single spaces, and each word capitalised ("nguyễn thị  lan" →
 * "Nguyễn Thị Lan", "ĐỖ VĂN Ánh" → "Đỗ Văn Ánh"). Diacritics and the position of
 * the tone mark ("Thuý" vs "Thúy") are kept as typed: that is the registered spelling.
 */
export function normalizePersonName(name: string): string {
  return name
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .trim()
    .split(/\s+/u)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase().replace(WORD_START, (_m, before: string, letter: string) => before + letter.toUpperCase()))
    .join(' ')
    .normalize('NFC');
}

/**
 * Folds Vietnamese text for matching and ASCII identifiers: strips every diacritic,
 * maps đ/Đ to d, lowercases, trims and collapses whitespace ("Đỗ  Thị Ánh" → "do thi anh").
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    // Ð (U+00D0, Icelandic eth) is a common stand-in for Đ in converted legacy files.
    .replace(/[đĐÐ]/gu, 'd')
    .toLowerCase()
    .replace(INVISIBLE, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

// Vowel modifiers rank the letter itself (a < ă < â, e < ê, o < ô < ơ, u < ư).
const LETTER_MARKS: Record<string, string> = { '\u0306': '1', '\u0302': '2', '\u031B': '3' };
// Tones break ties only, in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
const TONE_MARKS: Record<string, string> = { '\u0300': '1', '\u0309': '2', '\u0303': '3', '\u0301': '4', '\u0323': '5' };

/**
 * A key whose plain string order is Vietnamese alphabetical order: letters first
 * (a ă â b c d đ e ê … o ô ơ … u ư …), then tones as a tie-breaker
 * (Anh < Ánh < Ân, Dũng < Đạt). Case and spacing are ignored.
 */
export function vietnameseSortKey(text: string): string {
  let letters = '';
  let tones = '';
  let tone = '0';
  for (const ch of text.normalize('NFD').toLowerCase().replace(/\s+/gu, ' ').trim()) {
    const rank = LETTER_MARKS[ch];
    if (ch >= 'a' && ch <= 'z') {
      letters += `${ch}0`; // fast path: most characters after NFD
    } else if (rank !== undefined) {
      letters = letters.slice(0, -1) + rank; // tone marks never touch `letters`, so this is the letter's rank
    } else if (TONE_MARKS[ch] !== undefined) {
      tone = TONE_MARKS[ch];
    } else if (/\p{M}/u.test(ch)) {
      // other marks carry no meaning in Vietnamese
    } else if (ch === ' ') {
      letters += ' ';
      tones += tone;
      tone = '0';
    } else if (ch === 'đ' || ch === 'ð') {
      letters += 'd4';
    } else if (/\p{L}/u.test(ch)) {
      letters += `${ch}0`;
    } else {
      letters += ch;
    }
  }
  return `${letters}\u0001${tones}${tone}`;
}

/**
 * Orders people the way Vietnamese class registers do: by given name (the last word),
 * then by family and middle names, then by the exact spelling.
 */
export function compareVietnameseNames(a: string, b: string): number {
  const ka = registerKey(a);
  const kb = registerKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** The sort key behind compareVietnameseNames, for sorting many names without recomputing it. */
export function registerKey(name: string): string {
  const words = name.normalize('NFC').trim().split(/\s+/u);
  const given = words.pop() ?? '';
  return `${vietnameseSortKey(given)}\u0000${vietnameseSortKey(words.join(' '))}`;
}
