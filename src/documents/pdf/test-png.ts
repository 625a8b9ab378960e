/**
 * Small PNGs made in code for the tests (no image package, no binary fixtures): an encoder
 * (node:zlib + CRC-32), a blue handwritten-looking signature and a red round seal, both on a
 * transparent background as Decree 30/2020 asks. Deterministic: same call → same bytes.
 */
import { crc32, deflateSync } from 'node:zlib';

/** RGBA pixels, row by row, 4 bytes a pixel. */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes RGBA pixels as an 8-bit RGBA PNG (filter "none"); `dpi` writes a pHYs chunk. */
export function encodePng(img: Rgba, opts: { dpi?: number } = {}): Buffer {
  const { width, height, data } = img;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (opts.dpi) {
    const phys = Buffer.alloc(9);
    const ppm = Math.round(opts.dpi / 0.0254);
    phys.writeUInt32BE(ppm, 0);
    phys.writeUInt32BE(ppm, 4);
    phys[8] = 1;
    parts.push(chunk('pHYs', phys));
  }
  parts.push(chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** A transparent canvas with an anti-aliased round brush. */
class Canvas implements Rgba {
  readonly data: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8Array(width * height * 4);
  }

  /** A disc of `colour` (opaque at the centre, soft edge). */
  dot(cx: number, cy: number, r: number, colour: [number, number, number]): void {
    for (let y = Math.max(0, Math.floor(cy - r - 1)); y <= Math.min(this.height - 1, Math.ceil(cy + r + 1)); y++) {
      for (let x = Math.max(0, Math.floor(cx - r - 1)); x <= Math.min(this.width - 1, Math.ceil(cx + r + 1)); x++) {
        const cover = Math.max(0, Math.min(1, r + 0.5 - Math.hypot(x - cx, y - cy)));
        if (cover === 0) continue;
        const i = (y * this.width + x) * 4;
        const a = Math.round(cover * 255);
        if (a <= this.data[i + 3]!) continue;
        this.data.set([...colour, a], i);
      }
    }
  }

  /** A stroke along a parametric curve t ∈ [0, 1]. */
  stroke(f: (t: number) => [number, number], r: number, colour: [number, number, number], steps = 600): void {
    for (let k = 0; k <= steps; k++) {
      const [x, y] = f(k / steps);
      this.dot(x, y, r, colour);
    }
  }
}

const BLUE: [number, number, number] = [16, 48, 168];
const RED: [number, number, number] = [214, 24, 32];

// Drawing is slow next to rendering a page: each image is made once and copied out.
const made = new Map<string, Buffer>();
function once(key: string, make: () => Buffer): Buffer {
  let b = made.get(key);
  if (!b) made.set(key, (b = make()));
  return Buffer.from(b);
}

/** A blue scribbled signature, 360×140 px, transparent background. */
export function signatureTestPng(variant = 0): Buffer {
  return once(`signature-${variant}`, () => drawSignature(variant));
}

function drawSignature(variant: number): Buffer {
  const c = new Canvas(360, 140);
  const k = 1 + variant * 0.15;
  // A looping capital, a run of waves and an underline flourish.
  c.stroke((t) => [40 + 30 * Math.sin(t * 2 * Math.PI) * k, 70 - 45 * Math.cos(t * 2 * Math.PI)], 3, BLUE);
  c.stroke((t) => [60 + t * 230, 78 - 22 * Math.abs(Math.sin(t * 5.5 * Math.PI * k)) + t * 6], 2.6, BLUE);
  c.stroke((t) => [30 + t * 300, 112 - 14 * Math.sin(t * Math.PI)], 2.2, BLUE);
  return encodePng(c);
}

/** A red round seal, 300×300 px at 212 dpi (36 mm across), transparent background. */
export function sealTestPng(): Buffer {
  return once('seal', drawSeal);
}

function drawSeal(): Buffer {
  const size = 300;
  const c = new Canvas(size, size);
  const mid = size / 2;
  const ring = (radius: number, width: number) => c.stroke((t) => [mid + radius * Math.cos(t * 2 * Math.PI), mid + radius * Math.sin(t * 2 * Math.PI)], width, RED, 1400);
  ring(143, 4);
  ring(128, 2);
  ring(78, 2);
  // A five-pointed star in the middle, as on Vietnamese seals.
  const star = (t: number): [number, number] => {
    const k = Math.floor(t * 5) % 5;
    const u = t * 5 - Math.floor(t * 5);
    const p = (i: number) => [mid + 48 * Math.sin((i * 4 * Math.PI) / 5), mid - 48 * Math.cos((i * 4 * Math.PI) / 5)] as const;
    const [a, b] = [p(k), p(k + 1)];
    return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u];
  };
  c.stroke(star, 3, RED, 1500);
  // Beads around the band between the outer rings stand in for the lettering.
  for (let i = 0; i < 36; i++) {
    const t = (i / 36) * 2 * Math.PI;
    c.dot(mid + 106 * Math.cos(t), mid + 106 * Math.sin(t), 5, RED);
  }
  return encodePng(c, { dpi: 212 });
}

/** An opaque PNG (white background, no transparency): a signature image must refuse it. */
export function opaqueTestPng(): Buffer {
  const c = new Canvas(64, 32);
  c.data.fill(255);
  return encodePng(c);
}
