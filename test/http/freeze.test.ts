/**
 * Freezing a class's records: a student whose data is clean and whose year is complete gets
 * a version with the canonical HBS XML and its digest; the others are reported with reasons.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { classSubjects, gradeEntries, gradeSheets, staff, students, subjects } from '../../src/db/schema.ts';
import { hbsV1 } from '../../src/documents/hbs-xml/hbs-v1.ts';
import { verificationCode } from '../../src/domain/record/verification-code.ts';
import { BACKENDS } from '../helpers/db.ts';
import { sessionFor, startTestApp, type Client, type TestApp } from '../helpers/app.ts';

/** Six score subjects with every mark for both semesters: enough for a complete Circular 22 year. */
async function completeYear(t: TestApp) {
  const db = t.database.db;
  const [teacher] = await db.select().from(staff).where(eq(staff.userId, t.school.users.subject_teacher.id));
  const codes = ['NV', 'NN1', 'LS', 'VL', 'HH'];
  for (const code of codes) {
    const [s] = await db.select().from(subjects).where(and(eq(subjects.schoolId, t.school.schoolId), eq(subjects.code, code)));
    await db.insert(classSubjects).values({ schoolId: t.school.schoolId, classId: t.school.classId, subjectId: s!.id, teacherStaffId: teacher!.id });
  }
  const css = await db.select({ id: classSubjects.id, periods: subjects.periodsPerYear }).from(classSubjects).innerJoin(subjects, eq(subjects.id, classSubjects.subjectId)).where(eq(classSubjects.classId, t.school.classId));
  for (const cs of css) {
    const regular = cs.periods <= 35 ? 2 : cs.periods <= 70 ? 3 : 4;
    for (const semester of [1, 2]) {
      const [sheet] = await db.insert(gradeSheets).values({ schoolId: t.school.schoolId, classSubjectId: cs.id, semester }).returning();
      const values = t.school.studentIds.slice(0, 3).flatMap((studentId) => [
        ...Array.from({ length: regular }, (_, idx) => ({ field: 'regular', idx, value: '8' })),
        { field: 'midterm', idx: 0, value: '8.5' },
        { field: 'final', idx: 0, value: '9' },
      ].map((v) => ({ schoolId: t.school.schoolId, sheetId: sheet!.id, studentId, ...v })));
      await db.insert(gradeEntries).values(values);
    }
  }
}

for (const kind of BACKENDS) {
  describe(`freezing records (${kind})`, () => {
    let t: TestApp;
    let homeroom: Client;
    let a: string;
    let b: string;
    before(async () => {
      t = await startTestApp(kind);
      homeroom = await sessionFor(t, t.school.users.homeroom_teacher.id, t.school.schoolId);
      [a, b] = t.school.studentIds as [string, string];
      await completeYear(t);
      const clean = { birthPlace: 'Xã Hậu Lộc, Thanh Hóa', ethnicityCode: '01', nationality: 'Việt Nam', address: 'Thôn 1, Xã Hậu Lộc, Tỉnh Thanh Hóa', motherName: 'Lê Thị Hoa' };
      await t.database.db.update(students).set({ ...clean, studentCode: '3800000001', personalId: '038210000001', birthDate: '2010-03-01' }).where(eq(students.id, a));
      await t.database.db.update(students).set({ ...clean, studentCode: '3800000002', personalId: '038310000002', birthDate: '2010-03-02' }).where(eq(students.id, b));
      for (const id of [a, b]) {
        for (const semester of [1, 2]) {
          await homeroom.request({ method: 'PUT', url: `/api/classes/${t.school.classId}/homeroom/students/${id}`, payload: { semester, conduct: 'tot' } });
        }
      }
      await homeroom.request({ method: 'PUT', url: `/api/classes/${t.school.classId}/homeroom/students/${a}`, payload: { comment: 'Chăm ngoan, học tốt & lễ phép.' } });
      // The third student has no conduct for semester II and unclean identity data.
    });
    after(() => t.close());

    test('the homeroom teacher freezes the class: frozen, blocked with reasons', async () => {
      const res = await homeroom.request({ method: 'POST', url: `/api/classes/${t.school.classId}/freeze`, payload: {} });
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json();
      assert.deepEqual(r.frozen.map((x: { studentId: string }) => x.studentId).sort(), [a, b].sort());
      assert.equal(r.blocked.length, 1);
      const reasons = r.blocked[0].reasons.map((m: { vi: string }) => m.vi).join(' | ');
      assert.match(reasons, /Dữ liệu cá nhân còn lỗi chặn ký/);
      assert.match(reasons, /rèn luyện HK/);
    });

    test('the frozen version holds the canonical XML, its digest, and the snapshot it parses back to', async () => {
      const versions = (await homeroom.request({ method: 'GET', url: `/api/students/${a}/records` })).json().versions;
      assert.equal(versions.length, 1);
      assert.equal(versions[0].version, 1);
      const xmlRes = await homeroom.request({ method: 'GET', url: `/api/record-versions/${versions[0].id}/xml` });
      const xml = xmlRes.body;
      assert.equal(createHash('sha256').update(xml, 'utf8').digest('hex'), versions[0].digest);
      assert.equal(xmlRes.headers['x-content-sha256'], versions[0].digest);
      const snap = hbsV1.parse(xml);
      assert.equal(hbsV1.serialize(snap), xml, 'canonical: the same bytes again');
      assert.equal(snap.identity.fullName, 'Nguyễn Văn An');
      assert.equal(snap.year.subjects.length, 6);
      // Toán, 4 regular marks: (8·4 + 8.5·2 + 9·3)/9 = 76/9 = 8.44 → 8.4 each semester; year (8.4 + 2·8.4)/3 = 8.4.
      assert.deepEqual(snap.year.subjects.find((s) => s.code === 'TOAN')!.year, { kind: 'score', average: '8.4' });
      assert.equal(snap.year.learning.year, 'tot');
      assert.equal(snap.year.conduct.year, 'tot');
      assert.equal(snap.year.homeroom.comment, 'Chăm ngoan, học tốt & lễ phép.');
      assert.equal(snap.year.promotion, 'promoted');
    });

    test('the version as PDF/A-3: the same bytes each time, the embedded XML identical to the frozen XML', async () => {
      const versions = (await homeroom.request({ method: 'GET', url: `/api/students/${a}/records` })).json().versions;
      const one = await homeroom.request({ method: 'GET', url: `/api/record-versions/${versions[0].id}/pdf` });
      const two = await homeroom.request({ method: 'GET', url: `/api/record-versions/${versions[0].id}/pdf` });
      assert.equal(one.statusCode, 200);
      assert.equal(one.headers['content-type'], 'application/pdf');
      assert.ok(one.rawPayload.equals(two.rawPayload), 'byte-identical');
      const dir = mkdtempSync(join(tmpdir(), 'hocba-pdf-'));
      try {
        writeFileSync(join(dir, 'r.pdf'), one.rawPayload);
        const detach = spawnSync('pdfdetach', ['-save', '1', '-o', join(dir, 'x.xml'), join(dir, 'r.pdf')]);
        if (detach.error) {
          assert.ok(!process.env.CI, 'pdfdetach (poppler-utils) is missing although CI is set');
          return;
        }
        const xml = (await homeroom.request({ method: 'GET', url: `/api/record-versions/${versions[0].id}/xml` })).body;
        assert.equal(readFileSync(join(dir, 'x.xml'), 'utf8'), xml);
        // The QR code on the page decodes to the verification URL with the record's short code.
        spawnSync('pdftoppm', ['-png', '-r', '150', join(dir, 'r.pdf'), join(dir, 'page')]);
        const pages = readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png')).sort();
        const decoded = pages.map((p) => spawnSync('zbarimg', ['-q', '--raw', join(dir, p)], { encoding: 'utf8' }).stdout.trim()).filter(Boolean);
        const code = verificationCode(versions[0].digest);
        assert.deepEqual(decoded, [`http://localhost:8080/verify/${code}`]);
        assert.match(spawnSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).stdout, new RegExp(`Mã tra cứu: ${code}`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('freezing again keeps the existing version; other people cannot freeze or read another class’s record', async () => {
      const again = (await homeroom.request({ method: 'POST', url: `/api/classes/${t.school.classId}/freeze`, payload: {} })).json();
      assert.equal(again.frozen.length, 0);
      assert.equal(again.alreadyFrozen.length, 2);
      const teacher = await sessionFor(t, t.school.users.subject_teacher.id, t.school.schoolId);
      assert.equal((await teacher.request({ method: 'POST', url: `/api/classes/${t.school.classId}/freeze`, payload: {} })).statusCode, 403);
      const parent = await sessionFor(t, t.school.users.parent.id, t.school.schoolId); // parent of student a
      assert.equal((await parent.request({ method: 'GET', url: `/api/students/${a}/records` })).statusCode, 200);
      assert.equal((await parent.request({ method: 'GET', url: `/api/students/${b}/records` })).statusCode, 403);
      const n = await t.database.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'record.frozen'`);
      assert.equal(n[0]!.n, 2);
    });
  });
}
