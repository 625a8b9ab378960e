/**
 * The printable face of a frozen record (DESIGN.md "One truth, two faces"): a PDF/A-3b
 * học bạ page rendered from the RecordSnapshot, embedding the canonical (or signed) HBS XML
 * of the same snapshot as an associated file (AFRelationship /Data). Same input → same bytes:
 * dates come from the snapshot's frozenAt, the file ID from the XML's SHA-256, and nothing
 * reads the clock or a random source.
 */
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { RecordFormatError } from '../hbs-xml/format-adapter.ts';
import { hbsV1 } from '../hbs-xml/hbs-v1.ts';
import { snapshotProblems, type RecordSnapshot } from '../../domain/record/snapshot.ts';
import type { Role } from '../../domain/policies/roles.ts';
import { documentFonts, type FontFace } from './fonts.ts';
import { vietnamTime, viSchoolYear } from './format-vi.ts';
import { Sheet } from './sheet.ts';
import { drawIdentity, drawTitle, drawYear } from './record-sections.ts';
import { drawSignatureArea, type DrawnBox } from './signature-area.ts';
import { prepareSignatures, type SignatureBlock } from './signature-blocks.ts';

export { SignatureBlockError, type SignatureBlock, type SignatureRole } from './signature-blocks.ts';
export { PngImageError } from './png-image.ts';

/** Name of the embedded XML file. */
export const EMBEDDED_XML_NAME = 'hocba.xml';

/** A signature box on the page (empty and dashed until signed), for the visible PAdES signature of that role. */
export interface SignatureBox {
  role: Extract<Role, 'homeroom_teacher' | 'principal'>;
  /** 0-based page index. */
  page: number;
  /** [x1, y1, x2, y2] in PDF user space (points, origin bottom-left), as a widget /Rect. */
  rect: [number, number, number, number];
}

export interface RenderRecordOptions {
  /** The HBS XML to embed (e.g. the signed document); default `hbsV1.serialize(snapshot)`. Must carry the snapshot's data. */
  xml?: string;
  /** Where anyone can check the record: printed as a QR code and a short code under the signatures. */
  verification?: { url: string; code: string };
  /**
   * The signatures so far (Decree 30 visible signatures): subject teachers on their rows,
   * homeroom teacher, principal or vice principal, school seal. None: empty dashed boxes.
   */
  signatures?: readonly SignatureBlock[];
  /** A practice school's record (issue 13.3): every page says "BẢN THỰC HÀNH", in large letters. */
  practice?: boolean;
}

/** The PDF bytes, the XML embedded in it and where the signature boxes are. */
export interface RenderedRecord {
  pdf: Buffer;
  xml: string;
  signatureBoxes: SignatureBox[];
}

const MM = 72 / 25.4;
const A4: [number, number] = [595.28, 841.89];
/** Page margins (Decree 30/2020 style: wider on the binding side). */
const MARGIN = { top: 20 * MM, bottom: 22 * MM, left: 25 * MM, right: 18 * MM };

type DocInternals = PDFKit.PDFDocument & {
  _id: Uint8Array;
  _addInfo: () => void;
  file(src: Buffer, options: PDFKit.Mixins.PDFAttachmentOptions & { relationship?: 'Source' | 'Data' | 'Alternative' | 'Supplement' | 'Unspecified' }): unknown;
};

/** Renders a snapshot to PDF/A-3b bytes (see `renderRecordDocument`). */
export async function renderRecordPdf(snapshot: RecordSnapshot, opts: RenderRecordOptions = {}): Promise<Buffer> {
  return (await renderRecordDocument(snapshot, opts)).pdf;
}

/**
 * Renders a snapshot to a PDF/A-3b học bạ with the HBS XML attached and the given signature
 * blocks shown, and reports where the signature boxes are. Throws RecordFormatError when the
 * snapshot is malformed or the given XML does not carry the snapshot's data,
 * SignatureBlockError / PngImageError when a signature block or its image cannot be shown.
 * Everything is checked before the page is laid out; the layout itself runs without a break
 * (see documentFonts).
 */
export async function renderRecordDocument(snapshot: RecordSnapshot, opts: RenderRecordOptions = {}): Promise<RenderedRecord> {
  const problems = snapshotProblems(snapshot);
  if (problems.length) throw new RecordFormatError(`the snapshot is not well formed: ${problems.slice(0, 5).map((p) => `${p.path} ${p.message}`).join('; ')}`);
  const canonical = hbsV1.serialize(snapshot);
  const xml = opts.xml ?? canonical;
  if (opts.xml !== undefined && hbsV1.serialize(hbsV1.parse(opts.xml)) !== canonical) {
    throw new RecordFormatError('the XML to embed does not carry the same data as the snapshot');
  }
  const signatures = prepareSignatures(snapshot, opts.signatures ?? []);
  const xmlBytes = Buffer.from(xml, 'utf8');
  const frozen = new Date(snapshot.frozenAt);
  const id = snapshot.identity;
  const info = {
    Title: `Học bạ – ${id.fullName} – năm học ${viSchoolYear(snapshot.schoolYear)}`,
    Author: snapshot.school.name,
    Subject: `Học bạ số của học sinh ${id.fullName}, lớp ${id.className}, năm học ${viSchoolYear(snapshot.schoolYear)}, ${snapshot.school.name}`,
    Creator: 'hocba',
    Producer: 'hocba (PDFKit 0.20)',
    CreationDate: frozen,
    ModDate: frozen,
  };

  const fonts = documentFonts();
  const doc = new PDFDocument({
    size: A4,
    margins: MARGIN,
    pdfVersion: '1.7',
    subset: 'PDF/A-3b',
    lang: 'vi-VN',
    displayTitle: true,
    bufferPages: true,
    font: fonts.regular as unknown as string, // the default font is embedded too: never a standard-14 font
    info,
  }) as DocInternals;
  // pdfkit derives the file ID from the info dictionary; make it name the record's XML instead.
  doc._id = new Uint8Array(createHash('sha256').update(xmlBytes).digest().subarray(0, 16));
  // pdfkit writes Title/Author/Subject into XMP without escaping and leaves out ModifyDate:
  // write the XMP info block ourselves, consistent with the Info dictionary (PDF/A 6.7.3).
  doc._addInfo = () => doc.appendXML(xmpInfo(info));
  for (const face of Object.keys(fonts) as FontFace[]) doc.registerFont(face, fonts[face] as unknown as string);

  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const sheet = new Sheet(doc, { left: MARGIN.left, top: MARGIN.top, right: A4[0] - MARGIN.right, bottom: A4[1] - MARGIN.bottom });
  drawTitle(sheet, snapshot);
  drawIdentity(sheet, snapshot);
  drawYear(sheet, snapshot, signatures.bySubject);
  const boxes = drawSignatureArea(sheet, snapshot, signatures);
  if (opts.verification) drawVerification(sheet, opts.verification);
  drawFooters(sheet, snapshot);
  if (opts.practice) drawPracticeMark(sheet);

  doc.file(xmlBytes, {
    name: EMBEDDED_XML_NAME,
    type: 'application/xml',
    relationship: 'Data',
    description: `Dữ liệu học bạ số (HBS XML, ${hbsV1.namespace}) – bản gốc của tài liệu này`,
    creationDate: frozen,
    modifiedDate: frozen,
  });
  doc.end();
  const pdf = await done;
  return { pdf, xml, signatureBoxes: boxes.map((b) => toSignatureBox(b)) };
}

/**
 * The QR code (drawn as vector squares: deterministic and sharp at any zoom) and the short
 * code that lead to the record's verification page.
 */
function drawVerification(sheet: Sheet, v: { url: string; code: string }): void {
  const qr = QRCode.create(v.url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const side = 26 * MM;
  const cell = side / (n + 8); // 4-module quiet zone on each side
  sheet.moveDown(6);
  sheet.ensure(side + 6);
  const x0 = sheet.box.left;
  const y0 = sheet.y;
  const doc = sheet.doc;
  doc.save();
  doc.rect(x0, y0, side, side).fill('#ffffff');
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) doc.rect(x0 + (c + 4) * cell, y0 + (r + 4) * cell, cell, cell);
  }
  doc.fill('#000000');
  doc.restore();
  const tx = x0 + side + 4 * MM;
  sheet.put('Tra cứu, xác thực học bạ số:', tx, y0 + 4 * MM, 'italic', 10);
  sheet.put(v.url, tx, y0 + 9 * MM, 'regular', 10);
  sheet.put(`Mã tra cứu: ${v.code}`, tx, y0 + 15 * MM, 'bold', 11);
  sheet.y = y0 + side + 2;
}

function toSignatureBox(b: DrawnBox): SignatureBox {
  const [, h] = A4;
  return { role: b.role, page: b.page, rect: [round(b.x), round(h - b.y - b.height), round(b.x + b.width), round(h - b.y)] };
}

const round = (n: number) => Math.round(n * 100) / 100;

/** "Trang x/y" and the frozen-at time on every page. */
function drawFooters(sheet: Sheet, s: RecordSnapshot): void {
  const { doc, box } = sheet;
  const range = doc.bufferedPageRange();
  const size = 8.5;
  const grey = '#555555';
  const frozen = `Chốt dữ liệu lúc ${vietnamTime(s.frozenAt)}`;
  const full = `Học bạ số · ${s.identity.fullName} · Lớp ${s.identity.className} · Năm học ${viSchoolYear(s.schoolYear)} · ${frozen}`;
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const y = A4[1] - MARGIN.bottom + 8 * MM;
    const pageText = `Trang ${i + 1}/${range.count}`;
    const pageWidth = sheet.textWidth(pageText, 'regular', size);
    const room = sheet.width - pageWidth - 12;
    const left = sheet.textWidth(full, 'regular', size) <= room ? full : frozen;
    doc.lineWidth(0.4).strokeColor('#999999').moveTo(box.left, y - 4).lineTo(box.right, y - 4).stroke();
    sheet.put(left, box.left, y, 'regular', size, grey);
    sheet.put(pageText, box.right - pageWidth, y, 'regular', size, grey);
  }
}

/** The practice watermark: across every page and in the header, so no copy passes as a real record. */
function drawPracticeMark(sheet: Sheet): void {
  const { doc, box } = sheet;
  const range = doc.bufferedPageRange();
  const big = 'BẢN THỰC HÀNH';
  const small = 'BẢN THỰC HÀNH — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ · PRACTICE COPY — NOT A VALID RECORD';
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const width = sheet.textWidth(big, 'bold', 64);
    doc.save();
    doc.rotate(-35, { origin: [A4[0] / 2, A4[1] / 2] });
    doc.fillOpacity(0.18);
    sheet.put(big, (A4[0] - width) / 2, A4[1] / 2 - 32, 'bold', 64, '#c0392b');
    doc.restore();
    sheet.putCentred(small, box.left, box.right - box.left, MARGIN.top - 9 * MM, 'bold', 8, '#c0392b');
  }
}

const escapeXml = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmpDate = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

/** The XMP twin of the Info dictionary (dc, xmp, pdf schemas). */
function xmpInfo(i: { Title: string; Author: string; Subject: string; Creator: string; Producer: string; CreationDate: Date; ModDate: Date }): string {
  return `
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <xmp:CreateDate>${xmpDate(i.CreationDate)}</xmp:CreateDate>
            <xmp:ModifyDate>${xmpDate(i.ModDate)}</xmp:ModifyDate>
            <xmp:MetadataDate>${xmpDate(i.ModDate)}</xmp:MetadataDate>
            <xmp:CreatorTool>${escapeXml(i.Creator)}</xmp:CreatorTool>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <dc:format>application/pdf</dc:format>
            <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(i.Title)}</rdf:li></rdf:Alt></dc:title>
            <dc:creator><rdf:Seq><rdf:li>${escapeXml(i.Author)}</rdf:li></rdf:Seq></dc:creator>
            <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(i.Subject)}</rdf:li></rdf:Alt></dc:description>
            <dc:language><rdf:Bag><rdf:li>vi-VN</rdf:li></rdf:Bag></dc:language>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
            <pdf:Producer>${escapeXml(i.Producer)}</pdf:Producer>
        </rdf:Description>
        `;
}
