/**
 * A finished school year for the demo school: every Circular 22 mark (regular, mid-term,
 * end-of-term, per subject and semester), subject-teacher comments, conduct, absences and
 * the homeroom teacher's year comment, so a GVCN can freeze their class right after
 * `npm start` and the signing workflow can be tried end to end.
 *
 * Speed: a whole school is ~250,000 cells. Going through saveCells (one validated, audited
 * change per cell) takes minutes (bench/records.bench.ts), so the rows are generated in
 * memory, checked with the same engine the freeze uses (computeStudentYear), and written
 * with one set-based INSERT per table and class, in one transaction and one audit entry per
 * class. Deterministic: seeded per class, no clock, no Math.random.
 *
 * A handful of students keep realistic problems on purpose (DEMO_PROBLEM_KINDS), so the
 * data-quality board and the freeze report have something to show.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { classes, classSubjects, enrolments, gradeSheets, schoolYears, staff, students, subjects } from '../../db/schema.ts';
import { commentToCanonical, tenthsToCanonical } from '../../domain/assessment/sheet-values.ts';
import { requiredCommentRegularMarks, requiredRegularMarks } from '../../domain/assessment/subject-semester.ts';
import { computeStudentYear, type StudentYearResult } from '../../domain/assessment/student-year.ts';
import type { CommentResult, Level } from '../../domain/assessment/levels.ts';
import type { SubjectInput } from '../../domain/assessment/types.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { Rng, mixSeed } from './demo-data-random.ts';

/** The deliberate problems, each blocking the freeze for its own reason. */
export const DEMO_PROBLEM_KINDS = ['identity', 'missing_mark', 'summer'] as const;
export type DemoProblemKind = (typeof DEMO_PROBLEM_KINDS)[number];

export interface DemoSubject {
  classSubjectId: string;
  code: string;
  assessment: 'score' | 'comment';
  periodsPerYear: number;
  topicCluster: boolean;
}

/** One student's generated year, in the canonical cell values the grade book stores. */
export interface DemoStudentYear {
  studentId: string;
  /** `${classSubjectId}|${semester}` → cells. */
  cells: Map<string, Array<{ field: 'regular' | 'midterm' | 'final' | 'comment'; idx: number; value: string }>>;
  conduct: Record<1 | 2, Level>;
  /** Absent sessions from the register: ISO date, session (1 morning, 2 afternoon), excused. */
  absences: Array<{ on: string; session: 1 | 2; excused: boolean }>;
  homeroomComment: string;
  problem: DemoProblemKind | null;
  /** The engine's result for what is written (before a deliberate missing mark is removed). */
  result: StudentYearResult;
}

export interface DemoMarksReport {
  classes: number;
  students: number;
  cells: number;
  problems: Array<{ className: string; studentId: string; kind: DemoProblemKind }>;
  ms: number;
}

// Semester dates of the demo year (SCHOOL_YEAR: 5 Sep 2025 – 30 Jun 2026, semester II from 12 Jan).
const SEMESTER_DAYS: Record<1 | 2, [string, string]> = { 1: ['2025-09-08', '2026-01-09'], 2: ['2026-01-12', '2026-05-22'] };

const round = (x: number, step: number) => Math.round(x / step) * step;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Normal(0, 1) by Box–Muller over the seeded generator. */
function gauss(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** A mark in tenths: `step` 0.5 for quick regular checks, 0.25 rounded to tenths for written tests. */
function mark(rng: Rng, mean: number, spread: number, step: number): number {
  const v = clamp(round(mean + gauss(rng) * spread, step), 0, 10);
  return Math.round(v * 10);
}

const SUBJECT_COMMENTS: Record<'high' | 'good' | 'fair' | 'weak', readonly string[]> = {
  high: ['Học tốt, tư duy nhanh, tích cực phát biểu.', 'Nắm vững kiến thức, vận dụng linh hoạt.', 'Chăm chỉ, có năng khiếu với bộ môn.', 'Tiếp thu tốt, trình bày rõ ràng, cẩn thận.'],
  good: ['Có tiến bộ, cần phát huy.', 'Nắm được kiến thức cơ bản, làm bài khá.', 'Chăm học, cần mạnh dạn hơn khi phát biểu.', 'Tiếp thu khá, cần cẩn thận hơn khi làm bài.'],
  fair: ['Cần cố gắng hơn, chú ý ôn tập thường xuyên.', 'Nắm kiến thức cơ bản, kĩ năng vận dụng còn hạn chế.', 'Cần tập trung hơn trong giờ học.'],
  weak: ['Kiến thức còn hổng, cần ôn tập nhiều hơn.', 'Chưa đạt yêu cầu, cần cố gắng nhiều.'],
};
const COMMENT_SUBJECT_COMMENTS = ['Tham gia đầy đủ, tích cực các hoạt động.', 'Hoàn thành tốt các nhiệm vụ được giao.', 'Có ý thức, hoàn thành yêu cầu của môn học.', 'Tích cực, hợp tác tốt với bạn bè.'];

const HOMEROOM_COMMENTS: Record<Level, readonly string[]> = {
  tot: ['Ngoan, lễ phép, học tập chăm chỉ, kết quả tốt. Cần phát huy.', 'Gương mẫu, nhiệt tình trong các phong trào của lớp, học lực tốt.', 'Chăm ngoan, học giỏi, có ý thức tự giác cao.'],
  kha: ['Ngoan, có ý thức học tập, kết quả khá. Cần cố gắng hơn ở một số môn.', 'Chấp hành tốt nội quy, học tập có tiến bộ.', 'Hiền lành, chăm chỉ, cần mạnh dạn hơn trong học tập.'],
  dat: ['Cần cố gắng nhiều hơn trong học tập, chú ý ôn bài ở nhà.', 'Chấp hành nội quy, kết quả học tập ở mức đạt, cần nỗ lực hơn.'],
  chua_dat: ['Kết quả học tập chưa đạt, cần ôn tập hè và kiểm tra lại.'],
};

function weightedLevel(rng: Rng, weights: Record<Level, number>): Level {
  return rng.weighted<Level>([['tot', weights.tot], ['kha', weights.kha], ['dat', weights.dat], ['chua_dat', weights.chua_dat]]);
}

/** Weekdays between two ISO dates (inclusive), computed once. */
function weekdays([from, to]: [string, string]): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
    const day = d.getUTCDay();
    if (day !== 0 && day !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}
const WEEKDAYS: Record<1 | 2, string[]> = { 1: weekdays(SEMESTER_DAYS[1]), 2: weekdays(SEMESTER_DAYS[2]) };

/**
 * Generates one class's year. Pure and deterministic for (seed, classIndex, the inputs).
 * Students listed in `problems` get their deliberate problem; every other student's year is
 * complete, valid and promotable for the engine (re-drawn with a stronger profile if not).
 */
export function generateClassYear(opts: {
  seed: number;
  classIndex: number;
  subjects: readonly DemoSubject[];
  studentIds: readonly string[];
  problems?: ReadonlyMap<string, DemoProblemKind>;
}): DemoStudentYear[] {
  const rng = new Rng(mixSeed(opts.seed, 1000 + opts.classIndex));
  // A class has its own level: some classes are stronger (the "A" stream of the grade).
  const classBias = gauss(rng) * 0.35;
  return opts.studentIds.map((studentId) => {
    const problem = opts.problems?.get(studentId) ?? null;
    for (let attempt = 0; ; attempt++) {
      // Most students Khá/Tốt: ability around 7.4, rarely below 5.5; each retry is a little stronger.
      const ability = problem === 'summer' ? 4.1 : clamp(7.4 + classBias + gauss(rng) * 1.0 + attempt * 0.6, 5.4, 9.5);
      const year = drawStudent(rng, studentId, ability, opts.subjects, problem);
      const r = year.result;
      const ok = r.complete && r.promotion.status === 'complete' && r.promotion.outcome.kind === 'promoted';
      const summerOk = r.complete && r.promotion.status === 'complete' && r.promotion.outcome.kind === 'pending_reassessment';
      if ((problem === 'summer' ? summerOk : ok) || attempt >= 20) return year;
    }
  });
}

function drawStudent(rng: Rng, studentId: string, ability: number, subjects: readonly DemoSubject[], problem: DemoProblemKind | null): DemoStudentYear {
  const cells: DemoStudentYear['cells'] = new Map();
  const inputs: SubjectInput[] = [];
  const weakSubjects = problem === 'summer' ? new Set(subjects.filter((s) => s.assessment === 'score').slice(0, 2).map((s) => s.code)) : new Set<string>();
  for (const s of subjects) {
    const talent = gauss(rng) * 0.6; // strong and weak subjects of the same student
    if (s.assessment === 'score') {
      const count = requiredRegularMarks(s.periodsPerYear, s.topicCluster) ?? 0;
      const sem: Record<1 | 2, { regular: number[]; midterm: number; final: number }> = { 1: null!, 2: null! };
      for (const semester of [1, 2] as const) {
        const mean = weakSubjects.has(s.code) ? 3 : ability + talent + (semester === 2 ? 0.15 : 0);
        const regular = Array.from({ length: count }, () => mark(rng, mean + 0.3, 1.0, 0.5));
        const midterm = mark(rng, mean, 0.9, 0.25);
        const final = mark(rng, mean, 0.9, 0.25);
        sem[semester] = { regular, midterm, final };
        const avg = (regular.reduce((a, b) => a + b, 0) + 2 * midterm + 3 * final) / (count + 5) / 10;
        cells.set(`${s.classSubjectId}|${semester}`, [
          ...regular.map((v, idx) => ({ field: 'regular' as const, idx, value: tenthsToCanonical(v) })),
          { field: 'midterm', idx: 0, value: tenthsToCanonical(midterm) },
          { field: 'final', idx: 0, value: tenthsToCanonical(final) },
          { field: 'comment', idx: 0, value: rng.pick(SUBJECT_COMMENTS[avg >= 8 ? 'high' : avg >= 6.5 ? 'good' : avg >= 5 ? 'fair' : 'weak']) },
        ]);
      }
      inputs.push({ code: s.code, periodsPerYear: s.periodsPerYear, topicCluster: s.topicCluster, form: 'score', semesters: { I: sem[1], II: sem[2] } });
    } else {
      const count = requiredCommentRegularMarks(s.topicCluster);
      const sem: Record<1 | 2, { regular: CommentResult[]; midterm: CommentResult; final: CommentResult }> = { 1: null!, 2: null! };
      for (const semester of [1, 2] as const) {
        // A rare "Chưa đạt" on one regular check, never on the tests: the semester is still Đạt.
        const regular = Array.from({ length: count }, (_, i): CommentResult => (i === 0 && rng.chance(0.03) ? 'chua_dat' : 'dat'));
        sem[semester] = { regular, midterm: 'dat', final: 'dat' };
        cells.set(`${s.classSubjectId}|${semester}`, [
          ...regular.map((v, idx) => ({ field: 'regular' as const, idx, value: commentToCanonical(v) })),
          { field: 'midterm', idx: 0, value: 'D' },
          { field: 'final', idx: 0, value: 'D' },
          { field: 'comment', idx: 0, value: rng.pick(COMMENT_SUBJECT_COMMENTS) },
        ]);
      }
      inputs.push({ code: s.code, periodsPerYear: s.periodsPerYear, topicCluster: s.topicCluster, form: 'comment', semesters: { I: sem[1], II: sem[2] } });
    }
  }
  // Conduct: mostly Tốt, some Khá, a few Đạt; semester II close to semester I.
  const c1 = weightedLevel(rng, { tot: 74, kha: 20, dat: 6, chua_dat: 0 });
  const c2 = rng.chance(0.8) ? c1 : weightedLevel(rng, { tot: 78, kha: 18, dat: 4, chua_dat: 0 });
  // Absences: most students miss nothing or a few excused sessions (illness, family).
  const absences: DemoStudentYear['absences'] = [];
  const seen = new Set<string>();
  const sessions = rng.chance(0.55) ? 0 : rng.chance(0.85) ? rng.intBetween(1, 5) : rng.intBetween(6, 14);
  for (let i = 0; i < sessions; i++) {
    const semester = rng.chance(0.5) ? 1 : 2;
    const on = rng.pick(WEEKDAYS[semester]);
    const session = rng.chance(0.7) ? 1 : 2;
    if (seen.has(`${on}|${session}`)) continue;
    seen.add(`${on}|${session}`);
    absences.push({ on, session, excused: !rng.chance(0.12) });
  }
  const result = computeStudentYear({
    subjects: inputs,
    conduct: { I: c1, II: c2 },
    absences: { excused: absences.filter((a) => a.excused).length, unexcused: absences.filter((a) => !a.excused).length },
  });
  const learning = result.learning.year.status === 'complete' ? result.learning.year.level : 'dat';
  const homeroomComment = rng.pick(HOMEROOM_COMMENTS[learning]);
  return { studentId, cells, conduct: { 1: c1, 2: c2 }, absences, homeroomComment, problem, result };
}

/**
 * Which students get a deliberate problem: in the first class (the demo GVCN's) one
 * identity typo and one missing mark, and one more problem in every sixth class after it.
 */
export function pickDemoProblems(classRosters: ReadonlyArray<readonly string[]>, seed: number): Map<string, DemoProblemKind> {
  const rng = new Rng(mixSeed(seed, 999));
  const out = new Map<string, DemoProblemKind>();
  classRosters.forEach((roster, c) => {
    if (roster.length < 4) return;
    const pick = () => {
      let id: string;
      do id = roster[rng.int(roster.length)]!;
      while (out.has(id));
      return id;
    };
    if (c === 0) {
      out.set(pick(), 'identity');
      out.set(pick(), 'missing_mark');
    } else if (c % 6 === 0) {
      out.set(pick(), DEMO_PROBLEM_KINDS[(c / 6) % 3]!);
    }
  });
  return out;
}

/**
 * Fills the loaded demo school's year (see the file comment). Classes in name order, one
 * transaction and one `demo.year_loaded` audit entry per class. Expects empty grade sheets.
 */
export async function loadDemoYear(opts: { db: Db; schoolId: string; seed?: number; actor?: Actor }): Promise<DemoMarksReport> {
  const t0 = performance.now();
  const seed = opts.seed ?? 2025;
  const actor = opts.actor ?? { userId: null, label: 'demo' };
  const { db, schoolId } = opts;
  const plan = await inSchool(db, schoolId, async (tx) => {
    const [year] = await tx.select().from(schoolYears).where(and(eq(schoolYears.schoolId, schoolId), eq(schoolYears.isCurrent, true)));
    if (!year) throw new Error(`demo year: school ${schoolId} has no current school year`);
    const classRows = await tx.select({ id: classes.id, name: classes.name }).from(classes).where(eq(classes.schoolYearId, year.id));
    classRows.sort((a, b) => a.name.localeCompare(b.name, 'vi', { numeric: true }));
    const subjectRows = await tx
      .select({ classId: classSubjects.classId, classSubjectId: classSubjects.id, code: subjects.code, assessment: subjects.assessment, periodsPerYear: subjects.periodsPerYear, topicCluster: classSubjects.topicCluster, sortOrder: subjects.sortOrder, teacherUserId: staff.userId })
      .from(classSubjects)
      .innerJoin(subjects, eq(subjects.id, classSubjects.subjectId))
      .leftJoin(staff, eq(staff.id, classSubjects.teacherStaffId))
      .where(eq(classSubjects.schoolId, schoolId));
    const roster = await tx
      .select({ classId: enrolments.classId, studentId: enrolments.studentId, code: students.studentCode })
      .from(enrolments)
      .innerJoin(students, eq(students.id, enrolments.studentId))
      .where(and(eq(enrolments.schoolYearId, year.id), eq(enrolments.status, 'active')));
    // Database ids are random: order by student code so the same seed gives the same year.
    roster.sort((a, b) => (a.code ?? '').localeCompare(b.code ?? '') || a.studentId.localeCompare(b.studentId));
    return { year, classRows, subjectRows, roster };
  });
  const rosters = plan.classRows.map((c) => plan.roster.filter((r) => r.classId === c.id).map((r) => r.studentId));
  const problems = pickDemoProblems(rosters, seed);
  const report: DemoMarksReport = { classes: 0, students: 0, cells: 0, problems: [], ms: 0 };

  for (const [c, cls] of plan.classRows.entries()) {
    const subjectsOfClass = plan.subjectRows
      .filter((s) => s.classId === cls.id)
      .sort((a, b) => a.sortOrder - b.sortOrder)
      .map((s) => ({ ...s, assessment: s.assessment === 'comment' ? ('comment' as const) : ('score' as const) }));
    const years = generateClassYear({ seed, classIndex: c, subjects: subjectsOfClass, studentIds: rosters[c]!, problems });
    const cells = await inSchool(db, schoolId, (tx) => writeClassYear(tx, { schoolId, schoolYearId: plan.year.id, classId: cls.id, className: cls.name, subjects: subjectsOfClass, years, actor }));
    report.classes++;
    report.students += years.length;
    report.cells += cells;
    for (const y of years) if (y.problem) report.problems.push({ className: cls.name, studentId: y.studentId, kind: y.problem });
  }
  report.ms = Math.round(performance.now() - t0);
  return report;
}

/** Bulk rows as one JSON parameter: a single statement per table, whatever the class size. */
const asJson = (rows: unknown[]) => JSON.stringify(rows);

async function writeClassYear(
  tx: Tx,
  o: { schoolId: string; schoolYearId: string; classId: string; className: string; subjects: Array<DemoSubject & { teacherUserId: string | null }>; years: DemoStudentYear[]; actor: Actor },
): Promise<number> {
  const sheetRows = await tx
    .insert(gradeSheets)
    .values(o.subjects.flatMap((s) => [1, 2].map((semester) => ({ schoolId: o.schoolId, classSubjectId: s.classSubjectId, semester }))))
    .returning({ id: gradeSheets.id, classSubjectId: gradeSheets.classSubjectId, semester: gradeSheets.semester });
  const sheetId = new Map(sheetRows.map((r) => [`${r.classSubjectId}|${r.semester}`, r.id]));
  const teacherOf = new Map(o.subjects.map((s) => [s.classSubjectId, s.teacherUserId]));
  const missingSubject = o.subjects.find((s) => s.assessment === 'score')?.classSubjectId;

  const entries: Array<[string, string, string, number, string, string | null]> = []; // sheet, student, field, idx, value, by
  for (const y of o.years) {
    for (const [key, list] of y.cells) {
      const sheet = sheetId.get(key)!;
      const by = teacherOf.get(key.split('|')[0]!) ?? null;
      for (const cell of list) {
        // The deliberate "teacher has not entered the end-of-term test yet" gap.
        if (y.problem === 'missing_mark' && key === `${missingSubject}|2` && cell.field === 'final') continue;
        entries.push([sheet, y.studentId, cell.field, cell.idx, cell.value, by]);
      }
    }
  }
  await tx.execute(sql`
    insert into grade_entries (school_id, sheet_id, student_id, field, idx, value, updated_by)
    select ${o.schoolId}::uuid, (e->>0)::uuid, (e->>1)::uuid, e->>2, (e->>3)::smallint, e->>4, (e->>5)::uuid
    from jsonb_array_elements(${asJson(entries)}::jsonb) as e`);
  await tx.execute(sql`
    insert into student_semesters (school_id, student_id, school_year_id, semester, conduct)
    select ${o.schoolId}::uuid, (e->>0)::uuid, ${o.schoolYearId}::uuid, (e->>1)::smallint, e->>2
    from jsonb_array_elements(${asJson(o.years.flatMap((y) => [[y.studentId, 1, y.conduct[1]], [y.studentId, 2, y.conduct[2]]]))}::jsonb) as e`);
  await tx.execute(sql`
    insert into student_year_notes (school_id, student_id, school_year_id, comment)
    select ${o.schoolId}::uuid, (e->>0)::uuid, ${o.schoolYearId}::uuid, e->>1
    from jsonb_array_elements(${asJson(o.years.map((y) => [y.studentId, y.homeroomComment]))}::jsonb) as e`);
  const absences = o.years.flatMap((y) => y.absences.map((a) => [y.studentId, a.on, a.session, a.excused]));
  if (absences.length) {
    await tx.execute(sql`
      insert into attendance (school_id, student_id, school_year_id, "on", session, excused)
      select ${o.schoolId}::uuid, (e->>0)::uuid, ${o.schoolYearId}::uuid, (e->>1)::date, (e->>2)::smallint, (e->>3)::boolean
      from jsonb_array_elements(${asJson(absences)}::jsonb) as e`);
  }
  // The deliberate identity typo: the 4th digit of the CCCD says the other gender.
  for (const y of o.years.filter((y) => y.problem === 'identity')) {
    await tx.execute(sql`
      update ${students} set personal_id = overlay(personal_id placing ((substr(personal_id, 4, 1)::int # 1)::text) from 4 for 1)
      where id = ${y.studentId} and personal_id ~ '^[0-9]{12}$'`);
  }
  await appendAudit(tx, {
    actor: o.actor,
    schoolId: o.schoolId,
    action: 'demo.year_loaded',
    targetType: 'class',
    targetId: o.classId,
    after: { className: o.className, students: o.years.length, cells: entries.length, problems: o.years.filter((y) => y.problem).length },
  });
  return entries.length;
}
