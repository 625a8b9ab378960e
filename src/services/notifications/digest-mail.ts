/** The daily digest as an e-mail: subject, plain text and a simple HTML table, in Vietnamese. */
import type { PlanStage } from '../../domain/plan/plan-template.ts';
import type { WorkItem } from '../plan/my-work.ts';

/** Another person's overdue work, told to the principal. */
export interface Escalation {
  stage: PlanStage;
  label: { vi: string; en: string };
  grade: number;
  className: string;
  pending: number;
  who: string[];
  dueOn: string;
  daysOverdue: number;
}

const dmy = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const STATUS_VI: Record<string, string> = { overdue: 'QUÁ HẠN', due_soon: 'sắp đến hạn', open: 'đang mở', upcoming: 'chưa đến', done: 'xong' };

/** Subject, text and HTML of one person's digest for a day. */
export function digestMail(d: { day: string; name: string; items: WorkItem[]; escalations: Escalation[]; publicUrl: string }): { subject: string; text: string; html: string } {
  const overdue = d.items.filter((i) => i.status === 'overdue').length;
  const soon = d.items.length - overdue;
  const parts = [overdue ? `${overdue} việc quá hạn` : null, soon ? `${soon} việc sắp đến hạn` : null, d.escalations.length ? `${d.escalations.length} lớp quá hạn cần đôn đốc` : null].filter(Boolean);
  const subject = `[Học bạ số] Việc cần làm ngày ${dmy(d.day)}: ${parts.join(', ')}`;
  const url = (link: string) => `${d.publicUrl.replace(/\/$/, '')}${link}`;
  const lines = [`Kính gửi ${d.name},`, ''];
  if (d.items.length) {
    lines.push('Việc của thầy/cô:');
    for (const i of d.items) lines.push(`- [${STATUS_VI[i.status]}] ${i.label.vi} (${i.count})${i.dueOn ? ` — hạn ${dmy(i.dueOn)}` : ''}: ${url(i.link)}`);
    lines.push('');
  }
  if (d.escalations.length) {
    lines.push('Quá hạn cần Hiệu trưởng đôn đốc:');
    for (const e of d.escalations) lines.push(`- ${e.label.vi}, lớp ${e.className}: còn ${e.pending}, quá hạn ${e.daysOverdue} ngày (hạn ${dmy(e.dueOn)})${e.who.length ? ` — ${e.who.join(', ')}` : ''}`);
    lines.push(`Bảng tiến độ: ${url('/plan/board')}`, '');
  }
  lines.push('Thư này được gửi tự động mỗi ngày có việc đến hạn (tối đa một thư mỗi ngày).');
  const rows = d.items.map((i) => `<tr><td>${esc(STATUS_VI[i.status]!)}</td><td><a href="${esc(url(i.link))}">${esc(i.label.vi)}</a></td><td>${i.count}</td><td>${i.dueOn ? dmy(i.dueOn) : ''}</td></tr>`).join('');
  const escRows = d.escalations.map((e) => `<tr><td>${esc(e.label.vi)}</td><td>${esc(e.className)}</td><td>${e.pending}</td><td>${e.daysOverdue} ngày (hạn ${dmy(e.dueOn)})</td><td>${esc(e.who.join(', '))}</td></tr>`).join('');
  const html = `<p>Kính gửi ${esc(d.name)},</p>${rows ? `<p>Việc của thầy/cô:</p><table border="1" cellpadding="4" cellspacing="0"><tr><th>Tình trạng</th><th>Việc</th><th>Số lượng</th><th>Hạn</th></tr>${rows}</table>` : ''}${escRows ? `<p>Quá hạn cần Hiệu trưởng đôn đốc:</p><table border="1" cellpadding="4" cellspacing="0"><tr><th>Giai đoạn</th><th>Lớp</th><th>Còn lại</th><th>Quá hạn</th><th>Người phụ trách</th></tr>${escRows}</table>` : ''}<p><small>Thư gửi tự động, tối đa một thư mỗi ngày.</small></p>`;
  return { subject, text: lines.join('\n'), html };
}
