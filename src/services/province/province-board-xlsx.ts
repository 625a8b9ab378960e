/** The province board as an XLSX workbook (write-excel-file): one row per school, then the totals. */
import writeXlsxFile from 'write-excel-file/node';
import type { ProvinceBoard } from './province-board.ts';

const STATUS_VI: Record<string, string> = { done: 'Hoàn thành', overdue: 'Quá hạn', due_soon: 'Sắp đến hạn', open: 'Đang làm', upcoming: 'Chưa đến' };
const STATE_VI: Record<string, string> = { frozen: 'Đã chốt', subjects_signed: 'GVBM đã ký', homeroom_signed: 'GVCN đã ký', approved: 'HT đã duyệt', sealed: 'Đã đóng dấu', returned: 'Bị trả lại', superseded: 'Đã thay thế' };

/** One sheet: per school its records by state, each stage's status against the plan, sync and certificates. */
export async function provinceBoardXlsx(board: ProvinceBoard): Promise<Buffer> {
  const stageLabels = board.schools[0]?.stages.map((s) => s.label.vi) ?? [];
  const states = Object.keys(board.totals.states);
  const head = ['Mã trường', 'Trường', 'Xã/phường', 'Học sinh', ...states.map((s) => STATE_VI[s] ?? s), ...stageLabels, 'Giai đoạn quá hạn', 'Đồng bộ: lần cuối', 'Đồng bộ: được nhận', 'Đồng bộ: bị từ chối', 'CTS hết hạn', 'CTS sắp hết hạn', 'CTS bị thu hồi'];
  const rows = board.schools.map((s) => [
    { value: s.code },
    { value: s.name },
    { value: s.commune ?? '' },
    { value: s.students },
    ...states.map((k) => ({ value: s.states[k as keyof typeof s.states] })),
    ...stageLabels.map((label) => {
      const c = s.stages.find((x) => x.label.vi === label);
      return { value: c ? `${c.done}/${c.total} ${STATUS_VI[c.status] ?? c.status}` : '' };
    }),
    { value: s.lateStages },
    { value: s.sync.lastRunAt ? `${s.sync.lastRunAt.slice(0, 16).replace('T', ' ')} (${s.sync.lastStatus})` : '' },
    { value: s.sync.accepted },
    { value: s.sync.rejected },
    { value: s.certificates.expired },
    { value: s.certificates.expiring },
    { value: s.certificates.revoked },
  ]);
  const t = board.totals;
  const total = [
    { value: '' },
    { value: `Tổng: ${t.schools} trường, ${t.lateSchools} trường chậm`, fontWeight: 'bold' as const },
    { value: '' },
    { value: t.students },
    ...states.map((k) => ({ value: t.states[k as keyof typeof t.states] })),
    ...stageLabels.map(() => ({ value: '' })),
    { value: '' },
    { value: '' },
    { value: t.sync.accepted },
    { value: t.sync.rejected },
    { value: t.certificates.expired },
    { value: t.certificates.expiring },
    { value: t.certificates.revoked },
  ];
  return writeXlsxFile([{ data: [head.map((value) => ({ value, fontWeight: 'bold' as const })), ...rows, total], sheet: `Tỉnh ${board.province.name}`.slice(0, 31), stickyRowsCount: 1, columns: head.map((_, i) => ({ width: i === 1 ? 32 : 14 })) }]).toBuffer();
}
