import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hbsV1 } from '../hbs-xml/hbs-v1.ts';
import { RecordFormatError } from '../hbs-xml/format-adapter.ts';
import { fullSnapshot, sparseSnapshot, trickySnapshot } from '../hbs-xml/test-snapshots.ts';
import { EMBEDDED_XML_NAME, renderRecordDocument, renderRecordPdf, type RenderedRecord } from './render-record.ts';
import { LONG_COMMENT_END, LONG_HOMEROOM_END, longSnapshot } from './test-snapshots.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const MODULE = fileURLToPath(new URL('./render-record.ts', import.meta.url));
const TOOLS = ['pdfinfo', 'pdftotext', 'pdfdetach', 'pdftoppm', 'pdffonts'];
const missing = TOOLS.filter((t) => spawnSync(t, ['-v']).error !== undefined);
// Poppler is how these tests see the PDF: on CI its absence is a failure, locally a skip.
const skipPoppler = missing.length > 0 && !process.env.CI ? `poppler-utils missing (${missing.join(', ')}): apt-get install -y poppler-utils` : false;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const squash = (s: string) => s.replace(/\s+/g, ' ');

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.error, undefined, `${cmd} could not run: ${String(r.error)}`);
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

let dir = '';
const rendered = new Map<string, { path: string; r: RenderedRecord }>();
async function pdfOf(name: 'full' | 'sparse' | 'tricky' | 'long') {
  const hit = rendered.get(name);
  if (hit) return hit;
  const make = { full: fullSnapshot, sparse: sparseSnapshot, tricky: trickySnapshot, long: longSnapshot }[name];
  const r = await renderRecordDocument(make());
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, r.pdf);
  rendered.set(name, { path, r });
  return { path, r };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hocba-pdf-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('renderRecordPdf: reproducible bytes', () => {
  it('gives the same bytes for the same snapshot, twice in one process', async () => {
    for (const make of [fullSnapshot, sparseSnapshot, trickySnapshot]) {
      const a = await renderRecordPdf(make());
      const b = await renderRecordPdf(make());
      assert.ok(a.equals(b));
    }
  });

  it('gives the same bytes in a separate process', async () => {
    const here = sha256(await renderRecordPdf(fullSnapshot()));
    const code = [
      `const { renderRecordPdf } = await import(${JSON.stringify(MODULE)});`,
      `const { fullSnapshot } = await import(${JSON.stringify(fileURLToPath(new URL('../hbs-xml/test-snapshots.ts', import.meta.url)))});`,
      `const { createHash } = await import('node:crypto');`,
      `process.stdout.write(createHash('sha256').update(await renderRecordPdf(fullSnapshot())).digest('hex'));`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, here);
  });

  it('changes when the data changes, and carries no wall-clock time', async () => {
    const s = fullSnapshot();
    const a = await renderRecordPdf(s);
    s.year.subjects[0]!.semesterI = { kind: 'score', average: '8.0' };
    assert.ok(!a.equals(await renderRecordPdf(s)));
    const text = a.toString('latin1');
    assert.ok(text.includes('(D:20260531091500Z)'), 'dates come from frozenAt');
    const id = createHash('sha256').update(hbsV1.serialize(fullSnapshot()), 'utf8').digest('hex').slice(0, 32);
    assert.ok(text.includes(`/ID [<${id}> <${id}>]`), 'file ID = first 16 bytes of the XML SHA-256');
  });
});

describe('renderRecordPdf: refuses what is not one snapshot', () => {
  it('refuses a malformed snapshot', async () => {
    const s = fullSnapshot();
    s.year.subjects[0]!.year = { kind: 'score', average: '8,3' };
    await assert.rejects(renderRecordPdf(s), RecordFormatError);
  });

  it('refuses XML that carries other data than the snapshot', async () => {
    const other = fullSnapshot();
    other.identity.fullName = 'Nguyễn Thị Lan Anh B';
    await assert.rejects(renderRecordPdf(fullSnapshot(), { xml: hbsV1.serialize(other) }), RecordFormatError);
  });
});

describe('renderRecordPdf: what poppler sees', { skip: skipPoppler }, () => {
  it('has the title, author, page count, PDF 1.7 and the frozen-at dates', async () => {
    const { path } = await pdfOf('full');
    const info = run('pdfinfo', ['-isodates', path]);
    assert.match(info, /^Title:\s+Học bạ – Nguyễn Thị Lan Anh – năm học 2025–2026$/m);
    assert.match(info, /^Author:\s+Trường THPT Chu Văn An$/m);
    assert.match(info, /^Pages:\s+2$/m);
    assert.match(info, /^PDF version:\s+1\.7$/m);
    assert.match(info, /^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);
    assert.match(info, /^CreationDate:\s+2026-05-31T09:15:00Z$/m);
    assert.match(info, /^ModDate:\s+2026-05-31T09:15:00Z$/m);
  });

  it('declares PDF/A-3b in XMP, with escaped metadata matching the Info dictionary', async () => {
    const { path } = await pdfOf('tricky');
    const meta = run('pdfinfo', ['-meta', path]);
    assert.match(meta, /<pdfaid:part>3<\/pdfaid:part>/);
    assert.match(meta, /<pdfaid:conformance>B<\/pdfaid:conformance>/);
    assert.match(meta, /<xmp:CreateDate>2026-05-31T09:15:00Z<\/xmp:CreateDate>/);
    assert.match(meta, /<xmp:ModifyDate>2026-05-31T09:15:00Z<\/xmp:ModifyDate>/);
    assert.ok(meta.includes("<rdf:li>Trường THPT Lê Quý Đôn – 'Đống Đa'</rdf:li>"));
    const raw = readFileSync(path).toString('latin1');
    assert.match(raw, /^%PDF-1\.7\n%\xff\xff\xff\xff/);
    assert.match(raw, /\/OutputIntents \[/);
    assert.match(raw, /\/S \/GTS_PDFA1/);
  });

  it('attaches the canonical XML as an associated file (AFRelationship Data), byte for byte', async () => {
    const { path } = await pdfOf('full');
    const list = run('pdfdetach', ['-list', path]);
    assert.match(list, /^1 embedded files$/m);
    assert.match(list, new RegExp(`^1: ${EMBEDDED_XML_NAME.replace('.', '\\.')}$`, 'm'));
    const out = join(dir, 'full.xml');
    run('pdfdetach', ['-save', '1', '-o', out, path]);
    assert.ok(readFileSync(out).equals(Buffer.from(hbsV1.serialize(fullSnapshot()), 'utf8')));
    const raw = readFileSync(path).toString('latin1');
    assert.match(raw, /\/AFRelationship \/Data/);
    assert.match(raw, /\/Subtype \/application#2Fxml/);
    assert.match(raw, /\/Type \/Catalog[^]*?\/AF \[\d+ 0 R\]|\/AF \[\d+ 0 R\][^]*?\/Type \/Catalog/);
  });

  it('embeds the XML it is given (e.g. a signed one) when it carries the snapshot', async () => {
    const signature = '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="sig-1"><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>';
    const signed = hbsV1.serialize(trickySnapshot()).replace('<Signatures/>', `<Signatures>${signature}</Signatures>`);
    const path = join(dir, 'signed.pdf');
    writeFileSync(path, await renderRecordPdf(trickySnapshot(), { xml: signed }));
    const out = join(dir, 'signed.xml');
    run('pdfdetach', ['-save', '1', '-o', out, path]);
    assert.equal(readFileSync(out, 'utf8'), signed);
  });

  it('shows the record in Vietnamese: name with diacritics, "8,5", Đ/CĐ, labels, footer', async () => {
    const text = squash(run('pdftotext', ['-layout', (await pdfOf('full')).path, '-']));
    for (const expected of [
      'HỌC BẠ', 'TRUNG HỌC PHỔ THÔNG', 'Trường THPT Chu Văn An'.toUpperCase(), 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Họ và tên: Nguyễn Thị Lan Anh', 'Ngày sinh: 15/03/2010', 'Giới tính: Nữ', 'Dân tộc: Kinh', 'Số định danh cá nhân: 001310012345',
      'Mã học sinh: 0100012345', 'Họ tên người giám hộ: Nguyễn Văn Đức',
      'Ngữ văn 7,9 8,5 8,3', 'Toán 10,0 9,5 9,7', 'Ngoại ngữ 1 (Tiếng Anh) 6,0 4,5 5,0 6,5', 'Giáo dục thể chất Đ CĐ Đ Đ',
      'Kết quả rèn luyện Khá Tốt Tốt', 'Kết quả học tập Đạt Chưa đạt Chưa đạt Đạt',
      'Kết quả lên lớp: Được lên lớp sau kiểm tra lại', 'Khen thưởng: Không', 'Tổng số buổi nghỉ học cả năm: 4',
      'Chăm ngoan, tích cực tham gia hoạt động của lớp.', 'GIÁO VIÊN CHỦ NHIỆM', 'HIỆU TRƯỞNG', 'Bùi Thị Hạnh',
      'Chốt dữ liệu lúc 2026-05-31T16:15:00+07:00', 'Trang 1/2', 'Trang 2/2',
    ]) {
      assert.ok(text.includes(expected), `missing: ${expected}`);
    }
    const sparse = squash(run('pdftotext', ['-layout', (await pdfOf('sparse')).path, '-']));
    assert.ok(sparse.includes('Giáo dục thể chất Miễn Miễn Miễn'));
    assert.ok(sparse.includes('Kết quả lên lớp: Được lên lớp'));
  });

  it('embeds only Tinos, subset, with a Unicode map', async () => {
    const fonts = run('pdffonts', [(await pdfOf('full')).path]).split('\n').slice(2).filter((l) => l.trim() !== '');
    assert.ok(fonts.length >= 3);
    for (const line of fonts) assert.match(line, /^[A-Z]{6}\+Tinos-\S+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\s/, line);
  });

  it('renders every page to an image', async () => {
    const { path } = await pdfOf('full');
    run('pdftoppm', ['-png', '-r', '80', path, join(dir, 'page')]);
    const pngs = readdirSync(dir).filter((f) => /^page-\d+\.png$/.test(f));
    assert.equal(pngs.length, 2);
    for (const f of pngs) assert.ok(readFileSync(join(dir, f)).subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')));
  });

  it('wraps and breaks pages for many subjects and very long comments: nothing outside the margins, nothing overlapping', async () => {
    const { path, r } = await pdfOf('long');
    const pages = Number(/^Pages:\s+(\d+)$/m.exec(run('pdfinfo', [path]))![1]);
    assert.ok(pages >= 4, `pages: ${pages}`);
    const text = squash(run('pdftotext', [path, '-']));
    assert.ok(text.includes(LONG_COMMENT_END), 'the end of the long subject comment is printed');
    assert.ok(text.includes(LONG_HOMEROOM_END), 'the end of the long homeroom comment is printed');
    assert.ok(text.includes('(tiếp theo)'), 'a split row names its subject again');
    assert.ok(text.includes(`Trang ${pages}/${pages}`));
    assert.ok(text.includes('Khen thưởng: Học sinh Giỏi'));

    const html = run('pdftotext', ['-bbox', path, '-']);
    const pageRe = /<page width="([\d.]+)" height="([\d.]+)">([^]*?)<\/page>/g;
    const wordRe = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">/g;
    let n = 0;
    for (const [, w, h, body] of html.matchAll(pageRe)) {
      n++;
      const words = [...body!.matchAll(wordRe)].map((m) => m.slice(1, 5).map(Number) as [number, number, number, number]);
      assert.ok(words.length > 0);
      for (const [x1, y1, x2, y2] of words) {
        assert.ok(x1 >= 25 * 72 / 25.4 - 1 && x2 <= Number(w) - 18 * 72 / 25.4 + 1, `page ${n}: word outside the side margins at x ${x1}–${x2}`);
        assert.ok(y1 >= 20 * 72 / 25.4 - 2 && y2 <= Number(h) - 10 * 72 / 25.4, `page ${n}: word outside the page body at y ${y1}–${y2}`);
      }
      for (let i = 0; i < words.length; i++) {
        for (let j = i + 1; j < words.length; j++) {
          const [a, b] = [words[i]!, words[j]!];
          const ix = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
          const iy = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
          assert.ok(ix <= 0.5 || iy <= 0.5, `page ${n}: words overlap at (${a.join(',')}) and (${b.join(',')})`);
        }
      }
    }
    assert.equal(n, pages);
    assert.equal(r.signatureBoxes.length, 2);
    for (const b of r.signatureBoxes) assert.equal(b.page, pages - 1, 'the signature boxes sit on the last page');
  });

  it('reports two separate signature boxes inside the page, homeroom left of principal', async () => {
    const { r } = await pdfOf('full');
    const [hr, p] = r.signatureBoxes;
    assert.equal(hr?.role, 'homeroom_teacher');
    assert.equal(p?.role, 'principal');
    for (const b of [hr!, p!]) {
      const [x1, y1, x2, y2] = b.rect;
      assert.ok(x1 > 0 && y1 > 0 && x2 < 595.28 && y2 < 841.89 && x2 - x1 >= 150 && y2 - y1 >= 75);
    }
    assert.ok(hr!.rect[2] < p!.rect[0]);
    assert.ok(p!.rect[3] - p!.rect[1] > hr!.rect[3] - hr!.rect[1], 'the principal box has room for the seal');
  });
});
