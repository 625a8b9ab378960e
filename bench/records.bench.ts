/**
 * The học bạ records of a whole school, end to end, on an embedded PGlite database:
 * the demo school (1,500 students) gets a complete grade book through the real services
 * (grade sheets saved by each class-subject's teacher, conduct and comments by the
 * homeroom teacher), then every record goes through
 *   1. freeze  — `freezeClass` per class: snapshot + canonical HBS XML + digest, audited;
 *   2. XML     — the canonical HBS XML serialised again from each stored snapshot;
 *   3. PDF     — `renderVersionPdf`: the PDF/A-3b with the XML embedded and the QR code,
 *                exactly what the download route serves;
 *   4. PDF signed — a sample rendered with every signature block (blue signatures, red seal).
 * Prints records/s (wall clock and CPU time: the CPU figure does not depend on what else the
 * machine runs), peak RSS (process.resourceUsage().maxRSS) and the peak heap, sampled.
 */
import { and, eq } from 'drizzle-orm';
import { openDatabase } from '../src/db/client.ts';
import { classes, classSubjects, homeroomAssignments, recordVersions, staff } from '../src/db/schema.ts';
import { hbsV1 } from '../src/documents/hbs-xml/hbs-v1.ts';
import { renderRecordPdf } from '../src/documents/pdf/render-record.ts';
import { signatureBlocks } from '../src/documents/pdf/test-snapshots.ts';
import type { RecordSnapshot } from '../src/domain/record/snapshot.ts';
import { loadActor } from '../src/services/auth/load-actor.ts';
import { loadDemoSchool } from '../src/services/demo/load-demo-school.ts';
import { getGradeSheet } from '../src/services/grades/get-grade-sheet.ts';
import { saveCells, type CellInput } from '../src/services/grades/save-cells.ts';
import { updateHomeroomStudent } from '../src/services/homeroom/update-homeroom-student.ts';
import { freezeClass } from '../src/services/records/freeze-class.ts';
import { renderVersionPdf } from '../src/services/records/render-version.ts';
import { fullScale, type Figure } from './results.ts';

const STUDENTS = fullScale() ? 1500 : 300;
const SIGNED_SAMPLE = fullScale() ? 300 : 60;
const figures: Figure[] = [];
const SCALE = `${fullScale() ? 'full' : 'quick'}: demo school, ${STUDENTS.toLocaleString('en')} students, PGlite in memory`;
const PUBLIC_URL = 'https://hocba.example.vn';

let peakHeap = 0;
const sampleHeap = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed));

/** Wall and CPU time of `fn`. */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { value, wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}

const rate = (n: number, ms: number) => (n / (ms / 1000)).toFixed(n / (ms / 1000) >= 100 ? 0 : 1);
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

function report(stage: string, n: number, t: { wallMs: number; cpuMs: number }, extra = ''): void {
  sampleHeap();
  figures.push({ name: `${stage} throughput`, value: n / (t.wallMs / 1000), unit: 'records/s', scale: stage === 'PDF signed' ? `${SCALE}, sample of ${n} records` : SCALE });
  console.log(
    `${stage.padEnd(11)} ${String(n).padStart(5)} records  ${(t.wallMs / 1000).toFixed(1).padStart(6)} s  ${rate(n, t.wallMs).padStart(6)} records/s  (CPU ${(t.cpuMs / 1000).toFixed(1)} s: ${rate(n, t.cpuMs)} records/s)${extra}`,
  );
}

/** A deterministic mark "6.0"–"9.5" for a student's cell (no Math.random: same grade book every run). */
function mark(seed: number): string {
  const x = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  return (6 + ((x % 36) / 10)).toFixed(1);
}

export async function run(): Promise<Figure[]> {
  figures.length = 0;
  const timer = setInterval(sampleHeap, 25);
  timer.unref();
  const database = await openDatabase({ memory: true });
  try {
    const db = database.db;
    const setup = await timed(async () => {
      const { schoolId } = await loadDemoSchool({ db, students: STUDENTS });
      const classRows = await db.select().from(classes).where(eq(classes.schoolId, schoolId));
      const actors = new Map<string, Awaited<ReturnType<typeof loadActor>>>();
      const actorOf = async (userId: string) => {
        let a = actors.get(userId);
        if (!a) actors.set(userId, (a = await loadActor(db, userId, schoolId)));
        return a;
      };
      let cells = 0;
      const homerooms: Array<{ classId: string; userId: string }> = [];
      for (const cls of classRows) {
        const css = await db
          .select({ id: classSubjects.id, userId: staff.userId })
          .from(classSubjects)
          .innerJoin(staff, eq(staff.id, classSubjects.teacherStaffId))
          .where(eq(classSubjects.classId, cls.id));
        for (const cs of css) {
          const actor = await actorOf(cs.userId!);
          const who = { userId: cs.userId!, label: 'bench teacher' };
          for (const semester of [1, 2] as const) {
            const sheet = await getGradeSheet({ db, actor, schoolId, classSubjectId: cs.id, semester });
            const score = sheet.subject.assessment === 'score';
            const input: CellInput[] = [];
            sheet.rows.forEach((row, r) => {
              const v = (k: number) => (score ? mark(r * 131 + k * 17 + semester) : 'Đ');
              for (let i = 0; i < sheet.regularCount; i++) input.push({ studentId: row.studentId, field: 'regular', index: i, value: v(i) });
              input.push({ studentId: row.studentId, field: 'midterm', value: v(90) }, { studentId: row.studentId, field: 'final', value: v(91) });
              if (semester === 2 && r % 5 === 0) input.push({ studentId: row.studentId, field: 'comment', value: 'Có tiến bộ, cần phát huy.' });
            });
            await saveCells({ db, actor, who, schoolId, sheetId: sheet.id, cells: input, lang: 'vi' });
            cells += input.length;
          }
        }
        const [hr] = await db.select({ userId: staff.userId }).from(homeroomAssignments).innerJoin(staff, eq(staff.id, homeroomAssignments.staffId)).where(eq(homeroomAssignments.classId, cls.id));
        const actor = await actorOf(hr!.userId!);
        const who = { userId: hr!.userId!, label: 'bench homeroom' };
        const roster = (await getGradeSheet({ db, actor, schoolId, classSubjectId: css[0]!.id, semester: 1 })).rows;
        for (const [i, row] of roster.entries()) {
          for (const semester of [1, 2] as const) {
            await updateHomeroomStudent({ db, actor, who, schoolId, classId: cls.id, studentId: row.studentId, update: { semester, conduct: i % 4 === 0 ? 'kha' : 'tot' } });
          }
          await updateHomeroomStudent({ db, actor, who, schoolId, classId: cls.id, studentId: row.studentId, update: { comment: 'Chăm ngoan, tích cực tham gia hoạt động của lớp.' } });
        }
        homerooms.push({ classId: cls.id, userId: hr!.userId! });
      }
      return { schoolId, homerooms, cells, classes: classRows.length, actorOf };
    });
    const { schoolId, homerooms, actorOf } = setup.value;
    console.log(`setup: demo school, ${setup.value.classes} classes, ${setup.value.cells.toLocaleString('en')} grade cells saved through saveCells, conduct and comments through updateHomeroomStudent: ${(setup.wallMs / 1000).toFixed(1)} s`);

    // 1. Freeze, class by class, as the homeroom teachers do.
    const frozen = await timed(async () => {
      let n = 0;
      const blocked: string[] = [];
      for (const h of homerooms) {
        const r = await freezeClass({ db, actor: await actorOf(h.userId), who: { userId: h.userId, label: 'bench homeroom' }, schoolId, classId: h.classId, now: new Date('2026-05-31T09:15:00Z') });
        n += r.frozen.length;
        for (const b of r.blocked) blocked.push(`${b.fullName}: ${b.reasons.map((x) => x.en).join(' ')}`);
      }
      return { n, blocked };
    });
    report('freeze', frozen.value.n, frozen);
    if (frozen.value.blocked.length) console.log(`  blocked: ${frozen.value.blocked.length}, e.g. ${frozen.value.blocked.slice(0, 3).join(' | ')}`);

    const versions = await db.select({ snapshot: recordVersions.snapshot, xml: recordVersions.xml, digest: recordVersions.digest }).from(recordVersions).where(and(eq(recordVersions.schoolId, schoolId)));
    sampleHeap();

    // 2. XML from each stored snapshot (the canonical form must come out byte for byte).
    const xml = await timed(async () => {
      let same = 0;
      for (const v of versions) if (hbsV1.serialize(v.snapshot as RecordSnapshot) === v.xml) same++;
      return same;
    });
    report('XML', versions.length, xml, xml.value === versions.length ? '' : `  (${versions.length - xml.value} differ!)`);

    // 3. PDF/A-3b with the XML embedded and the verification QR code.
    const pdf = await timed(async () => {
      let bytes = 0;
      for (const [i, v] of versions.entries()) {
        bytes += (await renderVersionPdf(v, PUBLIC_URL)).pdf.length;
        if (i % 50 === 0) sampleHeap();
      }
      return bytes;
    });
    report('PDF', versions.length, pdf, `, ${Math.round(pdf.value / versions.length / 1024)} KiB each`);

    // 4. A sample with every signature block drawn (images decoded once, stamped on each record).
    const signed = await timed(async () => {
      let bytes = 0;
      for (const v of versions.slice(0, SIGNED_SAMPLE)) {
        const s = v.snapshot as RecordSnapshot;
        if (s.year.subjects.length < 3) continue;
        bytes += (await renderRecordPdf(s, { xml: v.xml, signatures: signatureBlocks(s, 'images') })).length;
      }
      return bytes;
    });
    report('PDF signed', Math.min(SIGNED_SAMPLE, versions.length), signed, `, ${Math.round(signed.value / Math.min(SIGNED_SAMPLE, versions.length) / 1024)} KiB each`);
  } finally {
    clearInterval(timer);
    await database.close();
  }
  sampleHeap();
  console.log(`peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB (process.resourceUsage().maxRSS), peak heap ${mb(peakHeap)} MB (sampled every 25 ms)`);
  figures.push({ name: 'peak heap (freeze, XML, PDF)', value: mb(peakHeap), unit: 'MB', scale: SCALE });
  return figures;
}
