/**
 * The demo year generator: deterministic, complete and valid for the Circular 22 engine for
 * every student without a deliberate problem, a realistic spread of levels, and each
 * deliberate problem producing what it is meant to.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeStudentYear } from '../../domain/assessment/student-year.ts';
import { canonicalToComment, canonicalToTenths } from '../../domain/assessment/sheet-values.ts';
import type { SubjectInput } from '../../domain/assessment/types.ts';
import { generateClassYear, pickDemoProblems, type DemoSubject, type DemoStudentYear } from './demo-marks.ts';

// A grade-10 natural-sciences class of the demo: compulsory subjects, four electives, three topic clusters.
const SUBJECTS: DemoSubject[] = [
  ['NV', 'score', 105, true], ['TOAN', 'score', 105, true], ['NN1', 'score', 105, false], ['LS', 'score', 52, false],
  ['GDTC', 'comment', 70, false], ['GDQPAN', 'score', 35, false], ['HDTN', 'comment', 105, false], ['NDGDDP', 'comment', 35, false],
  ['VL', 'score', 70, true], ['HH', 'score', 70, false], ['SH', 'score', 70, false], ['TH', 'score', 70, false],
].map(([code, assessment, periodsPerYear, topicCluster], i) => ({ classSubjectId: `cs-${i}`, code: code as string, assessment: assessment as 'score' | 'comment', periodsPerYear: periodsPerYear as number, topicCluster: topicCluster as boolean }));
const IDS = Array.from({ length: 42 }, (_, i) => `student-${String(i).padStart(2, '0')}`);

/** Re-reads the generated cells the way buildClassYear reads the stored ones, and runs the engine on them. */
function recompute(y: DemoStudentYear) {
  const subjects: SubjectInput[] = SUBJECTS.map((s) => {
    const sem = (n: 1 | 2) => {
      const cells = y.cells.get(`${s.classSubjectId}|${n}`) ?? [];
      const get = (f: string, i = 0) => cells.find((c) => c.field === f && c.idx === i)?.value ?? null;
      const count = cells.filter((c) => c.field === 'regular').length;
      return { regular: Array.from({ length: count }, (_, i) => get('regular', i)), midterm: get('midterm'), final: get('final') };
    };
    const [a, b] = [sem(1), sem(2)];
    const base = { code: s.code, periodsPerYear: s.periodsPerYear, topicCluster: s.topicCluster };
    return s.assessment === 'score'
      ? { ...base, form: 'score' as const, semesters: { I: { regular: a.regular.map(canonicalToTenths), midterm: canonicalToTenths(a.midterm), final: canonicalToTenths(a.final) }, II: { regular: b.regular.map(canonicalToTenths), midterm: canonicalToTenths(b.midterm), final: canonicalToTenths(b.final) } } }
      : { ...base, form: 'comment' as const, semesters: { I: { regular: a.regular.map(canonicalToComment), midterm: canonicalToComment(a.midterm), final: canonicalToComment(a.final) }, II: { regular: b.regular.map(canonicalToComment), midterm: canonicalToComment(b.midterm), final: canonicalToComment(b.final) } } };
  });
  const excused = y.absences.filter((a) => a.excused).length;
  return computeStudentYear({ subjects, conduct: { I: y.conduct[1], II: y.conduct[2] }, absences: { excused, unexcused: y.absences.length - excused } });
}

test('the same seed gives the same year; another class or seed a different one', () => {
  const a = generateClassYear({ seed: 2025, classIndex: 3, subjects: SUBJECTS, studentIds: IDS });
  const b = generateClassYear({ seed: 2025, classIndex: 3, subjects: SUBJECTS, studentIds: IDS });
  const flat = (ys: DemoStudentYear[]) => JSON.stringify(ys.map((y) => [[...y.cells], y.conduct, y.absences, y.homeroomComment]));
  assert.equal(flat(a), flat(b));
  assert.notEqual(flat(generateClassYear({ seed: 2025, classIndex: 4, subjects: SUBJECTS, studentIds: IDS })), flat(a));
  assert.notEqual(flat(generateClassYear({ seed: 7, classIndex: 3, subjects: SUBJECTS, studentIds: IDS })), flat(a));
});

test('every student without a problem: all required marks, valid, complete, promoted — read back from the stored cell values', () => {
  const levels: Record<string, number> = {};
  let absent = 0;
  for (let c = 0; c < 12; c++) {
    for (const y of generateClassYear({ seed: 2025, classIndex: c, subjects: SUBJECTS, studentIds: IDS })) {
      const r = recompute(y);
      assert.deepEqual(r.problems, [], `${c}/${y.studentId}: engine problems`);
      assert.deepEqual(r.missing, [], `${c}/${y.studentId}: missing`);
      assert.ok(r.complete);
      assert.equal(r.promotion.status === 'complete' && r.promotion.outcome.kind, 'promoted');
      // The generator's own result is the engine's result on what is stored.
      assert.deepEqual(JSON.parse(JSON.stringify(r)), JSON.parse(JSON.stringify(y.result)));
      // Regular marks: exactly the Circular 22 count (NV 105 periods + topic cluster → 5).
      assert.equal(y.cells.get('cs-0|1')!.filter((x) => x.field === 'regular').length, 5);
      assert.ok(y.cells.get('cs-0|2')!.some((x) => x.field === 'comment' && x.value.length > 10), 'a subject teacher comment');
      assert.ok(y.homeroomComment.length > 10);
      const level = r.learning.year.status === 'complete' ? r.learning.year.level : 'none';
      levels[level] = (levels[level] ?? 0) + 1;
      absent += y.absences.length;
      assert.equal(new Set(y.absences.map((a) => `${a.on}|${a.session}`)).size, y.absences.length, 'one register entry per session');
      assert.ok(y.absences.every((a) => a.on >= '2025-09-08' && a.on <= '2026-05-22' && ![0, 6].includes(new Date(a.on).getUTCDay())));
    }
  }
  const n = 12 * IDS.length;
  // Realistic: mostly Khá/Tốt, some Đạt, nobody Chưa đạt.
  assert.ok(((levels.tot ?? 0) + (levels.kha ?? 0)) / n > 0.7, JSON.stringify(levels));
  assert.ok((levels.tot ?? 0) > 0 && (levels.kha ?? 0) > 0 && (levels.dat ?? 0) > 0, JSON.stringify(levels));
  assert.equal(levels.chua_dat ?? 0, 0);
  assert.ok(absent > 0 && absent / n < 5, `absences per student ${absent / n}`);
});

test('deliberate problems: a summer re-assessment case is Chưa đạt and pending; problems are picked deterministically', () => {
  const problems = new Map([[IDS[5]!, 'summer' as const]]);
  const ys = generateClassYear({ seed: 2025, classIndex: 0, subjects: SUBJECTS, studentIds: IDS, problems });
  const summer = ys.find((y) => y.studentId === IDS[5])!;
  assert.equal(summer.problem, 'summer');
  const r = recompute(summer);
  assert.deepEqual(r.problems, []);
  assert.equal(r.learning.year.status === 'complete' && r.learning.year.level, 'chua_dat');
  assert.equal(r.promotion.status === 'complete' && r.promotion.outcome.kind, 'pending_reassessment');

  const rosters = Array.from({ length: 36 }, (_, c) => IDS.map((id) => `${c}-${id}`));
  const picked = pickDemoProblems(rosters, 2025);
  assert.deepEqual(picked, pickDemoProblems(rosters, 2025));
  const first = [...picked].filter(([id]) => id.startsWith('0-')).map(([, k]) => k).sort();
  assert.deepEqual(first, ['identity', 'missing_mark'], 'the demo GVCN’s class shows both kinds');
  assert.ok(picked.size >= 5 && picked.size <= 10, `a handful: ${picked.size}`);
  assert.deepEqual(new Set(picked.values()), new Set(['identity', 'missing_mark', 'summer']));
});
