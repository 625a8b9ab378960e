/**
 * Puts a decoded PNG (png-image.ts) on a pdfkit page as an image XObject with a soft mask
 * (its alpha channel: PDF/A-3 allows transparency). Written synchronously, in call order,
 * so the bytes never depend on when a decoder finished; an image stamped twice in one
 * document is embedded once.
 */
import { deflateSync } from 'node:zlib';
import type { DecodedPng } from './png-image.ts';

type Doc = PDFKit.PDFDocument & { ref(data?: Record<string, unknown>): PDFKit.PDFKitReference & { end(chunk?: Uint8Array): void } };

/** What pdfkit's `image()` takes as an already-embedded image. */
interface EmbeddedImage {
  width: number;
  height: number;
  label: string;
  obj: unknown;
  embed(): void;
}

const perDocument = new WeakMap<object, Map<string, EmbeddedImage>>();
// The compressed samples of recent images: one principal's signature recurs on a whole batch.
const compressed = new Map<string, { rgb: Buffer; alpha: Buffer }>();
const COMPRESSED_KEEP = 16;

function compress(img: DecodedPng): { rgb: Buffer; alpha: Buffer } {
  let hit = compressed.get(img.sha256);
  if (!hit) {
    hit = { rgb: deflateSync(img.rgb, { level: 9 }), alpha: deflateSync(img.alpha, { level: 9 }) };
    if (compressed.size >= COMPRESSED_KEEP) compressed.delete(compressed.keys().next().value!);
    compressed.set(img.sha256, hit);
  }
  return hit;
}

function embed(doc: Doc, img: DecodedPng): EmbeddedImage {
  let images = perDocument.get(doc);
  if (!images) perDocument.set(doc, (images = new Map()));
  const known = images.get(img.sha256);
  if (known) return known;
  const data = compress(img);
  const mask = doc.ref({ Type: 'XObject', Subtype: 'Image', Width: img.width, Height: img.height, BitsPerComponent: 8, ColorSpace: 'DeviceGray', Filter: 'FlateDecode' });
  mask.end(data.alpha);
  const obj = doc.ref({ Type: 'XObject', Subtype: 'Image', Width: img.width, Height: img.height, BitsPerComponent: 8, ColorSpace: 'DeviceRGB', Filter: 'FlateDecode', SMask: mask });
  obj.end(data.rgb);
  const e: EmbeddedImage = { width: img.width, height: img.height, label: `Stamp${images.size + 1}`, obj, embed: () => undefined };
  images.set(img.sha256, e);
  return e;
}

/** Draws the image with its top-left corner at (x, y), `width` × `height` points (pdfkit's top-left coordinates). */
export function stampImage(doc: PDFKit.PDFDocument, img: DecodedPng, x: number, y: number, width: number, height: number): void {
  doc.image(embed(doc as Doc, img) as unknown as Buffer, x, y, { width, height });
}

/** The largest size with the image's aspect ratio that fits in `maxWidth` × `maxHeight`. */
export function fitImage(img: { width: number; height: number }, maxWidth: number, maxHeight: number): { width: number; height: number } {
  const scale = Math.min(maxWidth / img.width, maxHeight / img.height);
  return { width: img.width * scale, height: img.height * scale };
}
