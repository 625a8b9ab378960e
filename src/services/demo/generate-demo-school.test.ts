import assert from 'node:assert/strict';
import { test } from 'node:test';
import { THPT_SUBJECTS } from '../../domain/assessment/catalogue.ts';
import { isValidIsoDate } from '../../domain/identity/dates.ts';
import { ethnicityByCode } from '../../domain/identity/ethnicity.ts';
import { normalizePersonName, registerKey } from '../../domain/identity/names.ts';
import { decodePersonalId, validatePersonalId } from '../../domain/identity/personal-id.ts';
import { validateStudentCode } from '../../domain/identity/student-code.ts';
import { isRole } from '../../domain/policies/roles.ts';
import { DEMO_PASSWORD, generateDemoSchool, type DemoSchool } from './generate-demo-school.ts';

const SUBJECTS = new Map(THPT_SUBJECTS.map((s) => [s.code, s]));
const defaultSchool = generateDemoSchool();

test('determinism: the same options give deep-equal schools', () => {
  assert.deepEqual(generateDemoSchool(), defaultSchool);
  assert.deepEqual(generateDemoSchool({ students: 300, seed: 7 }), generateDemoSchool({ students: 300, seed: 7 }));
});

test('determinism: another seed gives other people', () => {
  const other = generateDemoSchool({ seed: 2026 });
  assert.notDeepEqual(other.students.map((s) => s.fullName), defaultSchool.students.map((s) => s.fullName));
  assert.notDeepEqual(other.staff.map((s) => s.fullName), defaultSchool.staff.map((s) => s.fullName));
});

test('determinism: the staff does not change with the number of students', () => {
  const bigger = generateDemoSchool({ students: 1600 });
  assert.deepEqual(bigger.staff.slice(0, 5).map((s) => s.fullName), defaultSchool.staff.slice(0, 5).map((s) => s.fullName));
});

test('default school: Hậu Lộc I, 2025–2026, 36 classes 10A1…12A12, 1,512 students (42 per class), 80–100 staff', () => {
  const s = defaultSchool;
  assert.equal(s.school.name, 'Trường THPT Hậu Lộc I');
  assert.equal(s.school.province, 'Thanh Hóa');
  assert.deepEqual(s.schoolYear.name, '2025-2026');
  assert.ok(isValidIsoDate(s.schoolYear.startsOn) && isValidIsoDate(s.schoolYear.endsOn));
  assert.ok(s.schoolYear.startsOn < s.schoolYear.endsOn);
  const expectedNames = [10, 11, 12].flatMap((g) => Array.from({ length: 12 }, (_, i) => `${g}A${i + 1}`));
  assert.deepEqual(s.classes.map((c) => c.name), expectedNames);
  assert.equal(s.students.length, 1512);
  for (const c of s.classes) assert.equal(s.students.filter((x) => x.className === c.name).length, 42, c.name);
  assert.ok(s.staff.length >= 80 && s.staff.length <= 100, `staff: ${s.staff.length}`);
  assert.equal(DEMO_PASSWORD, 'Hocba@2025');
});

test('subjects: exactly the catalogue', () => {
  assert.deepEqual(
    defaultSchool.subjects,
    THPT_SUBJECTS.map(({ topicClusterAllowed: _t, ...rest }) => rest),
  );
});

test('staff: principal, two vice principals, IT officer who teaches Tin học, clerk who does not teach', () => {
  const byUser = new Map(defaultSchool.staff.map((s) => [s.username, s]));
  const cases = [
    { username: 'hieutruong', roles: ['principal'], subjects: [] },
    { username: 'phohieutruong1', roles: ['vice_principal'], subjects: [] },
    { username: 'phohieutruong2', roles: ['vice_principal'], subjects: [] },
    { username: 'quantri', roles: ['school_admin', 'subject_teacher'], subjects: ['TH'] },
    { username: 'vanthu', roles: ['clerk'], subjects: [] },
  ];
  for (const c of cases) {
    const person = byUser.get(c.username);
    assert.ok(person, c.username);
    assert.deepEqual(person.roles, c.roles, c.username);
    assert.deepEqual(person.subjectCodes, c.subjects, c.username);
  }
  assert.equal(defaultSchool.staff.filter((s) => s.roles.includes('principal')).length, 1);
  assert.equal(defaultSchool.staff.filter((s) => s.roles.includes('vice_principal')).length, 2);
  assert.equal(defaultSchool.staff.filter((s) => s.roles.includes('clerk')).length, 1);
});

test('staff: one department head per department (7), each also a subject teacher', () => {
  const heads = defaultSchool.staff.filter((s) => s.roles.includes('department_head'));
  assert.equal(heads.length, 7);
  assert.equal(new Set(heads.map((h) => h.department)).size, 7);
  for (const h of heads) assert.ok(h.roles.includes('subject_teacher'), h.username);
});

test('staff: 36 homeroom teachers in the default school', () => {
  assert.equal(defaultSchool.staff.filter((s) => s.roles.includes('homeroom_teacher')).length, 36);
});

test('staff: realistic loads — every subject teacher teaches 1–2 subjects of their department (plus HĐTN-HN as homeroom teacher) in several classes', () => {
  const load = new Map<string, number>();
  for (const c of defaultSchool.classes) for (const x of c.subjects) load.set(x.teacherStaffKey, (load.get(x.teacherStaffKey) ?? 0) + 1);
  const teachers = defaultSchool.staff.filter((s) => s.roles.includes('subject_teacher'));
  assert.ok(teachers.length >= 75, `teachers: ${teachers.length}`);
  for (const t of teachers) {
    const own = t.subjectCodes.filter((c) => c !== 'HDTN');
    assert.ok(own.length >= 1 && own.length <= 2, `${t.username}: ${t.subjectCodes.join(',')}`);
    assert.equal(t.subjectCodes.includes('HDTN'), t.roles.includes('homeroom_teacher'), t.username);
    assert.ok((load.get(t.key) ?? 0) >= 2, `${t.username} teaches ${load.get(t.key) ?? 0} class-subjects`);
  }
  // Teachers of one department share it: no subject is taught from two departments.
  const deptOf = new Map<string, string>();
  for (const t of teachers) {
    for (const code of t.subjectCodes.filter((c) => c !== 'HDTN')) {
      assert.equal(deptOf.get(code) ?? t.department, t.department, code);
      deptOf.set(code, t.department);
    }
  }
});

test('demo logins: every required role, each an existing account holding that role', () => {
  const s = defaultSchool;
  const wanted = ['principal', 'vice_principal', 'school_admin', 'clerk', 'department_head', 'homeroom_teacher', 'subject_teacher', 'student', 'parent'];
  assert.deepEqual([...new Set(s.demoLogins.map((l) => l.role))].sort(), [...wanted].sort());
  const staffByUser = new Map(s.staff.map((x) => [x.username, x]));
  const familyByUser = new Map(s.familyAccounts.map((x) => [x.username, x]));
  for (const login of s.demoLogins) {
    assert.ok(login.description.length > 0);
    const holder: string[] = staffByUser.get(login.username)?.roles ?? [familyByUser.get(login.username)?.role ?? ''];
    assert.ok(holder.includes(login.role), `${login.username} lacks ${login.role}`);
  }
  const first = s.classes[0]!;
  const homeroom = s.demoLogins.find((l) => l.role === 'homeroom_teacher')!;
  assert.equal(homeroom.description, 'GVCN lớp 10A1');
  assert.equal(staffByUser.get(homeroom.username)!.key, first.homeroomStaffKey);
  const math = s.demoLogins.find((l) => l.role === 'subject_teacher')!;
  assert.equal(staffByUser.get(math.username)!.key, first.subjects.find((x) => x.code === 'TOAN')!.teacherStaffKey);
  assert.equal(new Set(s.demoLogins.map((l) => l.username)).size, s.demoLogins.length, 'one person per demo role');
});

test('family accounts: the first 3 students of 10A1 and one parent each', () => {
  const s = defaultSchool;
  const firstThree = s.students.filter((x) => x.className === '10A1').slice(0, 3);
  assert.deepEqual(s.familyAccounts.filter((a) => a.role === 'student').map((a) => a.studentKey), firstThree.map((x) => x.key));
  assert.deepEqual(s.familyAccounts.filter((a) => a.role === 'parent').map((a) => a.studentKey), firstThree.map((x) => x.key));
  for (const a of s.familyAccounts) {
    const student = firstThree.find((x) => x.key === a.studentKey)!;
    const names = a.role === 'student' ? [student.fullName] : [student.fatherName, student.motherName];
    assert.ok(names.includes(a.fullName), a.username);
  }
});

test('students: mostly Kinh, some Mường and Thái; mostly born in Thanh Hóa; some without a father; some with a policy status', () => {
  const s = defaultSchool.students;
  const share = (pred: (x: (typeof s)[number]) => boolean): number => s.filter(pred).length / s.length;
  assert.ok(share((x) => x.ethnicityCode === '01') > 0.85);
  assert.ok(share((x) => x.ethnicityCode === '06') > 0);
  assert.ok(share((x) => x.ethnicityCode === '03') > 0);
  assert.ok(share((x) => x.personalId.startsWith('038')) > 0.85);
  assert.ok(share((x) => !x.personalId.startsWith('038')) > 0);
  assert.ok(share((x) => x.fatherName === null) > 0);
  assert.ok(share((x) => x.policyStatus !== null) > 0);
  assert.ok(share((x) => x.gender === 'female') > 0.4 && share((x) => x.gender === 'female') < 0.6);
  assert.ok(share((x) => /[^\x00-\x7F]/.test(x.fullName)) > 0.9, 'names carry diacritics');
});

// Structural rules that hold at every size.
const scenarios: Array<{ name: string; opts: { students?: number; seed?: number }; classes: number }> = [
  { name: 'default', opts: {}, classes: 36 },
  { name: '0 students: still 3 classes, one per grade', opts: { students: 0 }, classes: 3 },
  { name: '100 students', opts: { students: 100 }, classes: 3 },
  { name: '130 students → 3 classes', opts: { students: 130 }, classes: 3 },
  { name: '190 students → 5 classes', opts: { students: 190, seed: 3 }, classes: 5 },
  { name: '1,000 students', opts: { students: 1000, seed: 11 }, classes: 24 },
  { name: '100,000 students', opts: { students: 100_000 }, classes: 2381 },
];

for (const sc of scenarios) {
  test(`invariants (${sc.name})`, () => {
    // Speed is measured by the benchmarks (bench/), never asserted in tests.
    const school = sc.name === 'default' ? defaultSchool : generateDemoSchool(sc.opts);
    assert.equal(school.classes.length, sc.classes);
    assert.equal(school.students.length, sc.opts.students ?? 1512);
    checkClasses(school);
    checkTeaching(school);
    checkStudents(school);
    checkAccounts(school);
  });
}

const invalid = [
  { name: 'negative students', opts: { students: -1 } },
  { name: 'fractional students', opts: { students: 10.5 } },
  { name: 'NaN students', opts: { students: Number.NaN } },
  { name: 'fractional seed', opts: { seed: 1.5 } },
];
for (const c of invalid) {
  test(`rejects ${c.name}`, () => assert.throws(() => generateDemoSchool(c.opts), RangeError));
}

function checkClasses(school: DemoSchool): void {
  for (const grade of [10, 11, 12] as const) {
    const inGrade = school.classes.filter((c) => c.grade === grade);
    assert.ok(inGrade.length >= 1, `grade ${grade}`);
    inGrade.forEach((c, i) => assert.equal(c.name, `${grade}A${i + 1}`));
  }
  for (const c of school.classes) {
    const codes = c.subjects.map((x) => x.code);
    assert.equal(codes.length, 12, c.name);
    assert.equal(new Set(codes).size, 12, c.name);
    const compulsory = codes.filter((code) => SUBJECTS.get(code)!.kind === 'compulsory');
    const electives = codes.filter((code) => SUBJECTS.get(code)!.kind === 'elective');
    assert.equal(compulsory.length, 8, c.name);
    assert.equal(electives.length, 4, c.name);
    const clusters = c.subjects.filter((x) => x.topicCluster);
    assert.equal(clusters.length, 3, c.name);
    for (const x of clusters) assert.ok(SUBJECTS.get(x.code)!.topicClusterAllowed, `${c.name} ${x.code}`);
    // The combination label names exactly the class's electives.
    assert.match(c.electiveCombination, /^(KHTN|KHXH)\d: /);
    assert.equal(c.electiveCombination.split(': ')[1]!.split(', ').length, 4);
  }
}

function checkTeaching(school: DemoSchool): void {
  const staff = new Map(school.staff.map((s) => [s.key, s]));
  assert.equal(staff.size, school.staff.length, 'staff keys unique');
  const homeroomOf = new Map<string, string>();
  const teaches = new Map<string, Set<string>>();
  for (const c of school.classes) {
    for (const x of c.subjects) {
      const t = staff.get(x.teacherStaffKey);
      assert.ok(t, `${c.name} ${x.code}: unknown teacher`);
      assert.ok(t.roles.includes('subject_teacher'), `${c.name} ${x.code}: ${t.username} is not a subject teacher`);
      assert.ok(t.subjectCodes.includes(x.code), `${c.name} ${x.code}: ${t.username} does not teach it`);
      (teaches.get(t.key) ?? teaches.set(t.key, new Set()).get(t.key)!).add(x.code);
    }
    const h = staff.get(c.homeroomStaffKey);
    assert.ok(h, `${c.name}: unknown homeroom teacher`);
    assert.ok(h.roles.includes('homeroom_teacher'), `${c.name}: homeroom teacher`);
    assert.ok(!homeroomOf.has(h.key), `${h.username} is homeroom teacher of ${homeroomOf.get(h.key)} and ${c.name}`);
    homeroomOf.set(h.key, c.name);
    assert.equal(c.subjects.find((x) => x.code === 'HDTN')!.teacherStaffKey, h.key, `${c.name}: HĐTN-HN by the homeroom teacher`);
  }
  assert.equal(school.staff.filter((s) => s.roles.includes('homeroom_teacher')).length, school.classes.length);
  for (const s of school.staff) {
    // Every listed subject is really taught, and only teaching staff list subjects.
    assert.deepEqual([...(teaches.get(s.key) ?? [])].sort(), [...s.subjectCodes].sort(), s.username);
    assert.equal(s.subjectCodes.length > 0, s.roles.includes('subject_teacher'), s.username);
    assert.ok(s.roles.every(isRole));
    assert.ok(isValidIsoDate(s.birthDate), s.username);
    assert.equal(s.fullName, normalizePersonName(s.fullName));
    assert.equal(s.email, `${s.username}@thpt-hauloc1.example`);
  }
}

function checkStudents(school: DemoSchool): void {
  const codes = new Set<string>();
  const ids = new Set<string>();
  const keys = new Set<string>();
  const classNames = new Map(school.classes.map((c) => [c.name, c.grade]));
  let previous: { className: string; key: string } | null = null;
  for (const s of school.students) {
    assert.ok(!keys.has(s.key)); keys.add(s.key);
    const grade = classNames.get(s.className);
    assert.ok(grade, s.className);
    assert.ok(isValidIsoDate(s.birthDate), s.birthDate);
    assert.equal(s.birthDate.slice(0, 4), String(2020 - grade), `${s.fullName} in grade ${grade}`);
    assert.deepEqual(validatePersonalId(s.personalId, { birthDate: s.birthDate, gender: s.gender }), [], s.personalId);
    const decoded = decodePersonalId(s.personalId)!;
    assert.ok(s.birthPlace.endsWith(decoded.province!.name), `${s.birthPlace} vs ${decoded.province!.name}`);
    assert.deepEqual(validateStudentCode(s.studentCode), [], s.studentCode);
    assert.ok(!codes.has(s.studentCode), `duplicate student code ${s.studentCode}`); codes.add(s.studentCode);
    assert.ok(!ids.has(s.personalId), `duplicate personal ID ${s.personalId}`); ids.add(s.personalId);
    for (const name of [s.fullName, s.fatherName, s.motherName]) {
      if (name !== null) assert.equal(name, normalizePersonName(name), name);
    }
    assert.ok(s.fatherName !== null || s.motherName !== null, 'at least one parent');
    assert.equal(s.fatherName === null, s.fatherOccupation === null);
    assert.equal(s.motherName === null, s.motherOccupation === null);
    assert.ok(ethnicityByCode(s.ethnicityCode), s.ethnicityCode);
    assert.equal(s.nationality, 'Việt Nam');
    assert.match(s.phone, /^0[39]\d{8}$/);
    assert.match(s.address, /^(Thôn|Tổ dân phố) [^,]+, (Xã|Phường) [^,]+, Tỉnh Thanh Hóa$/u);
    assert.match(s.birthPlace, /^(Xã|Phường) [^,]+, [^,]+$/u);
    // Within a class the register is ordered by given name.
    if (previous && previous.className === s.className) assert.ok(previous.key <= registerKey(s.fullName), `${s.className}: ${s.fullName}`);
    previous = { className: s.className, key: registerKey(s.fullName) };
  }
}

function checkAccounts(school: DemoSchool): void {
  const usernames = [...school.staff.map((s) => s.username), ...school.familyAccounts.map((a) => a.username)];
  assert.equal(new Set(usernames).size, usernames.length, 'usernames unique');
  for (const u of usernames) assert.match(u, /^[a-z0-9]+(\.[a-z0-9]+)?$/, u);
  const studentKeys = new Set(school.students.map((s) => s.key));
  for (const a of school.familyAccounts) assert.ok(studentKeys.has(a.studentKey));
  assert.equal(school.familyAccounts.length, 2 * Math.min(3, school.students.filter((s) => s.className === '10A1').length));
}
