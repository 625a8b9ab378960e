import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isVietnameseSyllable } from './vietnamese-syllable.ts';

const valid = [
  'Nguyễn', 'Thị', 'Trần', 'Đức', 'Mạnh', 'Lê', 'Ngọc', 'Ánh', 'Phạm', 'Thuỳ', 'Thúy', 'Dương', 'Đặng', 'Văn', 'Ước',
  'giữa', 'gì', 'quốc', 'quýt', 'nghiêng', 'khuya', 'người', 'được', 'hoặc', 'tuần', 'xoong', 'thuở', 'huỳnh', 'khuếch',
  'yêu', 'yến', 'chuối', 'NGUYỄN', 'Nguyễn'.normalize('NFD'),
];
const invalid = [
  { word: 'Café', why: 'f is not a Vietnamese letter' },
  { word: 'naïve', why: 'ï' },
  { word: 'Hélène', why: 'two syllables' },
  { word: 'NguyÔn', why: 'uyô is not a nucleus' },
  { word: 'Nguyeãn', why: 'two vowels with diacritics' },
  { word: 'ThÞ', why: 'Þ' },
  { word: 'tòt', why: 'a stop final takes only sắc or nặng' },
  { word: 'tôt', why: 'no tone with a stop final' },
  { word: 'kẻ', why: 'k before e', valid: true },
  { word: 'ce', why: 'c before e is spelled k' },
  { word: 'ghà', why: 'gh only before i, e, ê' },
  { word: 'François', why: 'ç' },
  { word: 'tiê', why: 'iê needs a final' },
  { word: 'taoc', why: 'ao takes no final' },
  { word: 'ốnh', why: 'nh does not follow ô' },
  { word: 'àá', why: 'two tone marks' },
];

test('isVietnameseSyllable accepts real syllables', () => {
  for (const w of valid) assert.equal(isVietnameseSyllable(w), true, w);
});

for (const c of invalid) {
  test(`isVietnameseSyllable: ${c.word} (${c.why})`, () => {
    assert.equal(isVietnameseSyllable(c.word), c.valid ?? false);
  });
}
