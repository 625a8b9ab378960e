import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeStudentYear, type StudentYearInput, type StudentYearResult } from './student-year.ts';
import { commentSubject, rep, scoreSubject, student } from './test-fixtures.ts';
import type { ScoreSubjectInput } from './types.ts';

/** The parts of a result a scenario checks; `undefined` fields are not checked. */
interface Expect {
  learningYear?: string; // level or 'incomplete'
  conductYear?: string;
  promotion?: string; // outcome kind or 'incomplete'
  award?: string | null; // award, null for none, 'incomplete'
  complete?: boolean;
}

function summary(r: StudentYearResult): Required<Expect> {
  return {
    learningYear: r.learning.year.status === 'complete' ? r.learning.year.level : 'incomplete',
    conductYear: r.conduct.year.status === 'complete' ? r.conduct.year.level : 'incomplete',
    promotion: r.promotion.status === 'complete' ? r.promotion.outcome.kind : 'incomplete',
    award: r.award.status === 'complete' ? r.award.award : 'incomplete',
    complete: r.complete,
  };
}

const withSubject = (base: StudentYearInput, index: number, subject: StudentYearInput['subjects'][number]): StudentYearInput => ({
  ...base,
  subjects: base.subjects.map((s, i) => (i === index ? subject : s)),
});

const scenarios: Array<[string, StudentYearInput, Expect]> = [
  ['all 9.0, conduct Tốt → promoted, Xuất sắc', student(rep(90, 8)), { learningYear: 'tot', conductYear: 'tot', promotion: 'promoted', award: 'xuat_sac', complete: true }],
  ['six 8.0 → Tốt, Giỏi', student([...rep(80, 6), 70, 70]), { learningYear: 'tot', promotion: 'promoted', award: 'gioi' }],
  ['Tốt learning but conduct Khá → no award', student(rep(90, 8), undefined, { conduct: { I: 'kha', II: 'kha' } }), { learningYear: 'tot', conductYear: 'kha', award: null }],
  ['conduct HK I Chưa đạt, HK II Tốt → year Khá', student(rep(90, 8), undefined, { conduct: { I: 'chua_dat', II: 'tot' } }), { conductYear: 'kha', award: null, promotion: 'promoted' }],
  ['45 sessions absent (30 excused + 15 unexcused) → promoted', student(rep(70, 8), undefined, { absences: { excused: 30, unexcused: 15 } }), { promotion: 'promoted' }],
  ['46 sessions absent (40 + 6) → not promoted', student(rep(70, 8), undefined, { absences: { excused: 40, unexcused: 6 } }), { promotion: 'not_promoted' }],
  ['Tốt, Tốt but 46 absent → Xuất sắc still recorded (no absence condition in Điều 15)', student(rep(90, 8), undefined, { absences: { excused: 46, unexcused: 0 } }), { promotion: 'not_promoted', award: 'xuat_sac' }],
  ['one comment Chưa đạt in a Tốt profile → adjusted to Khá', student(rep(90, 8), ['dat', 'chua_dat', 'dat']), { learningYear: 'kha', award: null, promotion: 'promoted' }],
  ['two subjects below 3.5 → Chưa đạt → re-assessment pending', student([...rep(70, 6), 30, 30]), { learningYear: 'chua_dat', promotion: 'pending_reassessment', complete: true }],
  ['conduct HK II Chưa đạt → summer training pending', student(rep(70, 8), undefined, { conduct: { I: 'tot', II: 'chua_dat' } }), { conductYear: 'chua_dat', promotion: 'pending_training' }],
  [
    'summer training passed → promoted after training',
    student(rep(70, 8), undefined, { conduct: { I: 'tot', II: 'chua_dat' }, summerTraining: { conduct: 'dat' } }),
    { promotion: 'promoted_after_training' },
  ],
  [
    'conduct and learning Chưa đạt → not promoted',
    student([...rep(70, 6), 30, 30], undefined, { conduct: { I: 'dat', II: 'chua_dat' } }),
    { promotion: 'not_promoted' },
  ],
  [
    'GDTC wholly exempt is left out; the rest is Tốt',
    withSubject(student(rep(90, 8), ['dat', 'dat', 'dat']), 8, commentSubject('GDTC', 'chua_dat', 'chua_dat', { kind: 'whole_subject' })),
    { learningYear: 'tot', award: 'xuat_sac', complete: true },
  ],
  [
    'GDTC practical-part exemption: assessed on theory and counts (its Chưa đạt triggers the adjustment)',
    withSubject(student(rep(90, 8), ['dat', 'dat', 'dat']), 8, commentSubject('GDTC', 'dat', 'chua_dat', { kind: 'practical_part' })),
    { learningYear: 'kha' },
  ],
  ['conduct not yet assessed → promotion and award incomplete', student(rep(90, 8), undefined, { conduct: { I: 'tot', II: null } }), { conductYear: 'incomplete', promotion: 'incomplete', award: 'incomplete', complete: false }],
  ['absences not entered → promotion incomplete, award still decided', student(rep(90, 8), undefined, { absences: null }), { promotion: 'incomplete', award: 'xuat_sac', complete: false }],
];
for (const [name, input, expected] of scenarios) {
  test(`computeStudentYear: ${name}`, () => {
    const got = summary(computeStudentYear(input));
    for (const key of Object.keys(expected) as (keyof Expect)[]) assert.equal(got[key], expected[key], `${key}`);
  });
}

test('computeStudentYear: missing marks block the results and are listed exactly', () => {
  const base = student(rep(80, 8));
  const toan: ScoreSubjectInput = scoreSubject('TOAN', 80, 80);
  toan.semesters.II = { regular: [80, 80, null], midterm: null, final: 80 };
  const r = computeStudentYear({ ...withSubject(base, 0, toan), conduct: { I: 'tot', II: null } });
  assert.deepEqual(r.missing, [
    { subject: 'TOAN', kind: 'regular', index: 2, semester: 'II' },
    { subject: 'TOAN', kind: 'midterm', semester: 'II' },
    { kind: 'conduct', semester: 'II' },
  ]);
  assert.deepEqual(r.learning.I.status, 'complete'); // semester I is whole
  assert.deepEqual(r.learning.II, { status: 'incomplete', subjects: ['TOAN'] });
  assert.deepEqual(r.learning.year, { status: 'incomplete', subjects: ['TOAN'] });
  assert.deepEqual(r.promotion, { status: 'incomplete', blockedBy: ['learning', 'conduct'] });
  assert.equal(r.complete, false);
});

test('computeStudentYear: re-assessment replaces the year result and the learning result is recomputed', () => {
  const base = student([...rep(70, 6), 30, 30]); // S7, S8 at 3.0 → Chưa đạt
  const pending = computeStudentYear(base);
  assert.deepEqual(pending.promotion, {
    status: 'complete',
    outcome: { kind: 'pending_reassessment', eligibleSubjects: ['S7', 'S8'], pendingSubjects: ['S7', 'S8'] },
  });
  const passed = computeStudentYear({ ...base, reassessment: { subjects: [{ code: 'S7', result: 60 }, { code: 'S8', result: 50 }] } });
  assert.deepEqual(passed.learning.yearAfterReassessment, { status: 'complete', level: 'kha', computedLevel: 'kha', adjustedFor: null });
  assert.deepEqual(passed.promotion, {
    status: 'complete',
    outcome: { kind: 'promoted_after_reassessment', reassessedSubjects: ['S7', 'S8'], learningAfter: 'kha' },
  });
  assert.equal(passed.learning.year.status === 'complete' && passed.learning.year.level, 'chua_dat'); // the year result itself is kept
  assert.deepEqual(passed.subjects[6]?.reassessment, { status: 'complete', from: 'reassessment', form: 'score', average: 60 });
  assert.equal(passed.subjects[0]?.reassessment, null);

  const oneOnly = computeStudentYear({ ...base, reassessment: { subjects: [{ code: 'S7', result: 60 }] } });
  // S8 stays at 3.0: Chưa đạt; the one-subject adjustment (would be Khá) lifts it to Đạt.
  assert.deepEqual(oneOnly.learning.yearAfterReassessment, { status: 'complete', level: 'dat', computedLevel: 'chua_dat', adjustedFor: 'S8' });
  assert.equal(oneOnly.promotion.status === 'complete' && oneOnly.promotion.outcome.kind, 'promoted_after_reassessment');

  const failed = computeStudentYear({ ...base, reassessment: { subjects: [{ code: 'S7', result: 20 }, { code: 'S8', result: 25 }] } });
  assert.deepEqual(failed.promotion, { status: 'complete', outcome: { kind: 'not_promoted', reasons: ['learning_chua_dat_after_reassessment'] } });

  const halfMarked = computeStudentYear({ ...base, reassessment: { subjects: [{ code: 'S7', result: 60 }, { code: 'S8', result: null }] } });
  assert.equal(halfMarked.learning.yearAfterReassessment, null);
  assert.deepEqual(halfMarked.promotion, {
    status: 'complete',
    outcome: { kind: 'pending_reassessment', eligibleSubjects: ['S7', 'S8'], pendingSubjects: ['S8'] },
  });
});

test('computeStudentYear: summer results for a student not on that route are reported and ignored', () => {
  const r = computeStudentYear(student(rep(90, 8), undefined, { reassessment: { subjects: [{ code: 'S1', result: 50 }] }, summerTraining: { conduct: 'dat' } }));
  assert.deepEqual(r.problems.map((p) => p.code), ['assessment.summer_route_not_applicable', 'assessment.summer_route_not_applicable']);
  assert.equal(r.promotion.status === 'complete' && r.promotion.outcome.kind, 'promoted');
});

const problemCases: Array<[string, StudentYearInput, string[]]> = [
  ['duplicate subject codes', { ...student(rep(90, 7)), subjects: [...student(rep(90, 7)).subjects, scoreSubject('S1', 90, 90)] }, ['assessment.duplicate_subject']],
  ['negative absences', student(rep(90, 8), undefined, { absences: { excused: -1, unexcused: 0 } }), ['assessment.invalid_absences']],
  ['fractional absences', student(rep(90, 8), undefined, { absences: { excused: 1.5, unexcused: 0 } }), ['assessment.invalid_absences']],
  ['a conduct value that is not a level', student(rep(90, 8), undefined, { conduct: { I: 'gioi' as never, II: 'tot' } }), ['assessment.invalid_level']],
  ['too many regular marks', withSubject(student(rep(90, 8)), 0, { ...scoreSubject('S1', 90, 90), periodsPerYear: 35 }), ['assessment.too_many_regular_marks', 'assessment.too_many_regular_marks']],
];
for (const [name, input, codes] of problemCases) {
  test(`computeStudentYear reports ${name}`, () => {
    const r = computeStudentYear(input);
    assert.deepEqual(r.problems.map((p) => p.code), codes);
    assert.equal(r.complete, false);
  });
}

test('computeStudentYear: the result is plain JSON (it goes into the signed record)', () => {
  const r = computeStudentYear(student([...rep(70, 6), 30, 30], undefined, { reassessment: { subjects: [{ code: 'S7', result: 60 }] } }));
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
});
