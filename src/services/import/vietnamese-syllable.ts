/**
 * Is a word a possible Vietnamese syllable? Used to tell which reading of a spreadsheet
 * cell (Unicode as it is, TCVN3, or VNI) gives real Vietnamese: a legacy-font word read
 * the wrong way ("NguyÔn", "Nguyeãn") breaks the syllable structure, while French or
 * English words ("Café", "naïve") are valid in none of the readings.
 *
 * The check follows Vietnamese orthography: optional initial consonant, a vowel nucleus
 * from the closed list below, an optional final consonant, at most one tone mark, and the
 * rule that syllables closed by p, t, c or ch carry only the sắc or nặng tone. It is
 * deliberately a little permissive (it does not check where the tone mark sits), since it
 * only has to separate real text from mis-decoded text.
 */

const TONE_MARKS = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']);
const SAC = '\u0301';
const NANG = '\u0323';
const LETTERS = /^[a-zăâđêôơư]+$/u;
const VOWELS = 'aăâeêioôơuưy';

// Longest first so that "ngh" is tried before "ng" and "g"; "" is no initial consonant.
const INITIALS = ['ngh', 'ng', 'gh', 'gi', 'kh', 'ph', 'th', 'tr', 'ch', 'nh', 'qu', 'b', 'c', 'd', 'đ', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'x', ''];
const FINALS = ['ng', 'nh', 'ch', 'c', 'm', 'n', 'p', 't', ''];
const STOP_FINALS = new Set(['c', 'ch', 'p', 't']);

// Nuclei that end in a semivowel (or are the open diphthongs ia/ua/ưa) take no final consonant.
const NUCLEI_OPEN = new Set([
  'ai', 'ao', 'au', 'ay', 'âu', 'ây', 'eo', 'êu', 'ia', 'iu', 'oi', 'ôi', 'ơi', 'ua', 'ui', 'ưa', 'ưi', 'ưu',
  'iêu', 'yêu', 'oai', 'oao', 'oay', 'oeo', 'uây', 'uôi', 'ươi', 'ươu', 'uya', 'uyu', 'uơ',
]);
// Nuclei that never end a syllable.
const NUCLEI_CLOSED = new Set(['ă', 'â', 'iê', 'yê', 'uô', 'ươ', 'uyê', 'oă', 'uâ', 'oo']);
// Nuclei with or without a final consonant.
const NUCLEI_EITHER = new Set(['a', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y', 'oa', 'oe', 'uê', 'uy']);
// Finals ch and nh follow only these nuclei (anh, ếch, inh, huỳnh, oanh, khuếch).
const BEFORE_CH_NH = new Set(['a', 'ê', 'i', 'y', 'oa', 'uê', 'uy']);

/** True when `word` (any case, NFC or NFD) is a well-formed Vietnamese syllable. */
export function isVietnameseSyllable(word: string): boolean {
  const nfd = word.toLowerCase().normalize('NFD');
  let tone: string | null = null;
  let rest = '';
  let lastBase = '';
  for (const ch of nfd) {
    if (TONE_MARKS.has(ch)) {
      if (tone !== null || !VOWELS.includes(lastBase)) return false;
      tone = ch;
    } else {
      rest += ch;
      if (!/\p{M}/u.test(ch)) lastBase = ch;
    }
  }
  const base = rest.normalize('NFC');
  if (!LETTERS.test(base)) return false;
  for (const initial of INITIALS) {
    if (!base.startsWith(initial)) continue;
    const afterInitial = base.slice(initial.length);
    for (const final of FINALS) {
      if (afterInitial.length <= final.length || !afterInitial.endsWith(final)) continue;
      const nucleus = afterInitial.slice(0, afterInitial.length - final.length);
      if (!nucleusTakes(nucleus, final) || !spellingAllows(initial, nucleus)) continue;
      if (STOP_FINALS.has(final) && tone !== SAC && tone !== NANG) continue;
      return true;
    }
  }
  return false;
}

function nucleusTakes(nucleus: string, final: string): boolean {
  if (final === 'ch' || final === 'nh') return BEFORE_CH_NH.has(nucleus);
  if (NUCLEI_OPEN.has(nucleus)) return final === '';
  if (NUCLEI_CLOSED.has(nucleus)) return final !== '';
  return NUCLEI_EITHER.has(nucleus);
}

// Spelling rules of the Latin script for Vietnamese: k/gh/ngh before front vowels, c/g/ng elsewhere.
function spellingAllows(initial: string, nucleus: string): boolean {
  const front = /^[eêiy]/u.test(nucleus);
  switch (initial) {
    case 'k':
    case 'gh':
    case 'ngh':
      return front;
    case 'c':
      return !front;
    case 'g':
      return !/^[eê]/u.test(nucleus); // "gì" is g + i
    case 'ng':
      return !/^[eêi]/u.test(nucleus);
    case 'qu':
      return !/^[uo]/u.test(nucleus);
    default:
      return true;
  }
}
