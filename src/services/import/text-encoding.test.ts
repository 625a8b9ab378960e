import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellIsLegacy, convertLegacy, convertLegacyCell, decodeAsLatin, decodeText, detectLegacyFont } from './text-encoding.ts';
import { iconv, legacyText, utf16 } from './test-fixtures.ts';

const SAMPLE = 'Nguyễn Thị Lan, Đặng Văn Ước, Phạm Thuỳ Dương';

const decodeCases = [
  { name: 'UTF-8', bytes: Buffer.from(SAMPLE, 'utf8'), encoding: 'utf-8' },
  { name: 'UTF-8 with BOM (BOM removed)', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE, 'utf8')]), encoding: 'utf-8-bom' },
  { name: 'UTF-8 in NFD becomes NFC', bytes: Buffer.from(SAMPLE.normalize('NFD'), 'utf8'), encoding: 'utf-8' },
  { name: 'UTF-16LE with BOM', bytes: utf16(SAMPLE, 'le'), encoding: 'utf-16le' },
  { name: 'UTF-16BE with BOM', bytes: utf16(SAMPLE, 'be'), encoding: 'utf-16be' },
  { name: 'UTF-16LE without BOM', bytes: Buffer.from(SAMPLE, 'utf16le'), encoding: 'utf-16le' },
  { name: 'Windows-1258 (combining tone marks composed)', bytes: iconv(SAMPLE, 'CP1258'), encoding: 'windows-1258' },
  { name: 'ASCII', bytes: Buffer.from('STT,Ho ten', 'ascii'), encoding: 'utf-8', text: 'STT,Ho ten' },
];
for (const c of decodeCases) {
  test(`decodeText: ${c.name}`, () => {
    const got = decodeText(c.bytes);
    assert.equal(got.encoding, c.encoding);
    assert.equal(got.text, c.text ?? SAMPLE);
    assert.equal(got.text, got.text.normalize('NFC'));
  });
}

test('decodeText: Windows-1258 really uses combining marks, which NFC composes', () => {
  const bytes = iconv('Nguyễn', 'CP1258');
  assert.deepEqual([...bytes], [0x4e, 0x67, 0x75, 0x79, 0xea, 0xde, 0x6e]); // ê + combining tilde (0xDE)
  assert.equal(decodeText(bytes).text.length, 6);
});

test('decodeAsLatin shows TCVN3 bytes as .VnTime text looks in a Western font', () => {
  assert.equal(decodeAsLatin(iconv('nguyễn thị lan', 'TCVN5712-1')), 'nguyÔn thÞ lan');
});

// Conservative detection, one string at a time.
const detectCases: Array<{ input: string; want: 'unicode' | 'tcvn3' | 'vni' | null; why: string }> = [
  { input: 'NguyÔn ThÞ Lan', want: 'tcvn3', why: 'TCVN3 name' },
  { input: 'NGUYÔN THÞ LAN', want: 'tcvn3', why: 'TCVN3 typed for the all-caps .VnTimeH font' },
  { input: 'Hµ Néi, §µ N½ng', want: 'tcvn3', why: 'TCVN3 places' },
  { input: 'Nguyeãn Thò Lan', want: 'vni', why: 'VNI name (Thò is also a Unicode word)' },
  { input: 'Haø Noäi, Ñaø Naüng', want: 'vni', why: 'VNI places' },
  { input: 'Nguyễn Thị Lan', want: 'unicode', why: 'Unicode Vietnamese' },
  { input: 'Nguyễn Thị Lan'.normalize('NFD'), want: 'unicode', why: 'decomposed Unicode Vietnamese' },
  { input: 'Lê Hà Tám', want: 'unicode', why: 'Unicode using only Latin-1 letters' },
  { input: 'Hello world', want: null, why: 'plain ASCII' },
  { input: 'Nguyen Thi Lan', want: null, why: 'Vietnamese without diacritics' },
  { input: 'Café', want: null, why: 'English/French loanword' },
  { input: 'naïve', want: null, why: 'English with diaeresis' },
  { input: 'François Hélène', want: null, why: 'French names' },
  { input: 'Loïc Loïc', want: null, why: 'one word repeated is not enough (VNI would read "Lọc")' },
  { input: 'Zoé Noël Chloé', want: null, why: 'French names' },
  { input: 'Thérèse Dupré, Jérôme Müller', want: null, why: 'French and German names' },
  { input: 'José María Núñez', want: null, why: 'Spanish name' },
  { input: 'Crème brûlée, déjà vu, résumé, façade', want: null, why: 'French phrases' },
  { input: '', want: null, why: 'empty' },
];
for (const c of detectCases) {
  test(`detectLegacyFont: ${c.why}: ${JSON.stringify(c.input)}`, () => {
    assert.equal(detectLegacyFont(c.input), c.want);
  });
}

test('detectLegacyFont over cells reports the verdict, confidence and word counts', () => {
  const column = ['Hä tªn', 'NguyÔn ThÞ Lan', 'TrÇn §øc M¹nh', 'Lª Ngäc ¸nh', 'Ph¹m Thuú D­¬ng', '§Æng V¨n ¦íc'];
  const got = detectLegacyFont(column);
  assert.equal(got.font, 'tcvn3');
  assert.ok(got.confidence >= 0.9, String(got.confidence));
  assert.equal(got.words.unicode, 0);
  assert.ok(got.words.tcvn3 >= 10);
});

test('detectLegacyFont over cells: an English header does not change the verdict', () => {
  const got = detectLegacyFont(['Full name', ...['Nguyễn Thị Lan', 'Trần Đức Mạnh'].map((n) => legacyText(n, 'vni'))]);
  assert.equal(got.font, 'vni');
});

test('detectLegacyFont over cells: a column of Unicode Vietnamese is never a legacy font', () => {
  const got = detectLegacyFont(['Họ tên', 'Lê Hà', 'Võ Tú', 'Lâm Thị Mỹ Dung', 'Ngô Bảo Châu', 'Hồ Văn Tám']);
  assert.equal(got.font, 'unicode');
});

test('detectLegacyFont over cells: French and English text stays untouched', () => {
  const cells = ['Où est la bibliothèque? À côté de l’église.', 'Café crème, naïve, Noël', 'Zoé, Léa, Hélène, Loïc, Benoît, Agnès', 'São Paulo, Curaçao, Québec, Genève'];
  const got = detectLegacyFont(cells);
  assert.ok(got.font !== 'tcvn3' && got.font !== 'vni', JSON.stringify(got));
  for (const cell of cells) {
    assert.equal(convertLegacyCell(cell, 'tcvn3'), cell);
    assert.equal(convertLegacyCell(cell, 'vni'), cell);
  }
});

test('cellIsLegacy keeps Unicode cells of a legacy column unconverted', () => {
  assert.equal(cellIsLegacy('Họ tên', 'tcvn3'), false); // a Unicode header above TCVN3 data
  assert.equal(cellIsLegacy('NguyÔn ThÞ Lan', 'tcvn3'), true);
  assert.equal(cellIsLegacy('Tµy', 'tcvn3'), true);
  assert.equal(cellIsLegacy('Kinh', 'tcvn3'), false); // nothing to convert
  assert.equal(convertLegacyCell('Họ tên', 'tcvn3'), 'Họ tên');
});

test('convertLegacy is re-exported with the examples from the brief', () => {
  assert.equal(convertLegacy('NguyÔn ThÞ Lan', 'tcvn3'), 'Nguyễn Thị Lan');
  assert.equal(convertLegacy('Nguyeãn Thò Lan', 'vni'), 'Nguyễn Thị Lan');
});
