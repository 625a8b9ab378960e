import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fullSnapshot, trickySnapshot } from '../hbs-xml/test-snapshots.ts';
import { PngImageError } from './png-image.ts';
import { renderRecordDocument, renderRecordPdf } from './render-record.ts';
import { SignatureBlockError, shortDn, type SignatureBlock } from './signature-blocks.ts';
import { longSnapshot, signatureBlocks } from './test-snapshots.ts';
import { opaqueTestPng, sealTestPng, signatureTestPng } from './test-png.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const TOOLS = ['pdftotext', 'pdfimages', 'pdftoppm', 'pdffonts', 'pdfinfo'];
const missing = TOOLS.filter((t) => spawnSync(t, ['-v']).error !== undefined);
const skipPoppler = missing.length > 0 && !process.env.CI ? `poppler-utils missing (${missing.join(', ')})` : false;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const squash = (s: string) => s.replace(/\s+/g, ' ');

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.error, undefined, `${cmd} could not run: ${String(r.error)}`);
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hocba-sig-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function write(name: string, blocks: SignatureBlock[] | undefined, s = fullSnapshot()): Promise<string> {
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, await renderRecordPdf(s, blocks ? { signatures: blocks } : {}));
  return path;
}

/** Colour pixels of one page (P6 PPM from pdftoppm). */
function rgbPage(pdf: string, page: number, dpi: number): { width: number; height: number; px: Buffer } {
  const out = join(dir, `rgb-${page}`);
  run('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', pdf, out]);
  const b = readFileSync(`${out}.ppm`);
  const m = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(b.subarray(0, 40).toString('latin1'))!;
  return { width: Number(m[1]), height: Number(m[2]), px: b.subarray(m[0].length) };
}

describe('signature blocks: what the reader sees', { skip: skipPoppler }, () => {
  it('prints subject signatures on their rows, the filled date line, names, times in ISO 8601 +07:00 and the seal', async () => {
    const s = fullSnapshot();
    const text = squash(run('pdftotext', ['-layout', await write('images', signatureBlocks(s, 'images')), '-']));
    for (const expected of [
      `${s.year.subjects[0]!.teacherName} Ký số: 2026-06-20T08:10:00+07:00`,
      'Ký số: Trần Văn Thay, 2026-06-20T09:11:00+07:00',
      'Nhận xét, họ tên và chữ kí của giáo viên',
      'Ngày 25 tháng 6 năm 2026',
      'Nguyễn Văn Bình',
      'Thời gian ký: 2026-06-24T10:00:00+07:00',
      'Thời gian ký: 2026-06-25T09:19:01+07:00',
      'Đóng dấu: Trường THPT Chu Văn An',
      'Thời gian ký: 2026-06-25T10:00:00+07:00',
    ]) {
      assert.ok(text.includes(expected), `missing: ${expected}`);
    }
    assert.equal((text.match(/Ký số:/g) ?? []).length, 3, 'one line per signed row');
    assert.ok(!text.includes('Ngày …… tháng'));
    const unsigned = squash(run('pdftotext', ['-layout', await write('unsigned', undefined), '-']));
    assert.ok(unsigned.includes('Ngày …… tháng …… năm ……'));
    assert.ok(!/Ký số|Thời gian ký|Ký bởi/.test(unsigned));
  });

  it('shows text blocks when there is no image, and "KT. HIỆU TRƯỞNG / PHÓ HIỆU TRƯỞNG" for a vice principal', async () => {
    const s = fullSnapshot();
    const pdf = await write('text', signatureBlocks(s, 'text'));
    const text = squash(run('pdftotext', ['-layout', pdf, '-']));
    for (const expected of ['KT. HIỆU TRƯỞNG', 'PHÓ HIỆU TRƯỞNG', 'Ngày 25 tháng 6 năm 2026', 'Ký bởi: Bùi Thị Hạnh', 'Vai trò: Giáo viên chủ nhiệm', 'Thời gian ký: 2026-06-24T10:00:00+07:00', 'Chứng thư số: Bùi Thị Hạnh', 'Cấp bởi: Hocba Test Issuing CA', 'Số sê-ri: 4f2a9c01d3', 'Ký bởi: Lê Thị Thu Hằng', '2026-06-25T01:30:00+07:00']) {
      assert.ok(text.includes(expected), `missing: ${expected}`);
    }
    // Only the seal is an image here.
    const images = run('pdfimages', ['-list', pdf]).split('\n').slice(2).filter((l) => l.trim());
    assert.deepEqual(images.map((l) => l.trim().split(/\s+/)[2]), ['image', 'smask']);
  });

  it('embeds each image once, as 8-bit RGB with a soft mask (its transparency), and only Tinos fonts', async () => {
    const s = fullSnapshot();
    const pdf = await write('images-list', signatureBlocks(s, 'images'));
    const rows = run('pdfimages', ['-list', pdf]).split('\n').slice(2).filter((l) => l.trim()).map((l) => l.trim().split(/\s+/));
    // page num type width height color comp bpc …
    assert.deepEqual(rows.map((r) => [r[0], r[2], r[3], r[4], r[5], r[6], r[7]]), [
      ['2', 'image', '360', '140', 'rgb', '3', '8'], ['2', 'smask', '360', '140', 'gray', '1', '8'],
      ['2', 'image', '360', '140', 'rgb', '3', '8'], ['2', 'smask', '360', '140', 'gray', '1', '8'],
      ['2', 'image', '300', '300', 'rgb', '3', '8'], ['2', 'smask', '300', '300', 'gray', '1', '8'],
    ]);
    const same = signatureBlocks(s, 'images').map((b) => (b.signatureImage ? { ...b, signatureImage: signatureTestPng() } : b));
    const uses = run('pdfimages', ['-list', await write('same-image', same)]).split('\n').slice(2).filter((l) => l.trim()).map((l) => l.trim().split(/\s+/));
    const objects = new Set(uses.filter((r) => r[2] === 'image').map((r) => r[10]));
    assert.equal(uses.length, 6, 'three stamps, each with its mask');
    assert.equal(objects.size, 2, 'the same signature stamped twice is one image object');
    for (const line of run('pdffonts', [pdf]).split('\n').slice(2).filter((l) => l.trim())) assert.match(line, /\+Tinos-\S+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    assert.match(run('pdfinfo', ['-meta', pdf]), /<pdfaid:part>3<\/pdfaid:part>/);
  });

  it('draws the signature blue and the seal red, the seal covering about the left third of the signature', async () => {
    const s = fullSnapshot();
    const blocks = signatureBlocks(s, 'images');
    const r = await renderRecordDocument(s, { signatures: blocks });
    const pdf = join(dir, 'colour.pdf');
    writeFileSync(pdf, r.pdf);
    const dpi = 72; // one pixel per point: page coordinates = pixels
    const { width, height, px } = rgbPage(pdf, 2, dpi);
    const principal = r.signatureBoxes.find((b) => b.role === 'principal')!;
    const [x1, , x2, y2] = principal.rect;
    const top = height - y2;
    const blue: number[] = [];
    const red: number[] = [];
    const redRows: number[] = [];
    for (let y = Math.floor(top) - 10; y < top + 120; y++) {
      for (let x = Math.floor(x1) - 40; x < Math.min(width, x2 + 40); x++) {
        const i = (y * width + x) * 3;
        const [R, G, B] = [px[i]!, px[i + 1]!, px[i + 2]!];
        if (B > 110 && R < 90 && G < 110) blue.push(x);
        if (R > 150 && G < 100 && B < 100) {
          red.push(x);
          redRows.push(y);
        }
      }
    }
    assert.ok(blue.length > 300, `blue ink of the principal's signature: ${blue.length} px`);
    assert.ok(red.length > 300, `red seal: ${red.length} px`);
    const [b0, b1, r0, r1] = [Math.min(...blue), Math.max(...blue), Math.min(...red), Math.max(...red)];
    const covered = (r1 - b0) / (b1 - b0);
    assert.ok(r0 < b0, 'the seal starts left of the signature');
    assert.ok(covered > 0.2 && covered < 0.45, `the seal covers ${(covered * 100).toFixed(0)}% of the signature width (about a third)`);
    const sealMm = ((Math.max(...redRows) - Math.min(...redRows)) / dpi) * 25.4;
    assert.ok(Math.abs(sealMm - 36) < 2, `the seal is shown at its real size (36 mm from pHYs): ${sealMm.toFixed(1)} mm`);
    // The homeroom teacher's signature (left column) is blue too, and nothing on page 1 is red.
    const homeroom = r.signatureBoxes.find((b) => b.role === 'homeroom_teacher')!;
    let leftBlue = 0;
    for (let y = Math.floor(height - homeroom.rect[3]); y < height - homeroom.rect[1]; y++) {
      for (let x = Math.floor(homeroom.rect[0]); x < homeroom.rect[2]; x++) {
        const i = (y * width + x) * 3;
        if (px[i + 2]! > 110 && px[i]! < 90) leftBlue++;
      }
    }
    assert.ok(leftBlue > 300, `homeroom signature: ${leftBlue} blue px`);
    const page1 = rgbPage(pdf, 1, 36).px;
    for (let i = 0; i < page1.length; i += 3) assert.ok(!(page1[i]! > 150 && page1[i + 1]! < 100), 'no colour on page 1');
  });

  it('keeps the signature boxes where they were before signing (for the PAdES widgets)', async () => {
    const s = fullSnapshot();
    const before = (await renderRecordDocument(s)).signatureBoxes;
    const signed = (await renderRecordDocument(s, { signatures: signatureBlocks(s, 'images').filter((b) => b.role !== 'subject_teacher') })).signatureBoxes;
    assert.deepEqual(signed, before);
  });
});

describe('signature blocks: same input, same bytes', () => {
  it('gives the same bytes twice, after other documents, and in a fresh process', async () => {
    const s = fullSnapshot();
    const a = await renderRecordPdf(s, { signatures: signatureBlocks(s, 'images') });
    await renderRecordPdf(longSnapshot());
    await renderRecordPdf(trickySnapshot(), { signatures: signatureBlocks(trickySnapshot(), 'text') });
    const b = await renderRecordPdf(fullSnapshot(), { signatures: signatureBlocks(fullSnapshot(), 'images') });
    assert.ok(a.equals(b));
    const code = [
      `const { renderRecordPdf } = await import(${JSON.stringify(fileURLToPath(new URL('./render-record.ts', import.meta.url)))});`,
      `const { fullSnapshot } = await import(${JSON.stringify(fileURLToPath(new URL('../hbs-xml/test-snapshots.ts', import.meta.url)))});`,
      `const { signatureBlocks } = await import(${JSON.stringify(fileURLToPath(new URL('./test-snapshots.ts', import.meta.url)))});`,
      `const { createHash } = await import('node:crypto');`,
      `const s = fullSnapshot();`,
      `process.stdout.write(createHash('sha256').update(await renderRecordPdf(s, { signatures: signatureBlocks(s, 'images') })).digest('hex'));`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, sha256(a));
  });

  it('the glyphs a document uses do not depend on the documents rendered before it (shared fonts)', async () => {
    // The long record uses letters whose glyphs the full record's subset builds from components.
    const alone = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', [
        `const { renderRecordPdf } = await import(${JSON.stringify(fileURLToPath(new URL('./render-record.ts', import.meta.url)))});`,
        `const { longSnapshot } = await import(${JSON.stringify(fileURLToPath(new URL('./test-snapshots.ts', import.meta.url)))});`,
        `const { createHash } = await import('node:crypto');`,
        `process.stdout.write(createHash('sha256').update(await renderRecordPdf(longSnapshot())).digest('hex'));`,
      ].join('\n')],
      { cwd: REPO, encoding: 'utf8' },
    );
    assert.equal(alone.status, 0, alone.stderr);
    await renderRecordPdf(fullSnapshot());
    assert.equal(sha256(await renderRecordPdf(longSnapshot())), alone.stdout);
  });
});

describe('signature blocks: refused with a clear reason', () => {
  const s = fullSnapshot();
  const homeroom = (extra: Partial<SignatureBlock>): SignatureBlock => ({ role: 'homeroom_teacher', fullName: 'Bùi Thị Hạnh', signedAt: '2026-06-24T03:00:00Z', ...extra });
  const principal: SignatureBlock = { role: 'principal', fullName: 'Nguyễn Văn Bình', signedAt: '2026-06-25T02:19:01Z' };
  const cases: [string, SignatureBlock[], typeof SignatureBlockError | typeof PngImageError, RegExp][] = [
    ['not a PNG', [homeroom({ signatureImage: Buffer.from('GIF89a not a png') })], PngImageError, /signature block 1 \(homeroom_teacher, Bùi Thị Hạnh\), signatureImage: .*not a PNG file/],
    ['opaque PNG', [homeroom({ signatureImage: opaqueTestPng() })], PngImageError, /signatureImage: .*background is not transparent/],
    ['too large', [homeroom({ signatureImage: Buffer.concat([signatureTestPng(), Buffer.alloc(1024 * 1024)]) })], PngImageError, /image too large/],
    ['bad seal', [principal, { role: 'school_seal', fullName: 'Trường', signedAt: '2026-06-25T03:00:00Z', sealImage: signatureTestPng().subarray(0, 100) }], PngImageError, /signature block 2 \(school_seal, Trường\), sealImage: .*truncated/],
    ['two homeroom blocks', [homeroom({}), homeroom({})], SignatureBlockError, /signature block 2 .*already signed/],
    ['principal and vice principal', [principal, { ...principal, role: 'vice_principal' }], SignatureBlockError, /signature block 2 \(vice_principal.*already signed/],
    ['unknown subject', [{ role: 'subject_teacher', fullName: 'A', signedAt: '2026-06-20T01:00:00Z', subjectCodes: ['NOPE'] }], SignatureBlockError, /subject "NOPE" is not a row of this record/],
    ['subject twice', [{ role: 'subject_teacher', fullName: 'A', signedAt: '2026-06-20T01:00:00Z', subjectCodes: [s.year.subjects[0]!.code] }, { role: 'subject_teacher', fullName: 'B', signedAt: '2026-06-20T01:00:00Z', subjectCodes: [s.year.subjects[0]!.code] }], SignatureBlockError, /already signed by another block/],
    ['subject teacher without rows', [{ role: 'subject_teacher', fullName: 'A', signedAt: '2026-06-20T01:00:00Z' }], SignatureBlockError, /must name its subject rows/],
    ['seal without principal', [{ role: 'school_seal', fullName: 'Trường', signedAt: '2026-06-25T03:00:00Z', sealImage: sealTestPng() }], SignatureBlockError, /principal or vice principal block is missing/],
    ['seal image on the principal', [{ ...principal, sealImage: sealTestPng() }], SignatureBlockError, /only the school seal block carries the seal image/],
    ['local time without a zone', [homeroom({ signedAt: '2026-06-24T10:00:00' })], SignatureBlockError, /signedAt "2026-06-24T10:00:00" is not an ISO 8601 instant with a time zone/],
    ['empty name', [homeroom({ fullName: '  ' })], SignatureBlockError, /fullName must be 1–300 characters/],
    ['unknown role', [{ ...principal, role: 'clerk' as never }], SignatureBlockError, /role must be one of/],
  ];
  for (const [name, blocks, type, message] of cases) {
    it(`refuses ${name}`, async () => {
      await assert.rejects(renderRecordPdf(s, { signatures: blocks }), (e: Error) => e instanceof type && message.test(e.message));
    });
  }

  it('takes the common name of a certificate name', () => {
    assert.equal(shortDn('CN=Nguyễn Văn A, O=Trường THPT X, C=VN'), 'Nguyễn Văn A');
    assert.equal(shortDn('C=VN, O=VNPT Group, CN=VNPT Certification Authority'), 'VNPT Certification Authority');
    assert.equal(shortDn('CN=Công ty A\\, B, C=VN'), 'Công ty A, B');
    assert.equal(shortDn('O=No common name'), 'O=No common name');
  });
});
