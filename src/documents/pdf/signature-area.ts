/**
 * The signature area at the end of the record: the homeroom teacher (left) and the
 * principal — or a vice principal "KT. HIỆU TRƯỞNG / PHÓ HIỆU TRƯỞNG" — with the school seal
 * (right), laid out as Decree 30/2020 (appendix I) shows a digitally signed document: the
 * blue signature image centred under the title, the red seal covering about a third of it on
 * its left, the signing time in ISO 8601 with +07:00 in Times (Tinos) 10 pt. A block without
 * an image becomes a short text block (signer, role, time, certificate). Unsigned places keep
 * an empty dashed box, whose position the PAdES visible signature can use.
 */
import type { RecordSnapshot } from '../../domain/record/snapshot.ts';
import type { FontFace } from './fonts.ts';
import { SIGNATURE_ROLE_LABELS, shortDn, type PreparedSignature, type PreparedSignatures } from './signature-blocks.ts';
import type { Sheet } from './sheet.ts';
import { fitImage, stampImage } from './stamp-image.ts';

const BODY = 11;
/** Decree 30/2020: the signing information in Times New Roman 10 pt. */
const INFO = 10;
const MM = 72 / 25.4;
/** A seal image without a physical size (pHYs) is shown 36 mm across, a usual school seal. */
const DEFAULT_SEAL_MM = 36;

/** A signature box as drawn, in pdfkit's top-left coordinates. */
export interface DrawnBox {
  role: 'homeroom_teacher' | 'principal';
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

interface TextLine {
  text: string;
  face: FontFace;
  size: number;
}

interface Column {
  role: DrawnBox['role'];
  heads: (TextLine | null)[];
  box: { width: number; height: number };
  block: PreparedSignature | null;
  seal: PreparedSignature | null;
  below: TextLine[];
}

const line = (text: string, face: FontFace = 'regular', size = INFO): TextLine => ({ text, face, size });

/** The lines of a text block: who, role, when, certificate. */
function textBlockLines(s: PreparedSignature): string[] {
  const out = [`Ký bởi: ${s.fullName}`, `Vai trò: ${SIGNATURE_ROLE_LABELS[s.role]}`, `Thời gian ký: ${s.time}`];
  if (s.certificate) {
    out.push(`Chứng thư số: ${shortDn(s.certificate.subject)}`, `Cấp bởi: ${shortDn(s.certificate.issuer)}`, `Số sê-ri: ${s.certificate.serial}`);
  }
  return out;
}

/** Cuts a line to `width` with an ellipsis (only a single word wider than the box is ever cut). */
function fitLine(sheet: Sheet, text: string, width: number, face: FontFace, size: number): string {
  if (sheet.textWidth(text, face, size) <= width) return text;
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (sheet.textWidth(`${chars.slice(0, mid).join('')}…`, face, size) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('')}…`;
}

function currentPage(sheet: Sheet): number {
  const r = sheet.doc.bufferedPageRange();
  return r.start + r.count - 1;
}

/** The seal's size on the page: its real size when the PNG says it (pHYs), else 36 mm, never taller than the box. */
function sealSize(seal: NonNullable<PreparedSignature['sealImage']>, boxHeight: number): { width: number; height: number } {
  const mm = seal.sizeMm ? Math.max(seal.sizeMm.width, seal.sizeMm.height) : DEFAULT_SEAL_MM;
  const side = Math.min(Math.max(mm, 20) * MM, boxHeight + 6);
  return fitImage(seal, side, side);
}

/** Draws the content of a signed box: image(s) or text block, and the seal over the left third. */
function drawSigned(sheet: Sheet, col: Column, colX: number, colW: number, bx: number, by: number): void {
  const { width: bw, height: bh } = col.box;
  const block = col.block!;
  const sealImg = col.seal?.sealImage ?? null;
  const seal = sealImg ? sealSize(sealImg, bh) : null;
  const midY = by + bh / 2;
  // The area the seal covers a third of: the signature image, or the text block (the box).
  let area: { x: number; width: number };
  if (block.signatureImage) {
    let sig = fitImage(block.signatureImage, bw * 0.86, bh * 0.8);
    if (seal) {
      // Seal + the two thirds of the signature it leaves visible must fit in the column.
      const room = 1.5 * (colW - 8 - seal.width);
      if (sig.width > room) sig = fitImage(block.signatureImage, room, bh * 0.8);
      const groupW = Math.max(seal.width, sig.width / 3) + (2 / 3) * sig.width;
      const left = colX + (colW - groupW) / 2;
      area = { x: left + Math.max(seal.width, sig.width / 3) - sig.width / 3, width: sig.width };
    } else {
      area = { x: colX + (colW - sig.width) / 2, width: sig.width };
    }
    stampImage(sheet.doc, block.signatureImage, area.x, midY - sig.height / 2, sig.width, sig.height);
  } else {
    area = { x: bx, width: bw };
    const pad = 5;
    const lh = sheet.lineHeight(INFO);
    const textX = seal ? bx + bw / 3 + pad : bx + pad; // clear of the seal, which covers the left third
    const width = bx + bw - pad - textX;
    // Wrapped, and cut from the end (serial first) when the box is full; who, role and time always fit.
    const room = Math.floor((bh - 2 * pad) / lh);
    const lines: string[] = [];
    for (const l of textBlockLines(block)) {
      const wrapped = sheet.wrap(l, width, 'regular', INFO).map((w) => fitLine(sheet, w, width, 'regular', INFO));
      if (lines.length + wrapped.length > room) break;
      lines.push(...wrapped);
    }
    const top = midY - (lines.length * lh) / 2;
    sheet.doc.lineWidth(0.5).strokeColor('#5b6b8c').rect(bx, by, bw, bh).stroke();
    lines.forEach((l, i) => sheet.put(l, textX, top + i * lh, 'regular', INFO));
  }
  if (sealImg && seal) {
    // Decree 30: the seal covers about one third of the signature, on its left; drawn last, on top.
    stampImage(sheet.doc, sealImg, area.x + area.width / 3 - seal.width, midY - seal.height / 2, seal.width, seal.height);
  }
}

/**
 * The two signature columns. With no signature the boxes are empty and dashed (as before);
 * with some, each signed box shows its signer. Returns the boxes (for the visible PAdES
 * signatures), at the same place whether signed or not.
 */
export function drawSignatureArea(sheet: Sheet, s: RecordSnapshot, sig: PreparedSignatures): DrawnBox[] {
  const lh = sheet.lineHeight(BODY);
  const colW = sheet.width / 2;
  const leader = sig.leader;
  const leaderTitle = leader?.role === 'vice_principal' ? ['KT. HIỆU TRƯỞNG', 'PHÓ HIỆU TRƯỞNG'] : ['HIỆU TRƯỞNG'];
  const infoBelow = (b: PreparedSignature | null): TextLine[] => (b?.signatureImage ? [line(`Thời gian ký: ${b.time}`)] : []);
  const columns: Column[] = [
    {
      role: 'homeroom_teacher',
      heads: [null, line('GIÁO VIÊN CHỦ NHIỆM', 'bold', BODY), line('(Kí và ghi rõ họ tên)', 'italic')],
      box: { width: 190, height: 84 },
      block: sig.homeroom,
      seal: null,
      below: [line(sig.homeroom?.fullName ?? s.year.homeroom.teacherName, 'bold', BODY), ...infoBelow(sig.homeroom)],
    },
    {
      role: 'principal',
      heads: [line(leader ? leader.dateLine : 'Ngày …… tháng …… năm ……', 'italic', BODY), ...leaderTitle.map((t) => line(t, 'bold', BODY)), line('(Kí, ghi rõ họ tên và đóng dấu)', 'italic')],
      box: { width: 220, height: 110 },
      block: leader,
      seal: sig.seal,
      below: [
        ...(leader ? [line(leader.fullName, 'bold', BODY), ...infoBelow(leader)] : []),
        ...(sig.seal ? [line(`Đóng dấu: ${sig.seal.fullName}`), line(`Thời gian ký: ${sig.seal.time}`)] : []),
        ...(sig.seal && !sig.seal.sealImage && sig.seal.certificate ? [line(`Chứng thư số: ${shortDn(sig.seal.certificate.subject)}`)] : []),
      ],
    },
  ];
  const headLines = Math.max(...columns.map((c) => c.heads.length));
  for (const c of columns) while (c.heads.length < headLines) c.heads.unshift(null);
  const belowHeight = (c: Column) => 5 + c.below.reduce((h, l) => h + sheet.lineHeight(l.size), 0);
  const height = headLines * lh + 4 + Math.max(...columns.map((c) => c.box.height + belowHeight(c)));
  sheet.ensure(height + 10);

  const top = sheet.y;
  const page = currentPage(sheet);
  const boxes: DrawnBox[] = [];
  let bottom = top;
  columns.forEach((c, i) => {
    const x = sheet.box.left + i * colW;
    let y = top;
    for (const h of c.heads) {
      if (h) sheet.putCentred(h.text, x, colW, y, h.face, h.size);
      y += lh;
    }
    y += 4;
    const bx = x + (colW - c.box.width) / 2;
    if (c.block) drawSigned(sheet, c, x, colW, bx, y);
    else sheet.doc.lineWidth(0.5).strokeColor('#9a9a9a').dash(2, { space: 2 }).rect(bx, y, c.box.width, c.box.height).stroke().undash();
    boxes.push({ role: c.role, page, x: bx, y, width: c.box.width, height: c.box.height });
    y += c.box.height + 5;
    for (const l of c.below) {
      sheet.putCentred(fitLine(sheet, l.text, colW - 4, l.face, l.size), x, colW, y, l.face, l.size);
      y += sheet.lineHeight(l.size);
    }
    bottom = Math.max(bottom, y);
  });
  sheet.y = bottom;
  return boxes;
}
