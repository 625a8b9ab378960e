/** The issued-copy log as CSV or XLSX for the principal (same columns, in the UI language). */
import writeXlsxFile from 'write-excel-file/node';
import type { IssuedCopyRow } from '../../server/api-types.ts';

type Lang = 'vi' | 'en';

const CHANNEL: Record<IssuedCopyRow['channel'], { vi: string; en: string }> = {
  download_pdf: { vi: 'Tải PDF', en: 'PDF download' },
  download_xml: { vi: 'Tải XML', en: 'XML download' },
  share_link_created: { vi: 'Tạo đường dẫn chia sẻ', en: 'Share link created' },
  share_link_opened: { vi: 'Mở đường dẫn chia sẻ', en: 'Share link opened' },
  print: { vi: 'In', en: 'Print' },
};

const HEAD = {
  vi: ['Thời điểm', 'Học sinh', 'Lớp', 'Năm học', 'Phiên bản', 'Trạng thái', 'Cách cấp', 'Người nhận / thực hiện', 'Vai trò', 'Lý do / mục đích', 'Cần cấp lại'],
  en: ['When', 'Student', 'Class', 'School year', 'Version', 'State', 'Channel', 'Who', 'Role', 'Reason / purpose', 'Needs re-issue'],
};

/** Vietnam local time, "2026-05-31 14:03:07". */
function vnTime(iso: string): string {
  return new Date(new Date(iso).getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function cells(r: IssuedCopyRow, lang: Lang): string[] {
  const reissue = r.needsReissue ? (lang === 'vi' ? `Cần cấp lại${r.successorVersion ? ` (đã có v${r.successorVersion})` : ''}` : `Needs re-issue${r.successorVersion ? ` (v${r.successorVersion} exists)` : ''}`) : '';
  return [vnTime(r.at), r.studentName, r.className ?? '', r.schoolYear, `v${r.version}`, r.state, CHANNEL[r.channel][lang], r.actorLabel, r.actorRole, r.purpose ?? '', reissue];
}

// A cell starting with = + - @ would run as a formula in a spreadsheet: quote it.
const csvCell = (v: string) => {
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) || safe !== v ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function issuedCopiesCsv(rows: IssuedCopyRow[], lang: Lang): Buffer {
  const text = [HEAD[lang], ...rows.map((r) => cells(r, lang))].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

export async function issuedCopiesXlsx(rows: IssuedCopyRow[], lang: Lang): Promise<Buffer> {
  const head = HEAD[lang].map((value) => ({ value, fontWeight: 'bold' as const }));
  const body = rows.map((r) => cells(r, lang).map((value) => ({ value })));
  return writeXlsxFile([head, ...body], { sheet: lang === 'vi' ? 'Sổ cấp bản sao' : 'Issued copies', columns: [20, 26, 8, 11, 9, 11, 22, 30, 16, 40, 22].map((width) => ({ width })) }).toBuffer();
}
