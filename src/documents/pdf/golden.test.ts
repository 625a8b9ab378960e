/**
 * Golden images: fixed records rendered to PDF, rasterised by poppler (`pdftoppm -r 60
 * -gray`, PGM) and compared with the reference pages in test/fixtures/golden/*.pgm.gz. What
 * text extraction cannot see — a blank or wrong glyph, a lost diacritic, a moved box, a
 * missing signature image — changes pixels. `HOCBA_UPDATE_GOLDEN=1 npm test -- golden`
 * rewrites the references (look at them before committing: see docs/pdf.md).
 *
 * Tolerance: at 60 dpi one Vietnamese diacritic is only a handful of pixels, so the limits
 * are a few pixels per page: they absorb rounding noise, not a changed letter (the last
 * test proves a one-mark change in the name fails). A poppler upgrade that re-rasterises
 * differently means regenerating the references.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fullSnapshot } from '../hbs-xml/test-snapshots.ts';
import type { RecordSnapshot } from '../../domain/record/snapshot.ts';
import { renderRecordPdf, type RenderRecordOptions } from './render-record.ts';
import { signatureBlocks } from './test-snapshots.ts';

const GOLDEN = fileURLToPath(new URL('../../../test/fixtures/golden/', import.meta.url));
const UPDATE = process.env.HOCBA_UPDATE_GOLDEN === '1';
const missing = spawnSync('pdftoppm', ['-v']).error !== undefined;
const skip = missing && !process.env.CI ? 'pdftoppm missing: apt-get install -y poppler-utils' : false;

/** A pixel "differs" when its grey level moves by more than this (of 255). */
const PIXEL_THRESHOLD = 24;
/** At most this fraction of a page's pixels may differ (≈ 2 pixels of a 497 × 702 page). */
const MAX_DIFF_FRACTION = 6e-6;
/** Mean absolute difference over a page, in grey levels. */
const MAX_MEAN_DIFF = 0.01;

interface Gray {
  width: number;
  height: number;
  pixels: Buffer;
}

function parsePgm(b: Buffer, what: string): Gray {
  const m = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(b.subarray(0, 40).toString('latin1'));
  assert.ok(m, `${what} is not an 8-bit binary PGM`);
  const [width, height] = [Number(m[1]), Number(m[2])];
  const pixels = b.subarray(m[0].length);
  assert.equal(pixels.length, width * height, `${what}: ${pixels.length} bytes of pixels for ${width}×${height}`);
  return { width, height, pixels };
}

/** Mean absolute difference and the fraction of pixels that differ by more than PIXEL_THRESHOLD. */
function compareGray(a: Gray, b: Gray): { meanDiff: number; diffFraction: number; differing: number } {
  assert.deepEqual([b.width, b.height], [a.width, a.height], 'page sizes differ');
  let sum = 0;
  let differing = 0;
  for (let i = 0; i < a.pixels.length; i++) {
    const d = Math.abs(a.pixels[i]! - b.pixels[i]!);
    sum += d;
    if (d > PIXEL_THRESHOLD) differing++;
  }
  return { meanDiff: sum / a.pixels.length, diffFraction: differing / a.pixels.length, differing };
}

const withinTolerance = (c: ReturnType<typeof compareGray>) => c.diffFraction <= MAX_DIFF_FRACTION && c.meanDiff <= MAX_MEAN_DIFF;

const VERIFICATION = { url: 'https://hocba.example.vn/verify/7KQ2-M9XD', code: '7KQ2-M9XD' };

/** The fixed records of the golden set. */
const CASES: Record<string, () => [RecordSnapshot, RenderRecordOptions]> = {
  unsigned: () => [fullSnapshot(), { verification: VERIFICATION }],
  'signed-images': () => {
    const s = fullSnapshot();
    return [s, { verification: VERIFICATION, signatures: signatureBlocks(s, 'images') }];
  },
  'signed-text': () => {
    const s = fullSnapshot();
    return [s, { signatures: signatureBlocks(s, 'text') }];
  },
};

let dir = '';
let n = 0;
async function rasterise(snapshot: RecordSnapshot, opts: RenderRecordOptions): Promise<Gray[]> {
  const base = join(dir, `r${++n}`);
  writeFileSync(`${base}.pdf`, await renderRecordPdf(snapshot, opts));
  const r = spawnSync('pdftoppm', ['-r', '60', '-gray', `${base}.pdf`, base], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pdftoppm failed: ${r.stderr}`);
  const prefix = `r${n}-`;
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.pgm'))
    .sort()
    .map((f) => parsePgm(readFileSync(join(dir, f)), f));
}

const referencePath = (name: string, page: number) => join(GOLDEN, `${name}-p${page}.pgm.gz`);
const toPgm = (g: Gray) => Buffer.concat([Buffer.from(`P5\n${g.width} ${g.height}\n255\n`, 'latin1'), g.pixels]);

function reference(name: string, page: number): Gray {
  let gz: Buffer;
  try {
    gz = readFileSync(referencePath(name, page));
  } catch {
    assert.fail(`no golden image ${referencePath(name, page)}: run HOCBA_UPDATE_GOLDEN=1 npm test -- golden, look at the pages, commit them`);
  }
  return parsePgm(gunzipSync(gz), `${name} page ${page}`);
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hocba-golden-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('record PDF golden images (pdftoppm -r 60 -gray)', { skip }, () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(`${name}: every page matches its reference`, async () => {
      const pages = await rasterise(...make());
      if (UPDATE) {
        mkdirSync(GOLDEN, { recursive: true });
        for (const f of readdirSync(GOLDEN).filter((f) => f.startsWith(`${name}-p`))) rmSync(join(GOLDEN, f));
        pages.forEach((g, i) => writeFileSync(referencePath(name, i + 1), gzipSync(toPgm(g), { level: 9 })));
      }
      const expectedPages = readdirSync(GOLDEN).filter((f) => f.startsWith(`${name}-p`) && f.endsWith('.pgm.gz')).length;
      assert.equal(pages.length, expectedPages, `${name}: ${pages.length} pages rendered, ${expectedPages} in the golden set`);
      pages.forEach((g, i) => {
        const c = compareGray(reference(name, i + 1), g);
        assert.ok(withinTolerance(c), `${name} page ${i + 1}: ${c.differing} pixels differ (${c.diffFraction.toExponential(2)} > ${MAX_DIFF_FRACTION}) or mean difference ${c.meanDiff.toFixed(4)} > ${MAX_MEAN_DIFF}`);
      });
    });
  }

  it('signatures change the subject table and the signature area, not the heading or identity', async () => {
    const unsigned = [reference('unsigned', 1), reference('unsigned', 2)];
    const signed = [reference('signed-images', 1), reference('signed-images', 2)];
    for (const i of [0, 1]) assert.ok(!withinTolerance(compareGray(unsigned[i]!, signed[i]!)), `page ${i + 1} shows the signatures`);
    // The top of page 1 (heading and identity block, 300 of 702 rows) is pixel for pixel the same.
    const top = (g: Gray) => ({ ...g, height: 300, pixels: g.pixels.subarray(0, g.width * 300) });
    assert.equal(compareGray(top(unsigned[0]!), top(signed[0]!)).differing, 0);
  });

  it('a single wrong Vietnamese diacritic in the name exceeds the tolerance', async () => {
    const expected = reference('unsigned', 1);
    for (const [from, to] of [['Nguyễn', 'Nguyên'], ['Thị', 'Thi']] as const) {
      const s = fullSnapshot();
      assert.ok(s.identity.fullName.includes(from));
      s.identity.fullName = s.identity.fullName.replace(from, to);
      const [page1] = await rasterise(s, { verification: VERIFICATION });
      const c = compareGray(expected, page1!);
      assert.ok(!withinTolerance(c), `${from} → ${to} went unnoticed: ${c.differing} differing pixels, mean ${c.meanDiff.toFixed(4)}`);
    }
  });
});
