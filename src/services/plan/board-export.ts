/**
 * The progress board for the leadership meeting: an XLSX workbook (write-excel-file) and a
 * printable A4 PDF (pdfkit with the embedded Tinos font, like the record PDF — never system
 * fonts, which lack Vietnamese letters).
 */
import PDFDocument from 'pdfkit';
import writeXlsxFile from 'write-excel-file/node';
import { tinosPath } from '../../documents/pdf/fonts.ts';
import type { PlanBoard } from './plan-board.ts';

const STATUS_VI: Record<string, string> = { done: 'Hoàn thành', overdue: 'Quá hạn', due_soon: 'Sắp đến hạn', open: 'Đang làm', upcoming: 'Chưa đến' };
const dmy = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
const pct = (d: number, t: number) => (t ? Math.floor((1000 * d) / t) / 10 : 100);

/** Two sheets: stage × grade × class, and every pending item with the person responsible. */
export async function boardXlsx(board: PlanBoard): Promise<Buffer> {
  const head = (labels: string[]) => labels.map((value) => ({ value, fontWeight: 'bold' as const }));
  const summary = [
    head(['Giai đoạn', 'Khối', 'Lớp', 'Bắt đầu', 'Hạn', 'Xong', 'Tổng', '%', 'Tình trạng', 'Quá hạn (ngày)']),
    ...board.rows.flatMap((r) =>
      r.classes.map((c) => [
        { value: r.label.vi },
        { value: r.grade },
        { value: c.className },
        { value: dmy(r.startsOn) },
        { value: dmy(r.dueOn) },
        { value: c.done },
        { value: c.total },
        { value: pct(c.done, c.total) },
        { value: STATUS_VI[c.status] ?? c.status },
        { value: c.daysOverdue },
      ]),
    ),
  ];
  const pending = [
    head(['Giai đoạn', 'Lớp', 'Hạn', 'Tình trạng', 'Người phụ trách', 'Việc còn lại']),
    ...board.rows.flatMap((r) => r.classes.filter((c) => c.status !== 'done').flatMap((c) => c.pending.map((p) => [{ value: r.label.vi }, { value: c.className }, { value: dmy(r.dueOn) }, { value: STATUS_VI[c.status] ?? c.status }, { value: p.who ?? '' }, { value: p.what }]))),
  ];
  return writeXlsxFile([
    { data: summary, sheet: 'Tiến độ', stickyRowsCount: 1, columns: [{ width: 30 }, { width: 6 }, { width: 8 }, { width: 12 }, { width: 12 }, { width: 8 }, { width: 8 }, { width: 7 }, { width: 14 }, { width: 14 }] },
    { data: pending, sheet: 'Việc còn lại', stickyRowsCount: 1, columns: [{ width: 30 }, { width: 8 }, { width: 12 }, { width: 14 }, { width: 30 }, { width: 40 }] },
  ]).toBuffer();
}

/** An A4 report: the summary per stage and grade, the overdue classes with who is late, certificates and data quality. */
export async function boardPdf(board: PlanBoard): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: `Báo cáo tiến độ học bạ số ${board.schoolYear ?? ''}`, Author: board.schoolName } });
  doc.registerFont('r', tinosPath('regular'));
  doc.registerFont('b', tinosPath('bold'));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 80;
  doc.font('b').fontSize(11).text(board.schoolName.toUpperCase(), { align: 'left' });
  doc.font('b').fontSize(15).moveDown(0.5).text('BÁO CÁO TIẾN ĐỘ HỌC BẠ SỐ', { align: 'center' });
  doc.font('r').fontSize(11).text(`Năm học ${board.schoolYear ?? ''} — số liệu ngày ${dmy(board.today)}`, { align: 'center' }).moveDown();

  const cols = [190, 40, 70, 70, 60, 85];
  const row = (cells: string[], opts: { bold?: boolean; fill?: string } = {}) => {
    if (doc.y > doc.page.height - 70) doc.addPage();
    const y = doc.y;
    if (opts.fill) doc.save().rect(40, y - 2, width, 16).fill(opts.fill).restore();
    let x = 40;
    doc.font(opts.bold ? 'b' : 'r').fontSize(9.5).fillColor('black');
    cells.forEach((c, i) => {
      doc.text(c, x + 2, y, { width: cols[i]! - 4, lineBreak: false, ellipsis: true });
      x += cols[i]!;
    });
    doc.x = 40;
    doc.y = y + 16;
  };
  doc.font('b').fontSize(12).text('1. Tiến độ theo giai đoạn và khối').moveDown(0.3);
  row(['Giai đoạn', 'Khối', 'Hạn', 'Xong / tổng', '%', 'Tình trạng'], { bold: true, fill: '#e8e8e8' });
  for (const r of board.rows) {
    row([r.label.vi, String(r.grade), dmy(r.dueOn), `${r.done} / ${r.total}`, `${pct(r.done, r.total)}%`, STATUS_VI[r.status] ?? r.status], r.status === 'overdue' ? { fill: '#fde2e1' } : {});
  }
  doc.moveDown();
  const overdue = board.rows.flatMap((r) => r.classes.filter((c) => c.status === 'overdue').map((c) => ({ r, c })));
  doc.font('b').fontSize(12).text(`2. Lớp quá hạn (${overdue.length})`, 40).moveDown(0.3);
  if (!overdue.length) doc.font('r').fontSize(10).text('Không có lớp nào quá hạn.');
  for (const { r, c } of overdue.slice(0, 60)) {
    if (doc.y > doc.page.height - 70) doc.addPage();
    const who = [...new Set(c.pending.map((p) => p.who).filter(Boolean))].join(', ');
    doc.font('r').fontSize(9.5).text(`• ${r.label.vi} — lớp ${c.className}: còn ${c.total - c.done}/${c.total}, quá hạn ${c.daysOverdue} ngày (hạn ${dmy(r.dueOn)})${who ? `. Phụ trách: ${who}` : ''}`, 40, doc.y, { width });
  }
  if (overdue.length > 60) doc.text(`… và ${overdue.length - 60} lớp khác (xem tệp Excel).`);
  doc.moveDown();
  doc.font('b').fontSize(12).text('3. Chứng thư số', 40).moveDown(0.3);
  if (!board.certificates) doc.font('r').fontSize(10).text('Không kiểm tra được (chưa cấu hình tin cậy).');
  else if (!board.certificates.problems.length) doc.font('r').fontSize(10).text('Mọi người ký đều có chứng thư số hợp lệ đến hạn ký.');
  else for (const p of board.certificates.problems.slice(0, 40)) doc.font('r').fontSize(9.5).text(`• ${p.fullName}: ${p.message ?? p.standing}`, { width });
  doc.moveDown();
  doc.font('b').fontSize(12).text('4. Chất lượng dữ liệu', 40).moveDown(0.3);
  const q = board.dataQuality;
  doc.font('r').fontSize(10).text(`${q.clean}/${q.students} học sinh không có lỗi chặn (${q.percentClean}%); ${q.reconciled} học sinh đã đối chiếu (${q.percentReconciled}%).`, { width });
  doc.end();
  return done;
}
