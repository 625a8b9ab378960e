/**
 * A simulated clock walks through the 2025–2026 school year: the plan comes from the Hậu Lộc I
 * template and the principal edits it (validated); the grade book locks at the plan's marks
 * deadline and only an approved change request reopens it; the teacher's "my work" queue and
 * the principal's board turn from due-soon to overdue around each deadline; the daily run
 * delivers digests and an escalation to a real SMTP server (smtp-server sink, with AUTH), at
 * most one per person per day; the board exports as XLSX and a PDF report.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import readXlsxFile from 'read-excel-file/node';
import { SMTPServer } from 'smtp-server';
import { inSchool, inSystem } from '../../src/db/scope.ts';
import { auditLog, gradeSheets, notifications, users } from '../../src/db/schema.ts';
import { settableClock } from '../../src/domain/plan/clock.ts';
import { HAU_LOC_1_PLAN_2025_2026 } from '../../src/domain/plan/plan-template.ts';
import { loadSheet, loadSheetByClassSubject } from '../../src/services/grades/sheet-context.ts';
import { runDailyReminders } from '../../src/services/notifications/daily-reminders.ts';
import { setPlanClock } from '../../src/services/plan/plan-clock.ts';
import { schoolsDueForRun } from '../../src/jobs/reminder-job.ts';
import { createJobRunner } from '../../src/jobs/job-runner.ts';
import { planDailyRuns } from '../../src/db/schema.ts';
import { vnDay } from '../../src/domain/plan/plan-rules.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { BACKENDS } from '../helpers/db.ts';
import { sessionFor, startTestApp, type Client, type TestApp } from '../helpers/app.ts';

interface Mail {
  from: string;
  to: string[];
  raw: string;
  user: string | null;
}

/** A local SMTP server that requires AUTH PLAIN/LOGIN with the given password and keeps every message. */
async function smtpSink(password: string): Promise<{ port: number; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.password === password) cb(null, { user: auth.username });
      else cb(new Error('bad credentials'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8'), user: (session.user as string | undefined) ?? null });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The decoded text of a MIME message (quoted-printable or base64 text/plain part). */
function mailText(raw: string): string {
  const subject = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1] ?? '';
  const decodedSubject = subject.replace(/\r?\n[ \t]/g, ' ').replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
  const part = /Content-Type: text\/plain[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*?Content-Transfer-Encoding: (\S+)\r?\n\r?\n([\s\S]*?)\r?\n--/i.exec(raw);
  let body = part?.[2] ?? '';
  if (part?.[1]?.toLowerCase() === 'quoted-printable') body = Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  else if (part?.[1]?.toLowerCase() === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return `Subject: ${decodedSubject}\n${body}`;
}

const vn = (local: string) => new Date(`${local}+07:00`);
const PUBLIC_URL = 'http://hocba.test';

for (const kind of BACKENDS) {
  describe(`the school year walked with a simulated clock (${kind})`, { concurrency: 1 }, () => {
    let t: TestApp;
    let sink: Awaited<ReturnType<typeof smtpSink>>;
    let dir: string;
    const clock = settableClock(vn('2025-09-10T08:00:00'));
    const as = async (role: keyof TestApp['school']['users']): Promise<Client> => sessionFor(t, t.school.users[role].id, t.school.schoolId);
    const get = async (role: keyof TestApp['school']['users'], url: string) => {
      const res = await (await as(role)).request({ method: 'GET', url });
      assert.equal(res.statusCode, 200, `${role} GET ${url}: ${res.body}`);
      return res.json();
    };
    const run = () => runDailyReminders({ db: t.database.db, schoolId: t.school.schoolId, now: clock.now(), publicUrl: PUBLIC_URL });

    before(async () => {
      t = await startTestApp(kind);
      setPlanClock(t.database, clock);
      sink = await smtpSink('smtp-secret-9');
      dir = await mkdtemp(join(tmpdir(), 'hocba-plan-'));
      const u = t.school.users;
      await inSystem(t.database.db, async (tx) => {
        await tx.update(users).set({ email: 'gv.toan@hauloc1.test' }).where(eq(users.id, u.subject_teacher.id));
        await tx.update(users).set({ email: 'hieu.truong@hauloc1.test' }).where(eq(users.id, u.principal.id));
      });
    });
    after(async () => {
      await t.close();
      await sink.close();
      await rm(dir, { recursive: true, force: true });
    });

    test('the plan starts as the Hậu Lộc I template and moves the grade-book locks', async () => {
      const plan = await get('subject_teacher', '/api/plan');
      assert.equal(plan.rows.length, HAU_LOC_1_PLAN_2025_2026.length);
      assert.deepEqual(plan.rows.find((r: { stage: string; grade: number | null }) => r.stage === 'seal' && r.grade === 12), { stage: 'seal', grade: 12, startsOn: '2026-05-18', dueOn: '2026-05-20' });
      assert.equal(plan.canEdit, false);
      assert.equal(plan.locks.semester1, '2026-01-17T17:00:00.000Z');
    });

    test('the principal edits the plan: a broken order is refused naming the stage, a valid one moves the lock and is audited', async () => {
      const principal = await as('principal');
      const rows = (await get('principal', '/api/plan')).rows as Array<{ stage: string; grade: number | null; startsOn: string; dueOn: string }>;
      const bad = rows.map((r) => (r.stage === 'sign_principal' && r.grade === null ? { ...r, startsOn: '2026-06-01', dueOn: '2026-06-12' } : r));
      const refused = await principal.request({ method: 'PUT', url: '/api/plan', payload: { rows: bad } });
      assert.equal(refused.statusCode, 400, refused.body);
      assert.match(refused.json().error.message, /Hiệu trưởng duyệt, ký.*2026-06-12.*sớm hơn/);
      const outside = rows.map((r) => (r.stage === 'sync' ? { ...r, dueOn: '2026-09-15' } : r));
      assert.match((await principal.request({ method: 'PUT', url: '/api/plan', payload: { rows: outside } })).json().error.message, /ngoài năm học/);
      const good = rows.map((r) => (r.stage === 'marks_s1' ? { ...r, dueOn: '2026-01-16' } : r));
      const saved = await principal.request({ method: 'PUT', url: '/api/plan', payload: { rows: good } });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal(saved.json().locks.semester1, '2026-01-16T17:00:00.000Z');
      const teacherTry = await (await as('subject_teacher')).request({ method: 'PUT', url: '/api/plan', payload: { rows: good } });
      assert.equal(teacherTry.statusCode, 403);
      const audits = await inSystem(t.database.db, (tx) => tx.select().from(auditLog).where(and(eq(auditLog.schoolId, t.school.schoolId), eq(auditLog.action, 'plan.updated'))));
      assert.equal(audits.length, 1);
    });

    test('marks entry locks at the plan deadline; only an approved unlock request reopens the sheet', async () => {
      const { db } = t.database;
      const ctx = await inSchool(db, t.school.schoolId, (tx) => loadSheetByClassSubject(tx, t.school.classSubjectId, 1));
      const before = await inSchool(db, t.school.schoolId, (tx) => loadSheet(tx, ctx.sheet.id, vn('2026-01-16T23:59:00')));
      assert.deepEqual(before.lock, { locked: false, reason: null });
      const atDeadline = await inSchool(db, t.school.schoolId, (tx) => loadSheet(tx, ctx.sheet.id, vn('2026-01-17T00:00:00')));
      assert.deepEqual(atDeadline.lock, { locked: true, reason: 'deadline' });
      // Through HTTP (the grade book reads the real clock, which is past the whole 2025–2026 year here).
      const teacher = await as('subject_teacher');
      const cell = { studentId: t.school.studentIds[0]!, field: 'regular', index: 0, value: '8' };
      const refused = await teacher.request({ method: 'PUT', url: `/api/grade-sheets/${ctx.sheet.id}/cells`, payload: { cells: [cell] } });
      assert.equal(refused.json().error?.code, 'grade.locked', refused.body);
      const cr = await teacher.request({ method: 'POST', url: `/api/grade-sheets/${ctx.sheet.id}/change-requests`, payload: { kind: 'unlock', reason: 'Học sinh thi bù sau hạn chốt điểm' } });
      assert.equal(cr.statusCode, 201, cr.body);
      // The principal's queue shows the request to decide.
      clock.set(vn('2026-01-19T08:00:00'));
      const work = await get('principal', '/api/my-work');
      assert.ok(work.items.some((i: { kind: string; count: number }) => i.kind === 'change_request' && i.count === 1), JSON.stringify(work.items));
      const decided = await (await as('principal')).request({ method: 'POST', url: `/api/change-requests/${cr.json().id}/decision`, payload: { approve: true } });
      assert.equal(decided.statusCode, 200, decided.body);
      const saved = await teacher.request({ method: 'PUT', url: `/api/grade-sheets/${ctx.sheet.id}/cells`, payload: { cells: [cell] } });
      assert.equal(saved.statusCode, 200, saved.body);
      clock.set(vn('2025-09-10T08:00:00'));
    });

    test('"my work" of the teacher: due soon before the deadline, overdue after it, most urgent first', async () => {
      clock.set(vn('2026-01-14T08:00:00'));
      let work = await get('subject_teacher', '/api/my-work');
      const marks = work.items.find((i: { kind: string }) => i.kind === 'marks_enter');
      assert.ok(marks, JSON.stringify(work.items));
      assert.equal(marks.dueOn, '2026-01-16');
      assert.equal(marks.status, 'due_soon');
      assert.match(marks.label.vi, /Toán – 10A1, HKI/);
      assert.equal(marks.link, `/grade-sheets/${t.school.classSubjectId}/1`);
      clock.set(vn('2026-01-18T08:00:00'));
      work = await get('subject_teacher', '/api/my-work');
      assert.equal(work.items[0].kind, 'marks_enter');
      assert.equal(work.items[0].status, 'overdue');
      assert.ok(work.counts.overdue >= 1);
      // Semester II joins the queue once semester I is due, as upcoming work.
      assert.ok(work.items.some((i: { label: { vi: string }; status: string }) => /HKII/.test(i.label.vi) && i.status === 'upcoming'));
      // A signer without a certificate is told to register one; a delegation ending within two weeks is on both queues.
      const pw = await get('principal', '/api/my-work');
      assert.ok(pw.items.some((i: { kind: string; link: string }) => i.kind === 'certificate' && i.link === '/account'), JSON.stringify(pw.items));
      const d = await (await as('principal')).request({ method: 'POST', url: '/api/delegations', payload: { delegateUserId: t.school.users.vice_principal.id, decisionNumber: '12/QĐ-THPTHL1', grades: [], validFrom: '2026-01-01', validTo: '2026-01-25' } });
      assert.equal(d.statusCode, 200, d.body);
      const vw = await get('vice_principal', '/api/my-work');
      const expiring = vw.items.find((i: { kind: string }) => i.kind === 'delegation_expiring');
      assert.ok(expiring, JSON.stringify(vw.items));
      assert.equal(expiring.dueOn, '2026-01-25');
      assert.match(expiring.label.vi, /12\/QĐ-THPTHL1/);
      // The homeroom teacher's queue has the class's data problems (due with data cleaning, 30 April).
      const hw = await get('homeroom_teacher', '/api/my-work');
      assert.ok(hw.items.some((i: { kind: string; dueOn: string }) => i.kind === 'data_fix' && i.dueOn === '2026-04-30'), JSON.stringify(hw.items));
    });

    test('reminders: none a week early, one digest N days before, again when overdue, escalation to the principal after M days — by SMTP, once a day', async () => {
      const admin = await as('school_admin');
      const put = await admin.request({ method: 'PUT', url: '/api/plan/settings', payload: { remindDaysBefore: 3, escalateAfterDays: 2, smtp: { host: '127.0.0.1', port: sink.port, secure: false, user: 'hocba', from: 'hocba@hauloc1.test', password: 'smtp-secret-9' } } });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().smtp.passwordSet, true);
      assert.ok(!put.body.includes('smtp-secret-9'), 'the password never comes back');
      assert.ok(!(await admin.request({ method: 'GET', url: '/api/plan/settings' })).body.includes('smtp-secret-9'));

      clock.set(vn('2026-01-09T07:00:00'));
      let r = await run();
      assert.equal(sink.mails.length, 0, `7 days before: ${sink.mails.map((m) => mailText(m.raw)).join('\n')}`);
      assert.equal(r.emailed, 0);

      clock.set(vn('2026-01-13T07:00:00'));
      r = await run();
      assert.equal(r.emailed, 1, JSON.stringify(r));
      const first = sink.mails[0]!;
      assert.deepEqual(first.to, ['gv.toan@hauloc1.test']);
      assert.equal(first.user, 'hocba');
      const text1 = mailText(first.raw);
      assert.match(text1, /Subject: \[Học bạ số\] Việc cần làm ngày 13\/01\/2026: 1 việc sắp đến hạn/);
      assert.match(text1, /\[sắp đến hạn\] Nhập điểm Toán – 10A1, HKI \(\d+\) — hạn 16\/01\/2026: http:\/\/hocba\.test\/grade-sheets\//);

      // The same day again (the job re-queued, a restart): no second digest, no second e-mail.
      r = await run();
      assert.equal(r.digests, 0);
      assert.equal(r.emailed, 0);
      assert.equal(sink.mails.length, 1);

      clock.set(vn('2026-01-17T07:00:00'));
      await run();
      const overdue = sink.mails.filter((m) => m.to[0] === 'gv.toan@hauloc1.test').map((m) => mailText(m.raw));
      assert.equal(overdue.length, 2);
      assert.match(overdue[1]!, /1 việc quá hạn/);
      assert.match(overdue[1]!, /\[QUÁ HẠN\] Nhập điểm Toán – 10A1, HKI/);
      assert.ok(!sink.mails.some((m) => m.to[0] === 'hieu.truong@hauloc1.test' && /đôn đốc/.test(mailText(m.raw))), 'one day overdue: not escalated yet');

      clock.set(vn('2026-01-18T07:00:00'));
      await run();
      const toPrincipal = sink.mails.filter((m) => m.to[0] === 'hieu.truong@hauloc1.test').map((m) => mailText(m.raw));
      const escalation = toPrincipal.find((m) => /Quá hạn cần Hiệu trưởng đôn đốc/.test(m));
      assert.ok(escalation, toPrincipal.join('\n---\n'));
      assert.match(escalation, /Nhập và nộp điểm học kỳ I, lớp 10A1: còn 1, quá hạn 2 ngày \(hạn 16\/01\/2026\) — Giáo viên Toán/);
      assert.match(escalation, /http:\/\/hocba\.test\/plan\/board/);

      // One digest per person per day, in the app as well.
      const rows = await inSystem(t.database.db, (tx) => tx.select().from(notifications).where(eq(notifications.userId, t.school.users.subject_teacher.id)));
      assert.deepEqual(rows.map((n) => n.day).sort(), ['2026-01-13', '2026-01-17', '2026-01-18']);
      assert.ok(rows.every((n) => n.emailStatus === 'sent'));
      const list = await get('subject_teacher', '/api/notifications');
      assert.equal(list.unread, 3);
      assert.ok(!JSON.stringify(list).includes('gv.toan@'), 'addresses stay server-side');
      const other = await (await as('homeroom_teacher')).request({ method: 'POST', url: `/api/notifications/${list.notifications[0].id}/read`, payload: {} });
      assert.equal(other.statusCode, 404, "another person's notification");
      const read = await (await as('subject_teacher')).request({ method: 'POST', url: `/api/notifications/${list.notifications[0].id}/read`, payload: {} });
      assert.equal(read.statusCode, 200, read.body);
      assert.equal((await get('subject_teacher', '/api/notifications')).unread, 2);

      // A wrong SMTP password: the digest is kept with the failure, and the password is not in the error.
      await admin.request({ method: 'PUT', url: '/api/plan/settings', payload: { remindDaysBefore: 3, escalateAfterDays: 2, smtp: { host: '127.0.0.1', port: sink.port, secure: false, user: 'hocba', from: 'hocba@hauloc1.test', password: 'wrong-pass-77' } } });
      clock.set(vn('2026-01-19T07:00:00'));
      r = await run();
      assert.ok(r.emailFailed >= 1, JSON.stringify(r));
      const [failed] = await inSystem(t.database.db, (tx) => tx.select().from(notifications).where(and(eq(notifications.userId, t.school.users.subject_teacher.id), eq(notifications.day, '2026-01-19'))));
      assert.equal(failed!.emailStatus, 'failed');
      assert.ok(failed!.emailError && !failed!.emailError.includes('wrong-pass-77'), failed!.emailError ?? '');
    });

    test('the daily job is due once per school per Vietnam day, from 06:00', async () => {
      const due = await schoolsDueForRun(t.database.db, vn('2026-01-19T09:00:00'));
      assert.ok(!due.includes(t.school.schoolId), 'ran on 19 January already');
      assert.ok(due.includes(t.other.schoolId));
      assert.ok((await schoolsDueForRun(t.database.db, vn('2026-01-20T09:00:00'))).includes(t.school.schoolId));
      assert.deepEqual(await schoolsDueForRun(t.database.db, vn('2026-01-20T05:00:00')), []);
    });

    test('the daily run goes through pg-boss: a queued plan.daily job records the school\'s run for the day', async () => {
      const runner = createJobRunner({ database: t.database, publicUrl: PUBLIC_URL, housekeeping: [], pollingIntervalSeconds: 1, log: () => undefined });
      const today = vnDay(new Date());
      try {
        await runner.send('plan.daily', { schoolId: t.other.schoolId, day: today });
        let rows: Array<{ day: string }> = [];
        for (let waited = 0; waited < 60_000 && rows.length === 0; waited += 250) {
          rows = await inSystem(t.database.db, (tx) => tx.select({ day: planDailyRuns.day }).from(planDailyRuns).where(and(eq(planDailyRuns.schoolId, t.other.schoolId), eq(planDailyRuns.day, today))));
          if (!rows.length) await sleep(250);
        }
        assert.deepEqual(rows.map((r) => r.day), [today]);
      } finally {
        await runner.stop();
      }
    });

    test('the board: overdue classes with the person and the sheet, upcoming signing, snapshots for the chart', async () => {
      clock.set(vn('2026-01-19T10:00:00'));
      const board = await get('principal', '/api/plan/board');
      const marks = board.rows.find((r: { stage: string; grade: number }) => r.stage === 'marks_s1' && r.grade === 10);
      assert.equal(marks.status, 'overdue');
      const c = marks.classes.find((x: { className: string }) => x.className === '10A1');
      assert.equal(c.status, 'overdue');
      assert.equal(c.daysOverdue, 3);
      assert.deepEqual(c.pending.map((p: { who: string; link: string }) => [p.who, p.link]), [['Giáo viên Toán', `/grade-sheets/${t.school.classSubjectId}/1`]]);
      assert.equal(board.rows.find((r: { stage: string }) => r.stage === 'sign_subject').status, 'upcoming');
      assert.ok(board.snapshots.some((s: { day: string; stage: string }) => s.day === '2026-01-13' && s.stage === 'marks_s1'));
      assert.ok(board.dataQuality.students >= 4);
      // June: nothing frozen, so freezing and the first signatures are overdue for every class.
      clock.set(vn('2026-06-17T10:00:00'));
      const june = await get('vice_principal', '/api/plan/board');
      for (const stage of ['freeze', 'sign_subject']) {
        const row = june.rows.find((r: { stage: string; grade: number }) => r.stage === stage && r.grade === 10);
        assert.equal(row.status, 'overdue', stage);
        assert.ok(row.classes[0].pending.length > 0);
      }
      assert.equal(june.rows.find((r: { stage: string }) => r.stage === 'seal').status, 'upcoming', 'the seal opens on 25 June');
      const teacherBoard = await (await as('subject_teacher')).request({ method: 'GET', url: '/api/plan/board' });
      assert.equal(teacherBoard.statusCode, 403);
    });

    test('exports: the XLSX lists the overdue class and its teacher; the PDF report renders', async () => {
      clock.set(vn('2026-01-19T10:00:00'));
      const principal = await as('principal');
      const x = await principal.request({ method: 'GET', url: '/api/plan/board.xlsx' });
      assert.equal(x.statusCode, 200);
      const xlsx = join(dir, 'board.xlsx');
      await writeFile(xlsx, x.rawPayload);
      const sheets = await readXlsxFile(xlsx);
      const summary = sheets[0]!.data as unknown[][];
      assert.deepEqual(summary[0]!.slice(0, 3), ['Giai đoạn', 'Khối', 'Lớp']);
      assert.ok(summary.some((row) => row[0] === 'Nhập và nộp điểm học kỳ I' && row[2] === '10A1' && row[8] === 'Quá hạn'), JSON.stringify(summary.slice(0, 5)));
      const pending = sheets[1]!.data as unknown[][];
      assert.ok(pending.some((row) => row[4] === 'Giáo viên Toán' && row[5] === 'Toán – HKI'));
      const p = await principal.request({ method: 'GET', url: '/api/plan/board.pdf' });
      assert.equal(p.statusCode, 200);
      assert.equal(p.rawPayload.subarray(0, 5).toString(), '%PDF-');
      const pdf = join(dir, 'board.pdf');
      await writeFile(pdf, p.rawPayload);
      const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8');
      assert.match(text, /BÁO CÁO TIẾN ĐỘ HỌC BẠ SỐ/);
      assert.match(text, /Nhập và nộp điểm học kỳ I — lớp 10A1: còn 1\/1, quá hạn 3 ngày/);
      if (process.env.HOCBA_KEEP_PLAN_PDF) await writeFile(process.env.HOCBA_KEEP_PLAN_PDF, await readFile(pdf));
      const [sheet] = await inSystem(t.database.db, (tx) => tx.select().from(gradeSheets).where(eq(gradeSheets.classSubjectId, t.school.classSubjectId)));
      assert.ok(sheet);
    });
  });
}
