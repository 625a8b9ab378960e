/**
 * The PNG images stamped on signature blocks (Decree 30/2020, appendix I): a signer's
 * handwritten signature in blue and the school's seal in red, both PNG with a transparent
 * background. Read and checked here, strictly (CRCs, one IHDR, 8-bit, not interlaced, a real
 * transparent background, sane dimensions), and decoded synchronously to RGB + alpha so the
 * PDF gets its image XObject and soft mask without pdfkit's asynchronous PNG decoding (which
 * would let two images finish in either order and change the bytes).
 */
import { createHash } from 'node:crypto';
import { crc32, inflateSync } from 'node:zlib';
import { DomainError } from '../../domain/errors.ts';

/** Largest accepted PNG file. */
export const PNG_MAX_BYTES = 1024 * 1024;
/** Smallest and largest accepted side, in pixels. */
export const PNG_MIN_SIDE = 16;
export const PNG_MAX_SIDE = 4000;
/** Largest accepted pixel count (bounds the decoded size: 4 bytes a pixel). */
export const PNG_MAX_PIXELS = 4_000_000;

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG that cannot be used; `reason` says what is wrong, in Vietnamese and English. */
export class PngImageError extends DomainError {
  constructor(readonly reason: string) {
    super('file.invalid', { reason });
    this.name = 'PngImageError';
  }
}

/** What the header says, for storing and showing an uploaded image. */
export interface PngInfo {
  width: number;
  height: number;
  /** sha256 (hex) of the file bytes. */
  sha256: string;
  /** Physical size from the pHYs chunk, when the file gives one in pixels per metre. */
  sizeMm: { width: number; height: number } | null;
}

/** A decoded PNG: 8-bit RGB samples and an 8-bit alpha channel, row by row. */
export interface DecodedPng extends PngInfo {
  rgb: Buffer;
  alpha: Buffer;
}

interface Chunk {
  type: string;
  data: Buffer;
}

function fail(vi: string, en: string): never {
  throw new PngImageError(`${vi} / ${en}`);
}

function readChunks(bytes: Uint8Array): Chunk[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length === 0) fail('tệp rỗng', 'empty file');
  if (b.length > PNG_MAX_BYTES) fail(`ảnh quá lớn (${b.length} byte, tối đa ${PNG_MAX_BYTES})`, `image too large (${b.length} bytes, at most ${PNG_MAX_BYTES})`);
  if (b.length < 8 || !b.subarray(0, 8).equals(SIGNATURE)) fail('không phải tệp PNG (sai chữ ký đầu tệp)', 'not a PNG file (wrong signature bytes)');
  const chunks: Chunk[] = [];
  let at = 8;
  while (at < b.length) {
    if (at + 12 > b.length) fail(`tệp PNG bị cắt cụt ở byte ${at}`, `truncated PNG at byte ${at}`);
    const length = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) fail(`khối PNG không hợp lệ ở byte ${at}`, `invalid PNG chunk type at byte ${at}`);
    if (at + 12 + length > b.length) fail(`khối ${type} bị cắt cụt ở byte ${at}`, `chunk ${type} truncated at byte ${at}`);
    const data = b.subarray(at + 8, at + 8 + length);
    if (crc32(b.subarray(at + 4, at + 8 + length)) !== b.readUInt32BE(at + 8 + length)) {
      fail(`sai mã kiểm tra CRC của khối ${type} ở byte ${at} (tệp hỏng)`, `bad CRC in chunk ${type} at byte ${at} (corrupt file)`);
    }
    chunks.push({ type, data });
    at += 12 + length;
    if (type === 'IEND') break;
  }
  if (chunks[0]?.type !== 'IHDR') fail('thiếu khối IHDR ở đầu', 'IHDR chunk missing at the start');
  if (chunks.at(-1)?.type !== 'IEND') fail('thiếu khối IEND (tệp bị cắt cụt)', 'IEND chunk missing (truncated file)');
  return chunks;
}

interface Header {
  width: number;
  height: number;
  colourType: number;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function readHeader(ihdr: Buffer): Header {
  if (ihdr.length !== 13) fail('khối IHDR sai độ dài', 'IHDR chunk has the wrong length');
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const [depth, colourType, compression, filter, interlace] = [ihdr[8]!, ihdr[9]!, ihdr[10]!, ihdr[11]!, ihdr[12]!];
  for (const [side, v] of [['rộng', width], ['cao', height]] as const) {
    if (v < PNG_MIN_SIDE || v > PNG_MAX_SIDE) {
      fail(`kích thước ảnh ${width}×${height} px không hợp lý (mỗi chiều ${PNG_MIN_SIDE}–${PNG_MAX_SIDE} px; chiều ${side})`, `image size ${width}×${height} px is not sane (each side ${PNG_MIN_SIDE}–${PNG_MAX_SIDE} px)`);
    }
  }
  if (width * height > PNG_MAX_PIXELS) fail(`ảnh quá nhiều điểm ảnh (${width}×${height}, tối đa ${PNG_MAX_PIXELS})`, `too many pixels (${width}×${height}, at most ${PNG_MAX_PIXELS})`);
  if (!(colourType in CHANNELS)) fail(`kiểu màu PNG ${colourType} không hợp lệ`, `invalid PNG colour type ${colourType}`);
  if (depth !== 8) fail(`chỉ nhận PNG 8 bit mỗi kênh (tệp này ${depth} bit)`, `only 8-bit PNG is accepted (this one is ${depth}-bit)`);
  if (compression !== 0 || filter !== 0) fail('phương pháp nén hoặc lọc PNG không hợp lệ', 'invalid PNG compression or filter method');
  if (interlace !== 0) fail('không nhận PNG xen kẽ (interlaced): hãy lưu lại không xen kẽ', 'interlaced PNG is not accepted: save it non-interlaced');
  return { width, height, colourType };
}

function physicalSize(chunks: Chunk[], width: number, height: number): PngInfo['sizeMm'] {
  const phys = chunks.find((c) => c.type === 'pHYs');
  if (!phys || phys.data.length !== 9 || phys.data[8] !== 1) return null;
  const [x, y] = [phys.data.readUInt32BE(0), phys.data.readUInt32BE(4)];
  if (x === 0 || y === 0) return null;
  return { width: (width / x) * 1000, height: (height / y) * 1000 };
}

/** Reads and checks the header of a PNG without decoding its pixels (see `decodePng` for the full check). */
export function inspectPng(bytes: Uint8Array): PngInfo {
  const chunks = readChunks(bytes);
  const h = readHeader(chunks[0]!.data);
  return { width: h.width, height: h.height, sha256: createHash('sha256').update(bytes).digest('hex'), sizeMm: physicalSize(chunks, h.width, h.height) };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undoes the PNG scanline filters in place; returns the raw samples without the filter bytes. */
function unfilter(data: Buffer, width: number, height: number, bpp: number): Buffer {
  const stride = width * bpp;
  if (data.length !== height * (stride + 1)) fail(`dữ liệu ảnh sai độ dài (${data.length} byte, cần ${height * (stride + 1)})`, `image data has the wrong length (${data.length} bytes, expected ${height * (stride + 1)})`);
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = data[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    const prev = row - stride;
    for (let i = 0; i < stride; i++) {
      const x = data[src + i]!;
      const a = i >= bpp ? out[row + i - bpp]! : 0;
      const b = y > 0 ? out[prev + i]! : 0;
      const c = i >= bpp && y > 0 ? out[prev + i - bpp]! : 0;
      let v: number;
      switch (filter) {
        case 0: v = x; break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + ((a + b) >> 1); break;
        case 4: v = x + paeth(a, b, c); break;
        default: fail(`bộ lọc dòng ${filter} không hợp lệ ở dòng ${y}`, `invalid scanline filter ${filter} on row ${y}`);
      }
      out[row + i] = v & 0xff;
    }
  }
  return out;
}

/**
 * Reads, checks and decodes a PNG to RGB + alpha. Refuses (PngImageError, naming the
 * problem) anything but an 8-bit, non-interlaced PNG of sane size whose background is
 * transparent: an alpha channel or a tRNS chunk, and at least a tenth of the pixels fully
 * transparent (a scan on white paper would hide what it is stamped over).
 */
export function decodePng(bytes: Uint8Array): DecodedPng {
  const chunks = readChunks(bytes);
  const h = readHeader(chunks[0]!.data);
  const { width, height, colourType } = h;
  const plte = chunks.find((c) => c.type === 'PLTE')?.data;
  const trns = chunks.find((c) => c.type === 'tRNS')?.data;
  if (colourType === 3 && (!plte || plte.length % 3 !== 0 || plte.length === 0)) fail('ảnh dùng bảng màu nhưng thiếu khối PLTE', 'palette image without a valid PLTE chunk');
  if ((colourType === 4 || colourType === 6) && trns) fail('khối tRNS không được dùng cùng kênh alpha', 'tRNS chunk is not allowed with an alpha channel');
  if (colourType !== 4 && colourType !== 6 && !trns) fail('ảnh phải có nền trong suốt (PNG có kênh alpha)', 'the image must have a transparent background (PNG with alpha)');
  const idat = chunks.filter((c) => c.type === 'IDAT');
  if (idat.length === 0) fail('thiếu dữ liệu ảnh (IDAT)', 'no image data (IDAT)');
  const bpp = CHANNELS[colourType]!;
  let inflated: Buffer;
  try {
    inflated = inflateSync(Buffer.concat(idat.map((c) => c.data)), { maxOutputLength: height * (width * bpp + 1) + 1 });
  } catch {
    fail('dữ liệu ảnh nén bị hỏng', 'corrupt compressed image data');
  }
  const raw = unfilter(inflated, width, height, bpp);
  const n = width * height;
  const rgb = Buffer.alloc(n * 3);
  const alpha = Buffer.alloc(n);
  for (let p = 0; p < n; p++) {
    let r: number, g: number, b: number, a: number;
    switch (colourType) {
      case 0: {
        r = g = b = raw[p]!;
        a = trns && trns.length >= 2 && trns.readUInt16BE(0) === r ? 0 : 255;
        break;
      }
      case 2: {
        [r, g, b] = [raw[3 * p]!, raw[3 * p + 1]!, raw[3 * p + 2]!];
        a = trns && trns.length >= 6 && trns.readUInt16BE(0) === r && trns.readUInt16BE(2) === g && trns.readUInt16BE(4) === b ? 0 : 255;
        break;
      }
      case 3: {
        const i = raw[p]!;
        if (3 * i + 2 >= plte!.length) fail(`chỉ số màu ${i} nằm ngoài bảng màu`, `palette index ${i} out of range`);
        [r, g, b] = [plte![3 * i]!, plte![3 * i + 1]!, plte![3 * i + 2]!];
        a = i < trns!.length ? trns![i]! : 255;
        break;
      }
      case 4: {
        r = g = b = raw[2 * p]!;
        a = raw[2 * p + 1]!;
        break;
      }
      default: {
        [r, g, b, a] = [raw[4 * p]!, raw[4 * p + 1]!, raw[4 * p + 2]!, raw[4 * p + 3]!];
      }
    }
    rgb[3 * p] = r;
    rgb[3 * p + 1] = g;
    rgb[3 * p + 2] = b;
    alpha[p] = a;
  }
  let clear = 0;
  for (let p = 0; p < n; p++) if (alpha[p] === 0) clear++;
  if (clear < n / 10) fail('nền ảnh chưa trong suốt (quá ít điểm ảnh trong suốt)', 'the background is not transparent (too few transparent pixels)');
  return { width, height, sha256: createHash('sha256').update(bytes).digest('hex'), sizeMm: physicalSize(chunks, width, height), rgb, alpha };
}
