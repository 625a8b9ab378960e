import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVietnameseNames, foldVietnamese, normalizePersonName, vietnameseSortKey } from './names.ts';

const normalizeCases = [
  { name: 'lowercase with double space', input: 'nguyễn thị  lan', want: 'Nguyễn Thị Lan' },
  { name: 'all caps with Đ', input: 'ĐỖ VĂN Ánh', want: 'Đỗ Văn Ánh' },
  { name: 'leading and trailing spaces', input: '  trần   văn   an  ', want: 'Trần Văn An' },
  { name: 'tabs, newlines and no-break spaces', input: 'lê\tthị\u00A0hồng\nnhung', want: 'Lê Thị Hồng Nhung' },
  { name: 'decomposed Unicode (NFD) becomes NFC', input: 'nguyễn thị ánh'.normalize('NFD'), want: 'Nguyễn Thị Ánh' },
  { name: 'word starting with a decomposed accented capital', input: 'ÉP'.normalize('NFD'), want: 'Ép' },
  { name: 'lowercase đ at the start of a word', input: 'đặng đình đức', want: 'Đặng Đình Đức' },
  { name: 'mixed case inside a word', input: 'hOÀNG mINH qUÂN', want: 'Hoàng Minh Quân' },
  { name: 'old-style tone position is kept', input: 'nguyễn thị thuý', want: 'Nguyễn Thị Thuý' },
  { name: 'new-style tone position is kept', input: 'nguyễn thị thúy', want: 'Nguyễn Thị Thúy' },
  { name: 'ư and ơ letters', input: 'TRƯƠNG THỊ LỢI', want: 'Trương Thị Lợi' },
  { name: 'minority name with apostrophe keeps the inner capital', input: "h'hen niê", want: "H'Hen Niê" },
  { name: 'typographic apostrophe', input: 'ksor h’bơ', want: 'Ksor H’Bơ' },
  { name: 'zero-width space and BOM are dropped', input: '\uFEFFphạm\u200B văn bình', want: 'Phạm Văn Bình' },
  { name: 'single word', input: 'an', want: 'An' },
  { name: 'empty', input: '   ', want: '' },
];

for (const c of normalizeCases) {
  test(`normalizePersonName: ${c.name}`, () => {
    const got = normalizePersonName(c.input);
    assert.equal(got, c.want);
    assert.equal(got, got.normalize('NFC'));
    assert.equal(normalizePersonName(got), got, 'idempotent');
  });
}

const foldCases = [
  { name: 'all tones and đ', input: 'Đỗ Thị Ánh', want: 'do thi anh' },
  { name: 'every vowel family', input: 'àáảãạ ăằắẳẵặ âầấẩẫậ èéẻẽẹ êềếểễệ ìíỉĩị òóỏõọ ôồốổỗộ ơờớởỡợ ùúủũụ ưừứửữự ỳýỷỹỵ',
    want: 'aaaaa aaaaaa aaaaaa eeeee eeeeee iiiii ooooo oooooo oooooo uuuuu uuuuuu yyyyy' },
  { name: 'capitals', input: 'ĂÂĐÊÔƠƯ', want: 'aadeoou' },
  { name: 'decomposed input', input: 'Nguyễn'.normalize('NFD'), want: 'nguyen' },
  { name: 'whitespace collapsed and trimmed', input: '  Lê   Văn\tTám ', want: 'le van tam' },
  { name: 'legacy Ð stand-in for Đ', input: 'Ðức', want: 'duc' },
  { name: 'ASCII stays', input: 'Kinh', want: 'kinh' },
];

for (const c of foldCases) {
  test(`foldVietnamese: ${c.name}`, () => {
    assert.equal(foldVietnamese(c.input), c.want);
  });
}

const orderCases: Array<{ name: string; sorted: string[] }> = [
  { name: 'a < ă < â', sorted: ['An', 'Ăn', 'Ân'] },
  { name: 'o < ô < ơ', sorted: ['Ong', 'Ông', 'Ơng'] },
  { name: 'e < ê, u < ư', sorted: ['Em', 'Êm', 'Um', 'Ưm'] },
  { name: 'd < đ, whole-letter order before tones', sorted: ['Dũng', 'Duy', 'Đạt', 'Đức'] },
  { name: 'tones: ngang < huyền < hỏi < ngã < sắc < nặng', sorted: ['Ma', 'Mà', 'Mả', 'Mã', 'Má', 'Mạ'] },
  { name: 'shorter word first', sorted: ['An', 'Anh', 'Ánh'] },
  { name: 'letters decide before tones', sorted: ['Ánh', 'Ân', 'Ba'] },
  { name: 'tone with a modified letter (ặ, ự)', sorted: ['Ăn', 'Ặn', 'Ưng', 'Ựng'] },
];

for (const c of orderCases) {
  test(`vietnameseSortKey: ${c.name}`, () => {
    const shuffled = [...c.sorted].reverse();
    shuffled.sort((a, b) => (vietnameseSortKey(a) < vietnameseSortKey(b) ? -1 : 1));
    assert.deepEqual(shuffled, c.sorted);
  });
}

test('vietnameseSortKey ignores case, spacing and Unicode form', () => {
  assert.equal(vietnameseSortKey('  NGUYỄN   Thị '), vietnameseSortKey('nguyễn thị'.normalize('NFD')));
});

const registerCases: Array<{ name: string; sorted: string[] }> = [
  { name: 'by given name first', sorted: ['Trần Văn An', 'Nguyễn Thị Bình', 'Lê Văn Cường'] },
  { name: 'same given name: by family and middle', sorted: ['Lê Thị Lan', 'Nguyễn Thị Lan', 'Nguyễn Thùy Lan'] },
  { name: 'Đ after D in the given name', sorted: ['Vũ Văn Dũng', 'Lê Văn Đạt'] },
  { name: 'identical names keep a total order by spelling', sorted: ['Lê Thị Hoà', 'Lê Thị Hòa'] },
];

for (const c of registerCases) {
  test(`compareVietnameseNames: ${c.name}`, () => {
    assert.deepEqual([...c.sorted].reverse().sort(compareVietnameseNames), c.sorted);
    assert.equal(compareVietnameseNames(c.sorted[0]!, c.sorted[0]!), 0);
  });
}
