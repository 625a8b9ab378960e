/**
 * The sheet of first passwords the homeroom teacher prints and hands out (one slip per
 * account, cut along the lines), or the same as CSV for a mail merge. Made from the issue
 * report in memory: the passwords are never stored.
 */
import PDFDocument from 'pdfkit';
import { tinosPath } from '../../documents/pdf/fonts.ts';
import type { IssueReport } from './family-accounts.ts';

const csvCell = (v: string) => (/[",\n;]/.test(v) || /^[=+\-@]/.test(v) ? `"${(/^[=+\-@]/.test(v) ? `'${v}` : v).replace(/"/g, '""')}"` : v);

/** CSV (UTF-8 with BOM so Excel reads Vietnamese), one row per account. */
export function accountSheetCsv(report: IssueReport): Buffer {
  const head = ['Lớp', 'Học sinh', 'Loại tài khoản', 'Người dùng', 'Tên đăng nhập', 'Mật khẩu lần đầu'];
  const rows = report.issued.map((a) => [report.className, a.studentName, a.kind === 'student' ? 'Học sinh' : 'Phụ huynh', a.holderName, a.username, a.password]);
  const text = [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

/** A4 PDF, six slips per page: who, username, first password, where to sign in, what to do first. */
export async function accountSheetPdf(report: IssueReport, opts: { schoolName: string; signInUrl: string }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 36, info: { Title: `Tài khoản ${report.className}` } });
  doc.registerFont('r', tinosPath('regular'));
  doc.registerFont('b', tinosPath('bold'));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const slipH = (doc.page.height - 72) / 6;
  const w = doc.page.width - 72;
  report.issued.forEach((a, i) => {
    if (i > 0 && i % 6 === 0) doc.addPage();
    const y = 36 + (i % 6) * slipH;
    doc.save().dash(4, { space: 3 }).strokeColor('#999').rect(36, y, w, slipH - 6).stroke().restore();
    const x = 48;
    doc.font('b').fontSize(12).fillColor('#000').text(`${opts.schoolName} — Lớp ${report.className}`, x, y + 10, { width: w - 24 });
    doc.font('r').fontSize(11).text(`${a.kind === 'student' ? 'Tài khoản học sinh' : 'Tài khoản phụ huynh'}: ${a.holderName}${a.kind === 'parent' ? ` (phụ huynh em ${a.studentName})` : ''}`, x, y + 30, { width: w - 24 });
    doc.font('r').fontSize(11).text('Tên đăng nhập: ', x, y + 52, { continued: true }).font('b').fontSize(13).text(a.username);
    doc.font('r').fontSize(11).text('Mật khẩu lần đầu: ', x, y + 72, { continued: true }).font('b').fontSize(13).text(a.password);
    doc.font('r').fontSize(10).fillColor('#333').text(`Đăng nhập tại ${opts.signInUrl}. Lần đầu đăng nhập, bạn phải đổi mật khẩu. Giữ phiếu này kín đáo; mất mật khẩu thì báo giáo viên chủ nhiệm.`, x, y + 94, { width: w - 24 });
  });
  if (report.issued.length === 0) doc.font('r').fontSize(12).text(`Lớp ${report.className}: không có tài khoản mới nào được cấp.`);
  doc.end();
  return done;
}
