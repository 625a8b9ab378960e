import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sortWork, type WorkItem } from '../plan/my-work.ts';
import { digestMail } from './digest-mail.ts';

const item = (p: Partial<WorkItem>): WorkItem => ({ kind: 'sign', stage: 'sign_subject', label: { vi: 'Ký học bạ (GVBM) lớp 10A1', en: 'Sign' }, count: 3, dueOn: '2026-06-15', status: 'due_soon', link: '/signing', ...p });

test('work is sorted overdue first (oldest deadline first), then due soon, open, upcoming, undated last in its group', () => {
  const sorted = sortWork([
    item({ status: 'upcoming', dueOn: '2026-06-01' }),
    item({ status: 'open', dueOn: null, kind: 'change_request' }),
    item({ status: 'overdue', dueOn: '2026-06-10' }),
    item({ status: 'due_soon', dueOn: '2026-06-15' }),
    item({ status: 'overdue', dueOn: '2026-05-20' }),
    item({ status: 'open', dueOn: '2026-06-20' }),
  ]);
  assert.deepEqual(sorted.map((i) => `${i.status}:${i.dueOn}`), ['overdue:2026-05-20', 'overdue:2026-06-10', 'due_soon:2026-06-15', 'open:2026-06-20', 'open:null', 'upcoming:2026-06-01']);
});

test('the digest names each item with its deadline and link, escapes HTML, and counts in the subject', () => {
  const m = digestMail({
    day: '2026-06-16',
    name: 'Nguyễn <Văn> A',
    items: [item({ status: 'overdue', dueOn: '2026-06-15' }), item({ status: 'due_soon', label: { vi: 'Nộp bảng điểm <b>Toán</b>', en: '' }, link: '/grade-sheets/x/2', count: 1, dueOn: '2026-06-18' })],
    escalations: [],
    publicUrl: 'https://hocba.example/',
  });
  assert.equal(m.subject, '[Học bạ số] Việc cần làm ngày 16/06/2026: 1 việc quá hạn, 1 việc sắp đến hạn');
  assert.match(m.text, /- \[QUÁ HẠN\] Ký học bạ \(GVBM\) lớp 10A1 \(3\) — hạn 15\/06\/2026: https:\/\/hocba\.example\/signing/);
  assert.match(m.html, /Nguyễn &lt;Văn&gt; A/);
  assert.match(m.html, /Nộp bảng điểm &lt;b&gt;Toán&lt;\/b&gt;/);
  assert.ok(!m.html.includes('<b>Toán'));
});
