import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anchorsOf, imageUrl, parseInline, parseMarkdown, resolveLink, type Block, type Inline } from './markdown.ts';

const tx = (v: string): Inline => ({ t: 'text', v });

test('inline: table of cases', () => {
  const cases: Array<[string, Inline[]]> = [
    ['plain text', [tx('plain text')]],
    ['**đậm** và *nghiêng*', [{ t: 'strong', c: [tx('đậm')] }, tx(' và '), { t: 'em', c: [tx('nghiêng')] }]],
    ['__đậm__ _nghiêng_', [{ t: 'strong', c: [tx('đậm')] }, tx(' '), { t: 'em', c: [tx('nghiêng')] }]],
    ['tệp ten_tep_moi.xlsx', [tx('tệp ten_tep_moi.xlsx')]],
    ['bấm `Lưu` rồi', [tx('bấm '), { t: 'code', v: 'Lưu' }, tx(' rồi')]],
    ['`**không đậm**`', [{ t: 'code', v: '**không đậm**' }]],
    ['[Sổ điểm](/my-classes)', [{ t: 'link', href: '/my-classes', c: [tx('Sổ điểm')] }]],
    ['[**Ký**](hieu-truong.md#ky-duyet "tiêu đề")', [{ t: 'link', href: 'hieu-truong.md#ky-duyet', c: [{ t: 'strong', c: [tx('Ký')] }] }]],
    ['![Màn hình](images/a-1-b.png)', [{ t: 'image', src: 'images/a-1-b.png', alt: 'Màn hình' }]],
    ['\\*không nghiêng\\*', [tx('*không nghiêng*')]],
    ['<b>html</b> <script>x</script>', [tx('<b>html</b> <script>x</script>')]],
    ['a * b * c', [tx('a * b * c')]],
    ['[không đóng](', [tx('[không đóng](')]],
    ['**chưa đóng', [tx('**chưa đóng')]],
  ];
  for (const [src, want] of cases) assert.deepEqual(parseInline(src), want, src);
});

test('blocks: headings, anchors, paragraphs, rules, quotes, code', () => {
  const md = [
    '# Hướng dẫn',
    '',
    '<a id="nhap-diem"></a>',
    '## Nhập điểm ##',
    'Dòng một',
    'dòng hai.',
    '',
    '---',
    '> **Lưu ý:** hãy lưu.',
    '',
    '```sh',
    'npm start',
    '<b>giữ nguyên</b>',
    '```',
    '<a id="Khong Hop Le"></a>',
    '<!-- ghi chú',
    'cho người viết -->',
    '<div>html khác</div>',
  ].join('\n');
  const want: Block[] = [
    { t: 'heading', level: 1, c: [tx('Hướng dẫn')] },
    { t: 'anchor', id: 'nhap-diem' },
    { t: 'heading', level: 2, c: [tx('Nhập điểm')] },
    { t: 'para', c: [tx('Dòng một dòng hai.')] },
    { t: 'hr' },
    { t: 'quote', c: [{ t: 'para', c: [{ t: 'strong', c: [tx('Lưu ý:')] }, tx(' hãy lưu.')] }] },
    { t: 'code', lang: 'sh', v: 'npm start\n<b>giữ nguyên</b>' },
    { t: 'para', c: [tx('<div>html khác</div>')] },
  ];
  assert.deepEqual(parseMarkdown(md), want);
  assert.deepEqual(anchorsOf(parseMarkdown(md)), ['nhap-diem']);
});

test('lists: ordered, unordered, nested, lazy continuation, blank lines between items', () => {
  const md = ['1. Mở **Lớp của tôi**.', '2. Chọn lớp:', '   - 10A1', '   - 10A2', '', '3. Bấm Lưu', 'rồi chờ.', '', '* một', '* hai'].join('\n');
  assert.deepEqual(parseMarkdown(md), [
    {
      t: 'list',
      ordered: true,
      start: 1,
      items: [
        [{ t: 'para', c: [tx('Mở '), { t: 'strong', c: [tx('Lớp của tôi')] }, tx('.')] }],
        [{ t: 'para', c: [tx('Chọn lớp:')] }, { t: 'list', ordered: false, start: 1, items: [[{ t: 'para', c: [tx('10A1')] }], [{ t: 'para', c: [tx('10A2')] }]] }],
        [{ t: 'para', c: [tx('Bấm Lưu rồi chờ.')] }],
      ],
    },
    { t: 'list', ordered: false, start: 1, items: [[{ t: 'para', c: [tx('một')] }], [{ t: 'para', c: [tx('hai')] }]] },
  ] satisfies Block[]);
  assert.equal((parseMarkdown('3. ba\n4. bốn')[0] as { start: number }).start, 3);
});

test('tables: header, alignment, escaped pipes, short rows', () => {
  const md = ['| Lỗi | Cách sửa |', '|:---|---:|', '| `a\\|b` | **Tải lại** |', '| chỉ một ô |', '', 'sau bảng'].join('\n');
  assert.deepEqual(parseMarkdown(md), [
    {
      t: 'table',
      align: ['left', 'right'],
      head: [[tx('Lỗi')], [tx('Cách sửa')]],
      rows: [
        [[{ t: 'code', v: 'a|b' }], [{ t: 'strong', c: [tx('Tải lại')] }]],
        [[tx('chỉ một ô')], []],
      ],
    },
    { t: 'para', c: [tx('sau bảng')] },
  ] satisfies Block[]);
});

test('links resolve to app paths, guide pages and sections, outside sites — or nothing', () => {
  const cases: Array<[string, unknown]> = [
    ['/my-classes', { kind: 'app', path: '/my-classes' }],
    ['/grade-sheets/abc/1', { kind: 'app', path: '/grade-sheets/abc/1' }],
    ['xu-ly-su-co.md#token', { kind: 'guide', page: 'xu-ly-su-co', anchor: 'token' }],
    ['./van-thu.md', { kind: 'guide', page: 'van-thu', anchor: null }],
    ['README.md', { kind: 'guide', page: 'README', anchor: null }],
    ['#dong-dau', { kind: 'guide', page: 'hieu-truong', anchor: 'dong-dau' }],
    ['/guide/xac-minh', { kind: 'guide', page: 'xac-minh', anchor: null }],
    ['https://moet.gov.vn/a', { kind: 'external', url: 'https://moet.gov.vn/a' }],
    ['javascript:alert(1)', null],
    ['JaVaScRiPt:alert(1)', null],
    ['data:text/html,x', null],
    ['//evil.example/x', null],
    ['../../etc/passwd.md', null],
    ['khong-co.md', null],
    ['/a/../b', null],
    ['#"><script>', null],
  ];
  for (const [href, want] of cases) assert.deepEqual(resolveLink(href, 'hieu-truong'), want, href);
});

test('images only from the guide folder, by strict name', () => {
  assert.equal(imageUrl('images/van-thu-1-dong-dau.png'), '/api/guide/images/van-thu-1-dong-dau.png');
  assert.equal(imageUrl('./images/a.jpg'), '/api/guide/images/a.jpg');
  for (const bad of ['https://x/a.png', 'images/../a.png', 'images/A.png', 'images/a.gif', '/etc/a.png', 'images/sub/a.png', 'javascript:x']) assert.equal(imageUrl(bad), null, bad);
});

test('any input parses without throwing', () => {
  const junk = ['', '|', '| a |\n|-', '```', '> ', '1.', '- ', '[', '![', '**', '`', '<a id="x"></a>', '#', '    - a\n- b\n        - c', '\\', '*_*_*_'];
  for (const s of junk) assert.ok(Array.isArray(parseMarkdown(s)), JSON.stringify(s));
});
