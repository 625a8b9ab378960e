import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { toTCVN3, toUnicode, toVNI } from 'vietnamese-conversion';
import { TCVN3_TO_UNICODE, VNI_TO_UNICODE, convertLegacy, decodeTcvn3, decodeVni, encodeLegacy } from './legacy-fonts.ts';
import { iconv, iconvDecode } from './test-fixtures.ts';

// The 134 Vietnamese letters with diacritics (67 lowercase, 67 capitals).
const LOWER = 'àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ';
const UPPER = LOWER.toUpperCase();
const ALL_LETTERS = [...LOWER, ...UPPER];

test('the Vietnamese letter list has 67 lowercase and 67 capital letters', () => {
  assert.equal([...LOWER].length, 67);
  assert.equal(new Set(ALL_LETTERS).size, 134);
});

test('TCVN3 table: 74 letters, every code agrees with glibc iconv TCVN5712-1', () => {
  assert.equal(TCVN3_TO_UNICODE.size, 74); // 67 lowercase + Ă Â Ê Ô Ơ Ư Đ (VN3 adds only NBSP besides)
  const codes = [...TCVN3_TO_UNICODE.keys()];
  const bytes = Buffer.from(codes.join('\n'), 'latin1');
  assert.deepEqual(iconvDecode(bytes, 'TCVN5712-1').split('\n'), [...TCVN3_TO_UNICODE.values()]);
});

test('TCVN3: glibc TCVN5712-1 is VN1 and gives accented capitals codes VN3 does not have', () => {
  // Why the TCVN3 fixture lowercases such capitals before iconv: .VnTime text never holds these codes.
  const glibc = iconv('Á Ẳ Ố', 'TCVN5712-1');
  assert.deepEqual([...glibc], [0x83, 0x20, 0xba, 0x20, 0xff]);
  for (const code of [0x83, 0xba, 0xff]) assert.equal(TCVN3_TO_UNICODE.has(String.fromCharCode(code)), false);
  // Lowercase text and the seven unaccented capitals are byte-identical to our VN3 encoder.
  const text = `${LOWER} ĂÂÊÔƠƯĐ`;
  assert.deepEqual(iconv(text, 'TCVN5712-1'), Buffer.from(encodeLegacy(text, 'tcvn3'), 'latin1'));
});

const roundTrips = [
  { font: 'tcvn3' as const, letters: [...LOWER, ...'ĂÂÊÔƠƯĐ'] },
  { font: 'vni' as const, letters: ALL_LETTERS },
];
for (const c of roundTrips) {
  test(`${c.font}: every letter encodes and decodes back`, () => {
    for (const letter of c.letters) {
      const encoded = encodeLegacy(letter, c.font);
      assert.ok(/^[\u0020-\u00ff]+$/u.test(encoded), `${letter} → ${encoded} is Latin-1`);
      const decoded = c.font === 'tcvn3' ? decodeTcvn3(encoded) : decodeVni(encoded);
      assert.equal(decoded.text, letter);
      assert.equal(decoded.complete, true);
    }
  });
}

test('tcvn3: accented capitals are written with the lowercase code, as in .VnTime', () => {
  assert.equal(encodeLegacy('Lê Ngọc Ánh', 'tcvn3'), 'Lª Ngäc ¸nh');
  assert.equal(convertLegacy('Lª Ngäc ¸nh', 'tcvn3'), 'Lê Ngọc ánh');
});

const conversions = [
  { font: 'tcvn3' as const, legacy: 'NguyÔn ThÞ Lan', unicode: 'Nguyễn Thị Lan' },
  { font: 'tcvn3' as const, legacy: 'TrÇn §øc M¹nh', unicode: 'Trần Đức Mạnh' },
  { font: 'tcvn3' as const, legacy: 'Ph¹m Thuú D­¬ng', unicode: 'Phạm Thuỳ Dương' },
  { font: 'tcvn3' as const, legacy: '§Æng V¨n ¦íc', unicode: 'Đặng Văn Ước' },
  { font: 'tcvn3' as const, legacy: 'NGUYÔN THÞ LAN', unicode: 'NGUYễN THị LAN' }, // .VnTimeH: case comes from the font
  { font: 'tcvn3' as const, legacy: 'Tr­êng THPT Chu V¨n An', unicode: 'Trường THPT Chu Văn An' },
  { font: 'vni' as const, legacy: 'Nguyeãn Thò Lan', unicode: 'Nguyễn Thị Lan' },
  { font: 'vni' as const, legacy: 'Traàn Ñöùc Maïnh', unicode: 'Trần Đức Mạnh' },
  { font: 'vni' as const, legacy: 'Leâ Ngoïc AÙnh', unicode: 'Lê Ngọc Ánh' },
  { font: 'vni' as const, legacy: 'Leâ Ngoïc Aùnh', unicode: 'Lê Ngọc Ánh' }, // PROPER() in Excel lowercases the mark
  { font: 'vni' as const, legacy: 'NGUYEÃN THÒ LAN', unicode: 'NGUYỄN THỊ LAN' },
  { font: 'vni' as const, legacy: 'Ñaëng Vaên Öôùc', unicode: 'Đặng Văn Ước' },
  { font: 'vni' as const, legacy: 'Tröôøng Myõ Kyû', unicode: 'Trường Mỹ Kỷ' },
  { font: 'vni' as const, legacy: 'Tænh Quaûng Ngaõi', unicode: 'Tỉnh Quảng Ngãi' },
];
for (const c of conversions) {
  test(`convertLegacy ${c.font}: ${c.legacy}`, () => {
    const got = convertLegacy(c.legacy, c.font);
    assert.equal(got, c.unicode);
    assert.equal(got, got.normalize('NFC'));
  });
}

test('convertLegacy leaves ASCII, digits and punctuation alone', () => {
  for (const font of ['tcvn3', 'vni'] as const) assert.equal(convertLegacy('10A1; 05/09/2010 - GD&DT (x)', font), '10A1; 05/09/2010 - GD&DT (x)');
});

test('VNI table: base + mark sequences and single codes', () => {
  assert.equal(VNI_TO_UNICODE.get('öù'), 'ứ');
  assert.equal(VNI_TO_UNICODE.get('yõ'), 'ỹ');
  assert.equal(VNI_TO_UNICODE.get('î'), 'ỵ');
  assert.equal(VNI_TO_UNICODE.get('Ñ'), 'Đ');
  assert.equal(encodeLegacy('ỵ Ỵ', 'vni'), 'î Î');
});

// vietnamese-conversion: what it gets right is used to cross-check our tables; what it
// gets wrong is why it is not used at run time. Checked against the installed version.
const pkgVersion = (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('vietnamese-conversion/package.json'), 'utf8')) as { version: string }).version;

test('vietnamese-conversion agrees with our TCVN3 table on lowercase letters and the seven capitals', () => {
  const text = `${LOWER} ĂÂÊÔƠƯĐ`;
  assert.equal(toTCVN3(text, 'unicode'), encodeLegacy(text, 'tcvn3'));
  assert.equal(toUnicode(encodeLegacy(text, 'tcvn3'), 'tcvn3'), text);
});

test('vietnamese-conversion agrees with our VNI encoder except for ỷ ỹ Ỷ Ỹ', () => {
  const sample = [...LOWER, ...UPPER].filter((ch) => !'ỷỹỶỸ'.includes(ch)).join(' ');
  assert.equal(toVNI(sample, 'unicode'), encodeLegacy(sample, 'vni'));
});

test(`vietnamese-conversion ${pkgVersion} known defects (why run-time conversion uses our tables)`, { skip: pkgVersion !== '2.0.0' && 'only checked for 2.0.0' }, () => {
  // VNI decoding is order-dependent: bare ư/ơ are replaced before ư/ơ with a tone.
  assert.equal(toUnicode('Ñöùc', 'vni'), 'Đưùc');
  assert.equal(toUnicode('Tröôøng', 'vni'), 'Trươøng');
  assert.equal(convertLegacy('Ñöùc Tröôøng', 'vni'), 'Đức Trường');
  // Wrong VNI codes for ỷ and ỹ.
  assert.equal(toVNI('Kỷ Mỹ', 'unicode'), 'Kë Mì');
  assert.equal(encodeLegacy('Kỷ Mỹ', 'vni'), 'Kyû Myõ');
  // TCVN3 accented capitals are invented ("A¸"), and do not round-trip.
  assert.equal(toTCVN3('Á', 'unicode'), 'A¸');
  assert.equal(toUnicode(toTCVN3('Ẳ', 'unicode'), 'tcvn3'), 'Ăẳ');
});
