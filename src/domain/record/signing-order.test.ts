import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideSigning, stateAfterSigning, subjectCarryProblem, type RecordSigningFacts, type SigningActor, type SigningStep } from './signing-order.ts';
import { delegationInputProblems, delegationProblem, vietnamDate, type Delegation } from './delegation.ts';

const facts = (over: Partial<RecordSigningFacts> = {}): RecordSigningFacts => ({
  state: 'frozen',
  grade: 12,
  subjects: [
    { code: 'TOAN', teacherId: 't-math', signed: false },
    { code: 'VAN', teacherId: 't-lit', signed: false },
    { code: 'LY', teacherId: 't-math', signed: true },
  ],
  homeroomTeacherId: 't-home',
  ...over,
});
const AT = new Date('2026-06-20T03:00:00Z');
const deleg = (over: Partial<Delegation> = {}): Delegation => ({
  id: 'd1', delegateId: 'vp', decisionNumber: '45/QĐ-THPT', grades: [12], validFrom: '2026-06-01', validTo: '2026-06-30', revokedAt: null, ...over,
});
const actor = (userId: string, roles: string[] = [], delegations: Delegation[] = []): SigningActor => ({ userId, roles, delegations });

const cases: Array<{ name: string; f: RecordSigningFacts; step: SigningStep; a: SigningActor; subjects?: string[]; expect: string; covers?: string[]; role?: string }> = [
  { name: 'subject teacher signs their unsigned rows', f: facts(), step: 'subject', a: actor('t-math'), expect: 'ok', covers: ['TOAN'], role: 'Giáo viên bộ môn' },
  { name: 'subject teacher names one of their rows', f: facts(), step: 'subject', a: actor('t-lit'), subjects: ['VAN'], expect: 'ok', covers: ['VAN'] },
  { name: 'subject teacher cannot sign another teacher’s row', f: facts(), step: 'subject', a: actor('t-lit'), subjects: ['TOAN'], expect: 'signing.not_assigned' },
  { name: 'unknown subject code is refused', f: facts(), step: 'subject', a: actor('t-lit'), subjects: ['HOA'], expect: 'signing.not_assigned' },
  { name: 'a teacher with no rows in this record is refused', f: facts(), step: 'subject', a: actor('t-other'), expect: 'signing.not_assigned' },
  { name: 'signing a signed row again is refused', f: facts(), step: 'subject', a: actor('t-math'), subjects: ['LY'], expect: 'signing.already_signed' },
  { name: 'all own rows signed already', f: facts({ subjects: [{ code: 'LY', teacherId: 't-math', signed: true }, { code: 'VAN', teacherId: 't-lit', signed: false }] }), step: 'subject', a: actor('t-math'), expect: 'signing.already_signed' },
  { name: 'homeroom before the subjects are done', f: facts(), step: 'homeroom', a: actor('t-home'), expect: 'signing.wrong_state' },
  { name: 'homeroom teacher of the class', f: facts({ state: 'subjects_signed' }), step: 'homeroom', a: actor('t-home'), expect: 'ok', role: 'Giáo viên chủ nhiệm' },
  { name: 'another homeroom teacher', f: facts({ state: 'subjects_signed' }), step: 'homeroom', a: actor('t-math', ['homeroom_teacher']), expect: 'signing.not_assigned' },
  { name: 'principal before homeroom', f: facts({ state: 'subjects_signed' }), step: 'principal', a: actor('p', ['principal']), expect: 'signing.wrong_state' },
  { name: 'principal approves', f: facts({ state: 'homeroom_signed' }), step: 'principal', a: actor('p', ['principal']), expect: 'ok', role: 'Hiệu trưởng' },
  { name: 'vice principal with a valid delegation', f: facts({ state: 'homeroom_signed' }), step: 'principal', a: actor('vp', ['vice_principal'], [deleg()]), expect: 'ok', role: 'KT. Hiệu trưởng – Phó Hiệu trưởng' },
  { name: 'vice principal without delegation', f: facts({ state: 'homeroom_signed' }), step: 'principal', a: actor('vp', ['vice_principal']), expect: 'signing.no_delegation' },
  { name: 'vice principal, delegation for grade 10 only', f: facts({ state: 'homeroom_signed' }), step: 'principal', a: actor('vp', ['vice_principal'], [deleg({ grades: [10] })]), expect: 'signing.no_delegation' },
  { name: 'vice principal, expired delegation', f: facts({ state: 'homeroom_signed' }), step: 'principal', a: actor('vp', ['vice_principal'], [deleg({ validTo: '2026-06-19' })]), expect: 'signing.no_delegation' },
  { name: 'vice principal, someone else’s delegation', f: facts({ state: 'homeroom_signed' }), step: 'principal', a: actor('vp2', ['vice_principal'], [deleg()]), expect: 'signing.no_delegation' },
  { name: 'teacher cannot approve', f: facts({ state: 'homeroom_signed' }), step: 'principal', a: actor('t-home', ['homeroom_teacher']), expect: 'signing.not_assigned' },
  { name: 'clerk seals an approved record', f: facts({ state: 'approved' }), step: 'seal', a: actor('c', ['clerk']), expect: 'ok', role: 'Văn thư' },
  { name: 'clerk cannot seal before approval', f: facts({ state: 'homeroom_signed' }), step: 'seal', a: actor('c', ['clerk']), expect: 'signing.wrong_state' },
  { name: 'principal is not the clerk', f: facts({ state: 'approved' }), step: 'seal', a: actor('p', ['principal']), expect: 'signing.not_assigned' },
  { name: 'nothing is signed on a sealed record', f: facts({ state: 'sealed' }), step: 'seal', a: actor('c', ['clerk']), expect: 'signing.wrong_state' },
  { name: 'nothing is signed on a superseded version', f: facts({ state: 'superseded' }), step: 'subject', a: actor('t-math'), expect: 'signing.wrong_state' },
  { name: 'nothing is signed on a returned version (subject)', f: facts({ state: 'returned' }), step: 'subject', a: actor('t-math'), expect: 'signing.wrong_state' },
  { name: 'nothing is signed on a returned version (principal)', f: facts({ state: 'returned' }), step: 'principal', a: actor('p', ['principal']), expect: 'signing.wrong_state' },
];

for (const c of cases) {
  test(`signing order: ${c.name}`, () => {
    const r = decideSigning(c.f, c.step, c.a, AT, c.subjects);
    if (c.expect === 'ok') {
      assert.ok(r.ok, JSON.stringify(r));
      if (c.covers) assert.deepEqual(r.decision.subjects, c.covers);
      if (c.role) assert.equal(r.decision.claimedRole, c.role);
      assert.equal(r.decision.coversEarlierSignatures, c.step !== 'subject');
      assert.equal(r.decision.timestamp, c.step === 'seal');
    } else {
      assert.ok(!r.ok);
      assert.equal(r.refusal.code, c.expect);
    }
  });
}

test('the record reaches subjects_signed only when the last subject row is signed', () => {
  const f = facts();
  assert.equal(stateAfterSigning(f, 'subject', ['TOAN']), 'frozen');
  assert.equal(stateAfterSigning(f, 'subject', ['TOAN', 'VAN']), 'subjects_signed');
  assert.equal(stateAfterSigning(f, 'homeroom', []), 'homeroom_signed');
  assert.equal(stateAfterSigning(f, 'principal', []), 'approved');
  assert.equal(stateAfterSigning(f, 'seal', []), 'sealed');
});

const dcases: Array<[string, Partial<Delegation>, number, string, string | null]> = [
  ['valid, grade in scope', {}, 12, '2026-06-20T03:00:00Z', null],
  ['all grades when none listed', { grades: [] }, 10, '2026-06-20T03:00:00Z', null],
  ['first day counts (Vietnam time)', {}, 12, '2026-05-31T17:00:00Z', null],
  ['the day before', {}, 12, '2026-05-31T16:59:59Z', 'not_yet_valid'],
  ['last day counts until midnight in Vietnam', {}, 12, '2026-06-30T16:59:59Z', null],
  ['the day after', {}, 12, '2026-06-30T17:00:00Z', 'expired'],
  ['grade outside scope', {}, 11, '2026-06-20T03:00:00Z', 'out_of_scope'],
  ['revoked before', { revokedAt: '2026-06-10T00:00:00.000Z' }, 12, '2026-06-20T03:00:00Z', 'revoked'],
  ['revoked later still valid now', { revokedAt: '2026-06-25T00:00:00.000Z' }, 12, '2026-06-20T03:00:00Z', null],
];
for (const [name, over, grade, at, expected] of dcases) {
  test(`delegation: ${name}`, () => assert.equal(delegationProblem(deleg(over), grade, new Date(at)), expected));
}

test('delegation input: decision number, ordered dates, grades 10–12', () => {
  assert.deepEqual(delegationInputProblems({ decisionNumber: '45/QĐ', grades: [12], validFrom: '2026-06-01', validTo: '2026-06-30' }), []);
  assert.deepEqual(delegationInputProblems({ decisionNumber: ' ', grades: [9], validFrom: '2026-06-30', validTo: '2026-06-01' }), ['decisionNumber', 'validTo', 'grades']);
  assert.deepEqual(delegationInputProblems({ decisionNumber: 'x', grades: [], validFrom: '30/06/2026', validTo: '2026-06-01' }), ['validFrom']);
  assert.equal(vietnamDate(new Date('2026-06-30T17:00:00Z')), '2026-07-01');
});

test('a subject signature carries into a corrected version only when signed, unrevoked, same teacher, same row', () => {
  const ok: Parameters<typeof subjectCarryProblem>[0] = { signed: true, certificateRevoked: false, signerUserId: 'u1', teacherId: 'u1', rowUnchanged: true };
  const cases: Array<[string, Partial<typeof ok>, string | null]> = [
    ['unchanged row, same teacher', {}, null],
    ['never signed', { signed: false, rowUnchanged: false }, 'not_signed'],
    ['certificate revoked since', { certificateRevoked: true }, 'certificate_revoked'],
    ['another teacher now', { teacherId: 'u2' }, 'teacher_changed'],
    ['no teacher assigned', { teacherId: null }, 'teacher_changed'],
    ['row changed', { rowUnchanged: false }, 'changed'],
    ['revoked wins over changed', { certificateRevoked: true, rowUnchanged: false }, 'certificate_revoked'],
  ];
  for (const [name, change, expected] of cases) assert.equal(subjectCarryProblem({ ...ok, ...change }), expected, name);
});
