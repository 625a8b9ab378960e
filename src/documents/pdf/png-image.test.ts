import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { decodePng, inspectPng, PNG_MAX_BYTES, PngImageError } from './png-image.ts';
import { encodePng, opaqueTestPng, sealTestPng, signatureTestPng } from './test-png.ts';

/** A PNG from raw chunks, with correct CRCs unless told otherwise. */
function png(chunks: [string, Buffer][], opts: { badCrcAt?: number } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from('89504e470d0a1a0a', 'hex')];
  chunks.forEach(([type, data], i) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE((crc32(Buffer.concat([head.subarray(4), data])) ^ (opts.badCrcAt === i ? 1 : 0)) >>> 0, 0);
    parts.push(head, data, crc);
  });
  return Buffer.concat(parts);
}

function ihdr(width: number, height: number, depth: number, colourType: number, interlace = 0): Buffer {
  const b = Buffer.alloc(13);
  b.writeUInt32BE(width, 0);
  b.writeUInt32BE(height, 4);
  b.set([depth, colourType, 0, 0, interlace], 8);
  return b;
}

/** Rows of `bpp`-byte pixels with the given filter byte per row. */
function idat(width: number, height: number, bpp: number, pixel: (x: number, y: number) => number[], filter = 0): Buffer {
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(filter);
    const prev: number[] = [];
    const cur: number[] = [];
    for (let x = 0; x < width; x++) cur.push(...pixel(x, y));
    if (y > 0) for (let x = 0; x < width; x++) prev.push(...pixel(x, y - 1));
    cur.forEach((v, i) => rows.push(filter === 2 && y > 0 ? (v - prev[i]! + 256) & 0xff : filter === 1 && i >= bpp ? (v - cur[i - bpp]! + 256) & 0xff : v));
  }
  return deflateSync(Buffer.from(rows));
}

const rejects = (bytes: Buffer, pattern: RegExp) =>
  assert.throws(() => decodePng(bytes), (e: unknown) => e instanceof PngImageError && pattern.test(e.reason) && e.code === 'file.invalid', String(pattern));

describe('PNG images for signature blocks', () => {
  it('decodes the test signature and seal: size, physical size from pHYs, blue ink and red seal on transparent ground', () => {
    const sig = decodePng(signatureTestPng());
    assert.equal(sig.width, 360);
    assert.equal(sig.height, 140);
    assert.equal(sig.sizeMm, null);
    const seal = decodePng(sealTestPng());
    assert.ok(Math.abs(seal.sizeMm!.width - 36) < 0.1, `seal ${seal.sizeMm!.width} mm`);
    const opaque = (img: ReturnType<typeof decodePng>) => [...img.alpha.keys()].filter((p) => img.alpha[p] === 255);
    const inkOf = (img: ReturnType<typeof decodePng>) => opaque(img).map((p) => [img.rgb[3 * p]!, img.rgb[3 * p + 1]!, img.rgb[3 * p + 2]!] as const);
    assert.ok(inkOf(sig).length > 500 && inkOf(sig).every(([r, , b]) => b > 150 && r < 40), 'the signature is blue');
    assert.ok(inkOf(seal).length > 2000 && inkOf(seal).every(([r, g]) => r > 200 && g < 40), 'the seal is red');
    assert.equal(sig.alpha[0], 0, 'the corner is transparent');
    assert.deepEqual(inspectPng(sealTestPng()), { width: 300, height: 300, sha256: seal.sha256, sizeMm: seal.sizeMm });
  });

  it('undoes the scanline filters and reads every colour type with transparency', () => {
    const W = 20;
    const H = 18;
    const rgba = (x: number, y: number) => [x * 12, y * 13, (x * y) % 256, x < 10 ? 0 : 255];
    for (const filter of [0, 1, 2]) {
      const img = decodePng(png([['IHDR', ihdr(W, H, 8, 6)], ['IDAT', idat(W, H, 4, rgba, filter)], ['IEND', Buffer.alloc(0)]]));
      for (const [x, y] of [[0, 0], [13, 7], [19, 17]] as const) {
        const p = y * W + x;
        assert.deepEqual([img.rgb[3 * p], img.rgb[3 * p + 1], img.rgb[3 * p + 2], img.alpha[p]], rgba(x, y), `filter ${filter} at ${x},${y}`);
      }
    }
    const grey = decodePng(png([['IHDR', ihdr(W, H, 8, 4)], ['IDAT', idat(W, H, 2, (x) => [x * 10, x < 5 ? 0 : 200])], ['IEND', Buffer.alloc(0)]]));
    assert.deepEqual([grey.rgb[3 * 7], grey.rgb[3 * 7 + 2], grey.alpha[7], grey.alpha[2]], [70, 70, 200, 0]);
    const palette = Buffer.from([255, 0, 0, 0, 0, 255]);
    const indexed = decodePng(png([['IHDR', ihdr(W, H, 8, 3)], ['PLTE', palette], ['tRNS', Buffer.from([0])], ['IDAT', idat(W, H, 1, (x) => [x % 2])], ['IEND', Buffer.alloc(0)]]));
    assert.deepEqual([...indexed.rgb.subarray(0, 6)], [255, 0, 0, 0, 0, 255]);
    assert.deepEqual([indexed.alpha[0], indexed.alpha[1]], [0, 255]);
    const keyed = decodePng(png([['IHDR', ihdr(W, H, 8, 2)], ['tRNS', Buffer.from([0, 255, 0, 255, 0, 255])], ['IDAT', idat(W, H, 3, (x) => (x < 8 ? [255, 255, 255] : [0, 0, 200]))], ['IEND', Buffer.alloc(0)]]));
    assert.deepEqual([keyed.alpha[0], keyed.alpha[9]], [0, 255]);
  });

  it('refuses what is not a usable PNG, saying why', () => {
    const good = signatureTestPng();
    const end = png([['IEND', Buffer.alloc(0)]]).subarray(8);
    const body = (w: number, h: number, depth: number, type: number, interlace = 0) =>
      png([['IHDR', ihdr(w, h, depth, type, interlace)], ['IDAT', deflateSync(Buffer.alloc(h * (w * 4 + 1)))], ['IEND', Buffer.alloc(0)]]);
    rejects(Buffer.alloc(0), /empty file/);
    rejects(Buffer.from('GIF89a........'), /not a PNG file/);
    rejects(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), /not a PNG file/);
    rejects(good.subarray(0, good.length - 20), /truncated|IEND/);
    const flipped = Buffer.from(good);
    flipped[60] = flipped[60]! ^ 0xff; // inside the IDAT data (IHDR ends at 33, the IDAT data starts at 41)
    rejects(flipped, /bad CRC in chunk IDAT/);
    rejects(png([['IHDR', ihdr(20, 20, 8, 6)], ['IDAT', deflateSync(Buffer.alloc(20 * 81))], ['IEND', Buffer.alloc(0)]], { badCrcAt: 0 }), /bad CRC in chunk IHDR/);
    rejects(Buffer.concat([good.subarray(0, 8), end]), /IHDR chunk missing/);
    rejects(Buffer.concat([good, Buffer.alloc(PNG_MAX_BYTES)]), /image too large/);
    rejects(body(8, 40, 8, 6), /image size 8×40 px is not sane/);
    rejects(body(5000, 20, 8, 6), /image size 5000×20 px is not sane/);
    rejects(body(2500, 2500, 8, 6), /too many pixels/);
    rejects(body(20, 20, 16, 6), /only 8-bit PNG is accepted \(this one is 16-bit\)/);
    rejects(body(20, 20, 8, 5), /invalid PNG colour type 5/);
    rejects(body(20, 20, 8, 6, 1), /interlaced PNG is not accepted/);
    rejects(png([['IHDR', ihdr(20, 20, 8, 2)], ['IDAT', deflateSync(Buffer.alloc(20 * 61))], ['IEND', Buffer.alloc(0)]]), /must have a transparent background/);
    rejects(opaqueTestPng(), /background is not transparent/);
    rejects(png([['IHDR', ihdr(20, 20, 8, 6)], ['IDAT', Buffer.from('not deflate data')], ['IEND', Buffer.alloc(0)]]), /corrupt compressed image data/);
    rejects(png([['IHDR', ihdr(20, 20, 8, 6)], ['IDAT', deflateSync(Buffer.alloc(20 * 81 - 7))], ['IEND', Buffer.alloc(0)]]), /wrong length/);
    rejects(png([['IHDR', ihdr(20, 20, 8, 6)], ['IDAT', deflateSync(Buffer.alloc(20 * 81, 9))], ['IEND', Buffer.alloc(0)]]), /invalid scanline filter 9 on row 0/);
    rejects(png([['IHDR', ihdr(20, 20, 8, 3)], ['tRNS', Buffer.from([0])], ['IDAT', deflateSync(Buffer.alloc(20 * 21))], ['IEND', Buffer.alloc(0)]]), /palette image without a valid PLTE/);
    // A decompression bomb stops at the expected size instead of filling memory.
    rejects(png([['IHDR', ihdr(20, 20, 8, 6)], ['IDAT', deflateSync(Buffer.alloc(50 * 1024 * 1024))], ['IEND', Buffer.alloc(0)]]), /corrupt compressed image data|wrong length/);
  });

  it('encodes test PNGs deterministically', () => {
    assert.ok(signatureTestPng().equals(signatureTestPng()));
    assert.ok(sealTestPng().equals(sealTestPng()));
    assert.ok(!signatureTestPng(1).equals(signatureTestPng()));
    assert.equal(encodePng({ width: 16, height: 16, data: new Uint8Array(16 * 16 * 4) }).subarray(12, 16).toString('latin1'), 'IHDR');
  });
});
