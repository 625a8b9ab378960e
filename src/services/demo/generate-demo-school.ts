/**
 * Deterministic demo school: Trường THPT Hậu Lộc I (Thanh Hóa), school year 2025–2026,
 * with its subjects, staff, classes, teaching assignments and students. Pure: no I/O,
 * no clock, no Math.random — the same options always give the same school, so demos,
 * screenshots and benchmarks are reproducible. load-demo-school.ts writes it to a DB.
 */
import { THPT_SUBJECTS } from '../../domain/assessment/catalogue.ts';
import { dayNumberFromParts, isLeapYear, isoDateFromDayNumber } from '../../domain/identity/dates.ts';
import { foldVietnamese, registerKey } from '../../domain/identity/names.ts';
import { makePersonalId } from '../../domain/identity/personal-id.ts';
import type { Gender } from '../../domain/identity/types.ts';
import type { Role } from '../../domain/policies/roles.ts';
import { DEMO_DEPARTMENTS, HOMEROOM_SUBJECT, SUBJECT_SHORT_NAMES } from './demo-data-curriculum.ts';
import {
  FATHER_OCCUPATIONS,
  GIVEN_NAMES,
  KINH_FAMILY_NAMES,
  MIDDLE_NAMES,
  MOTHER_OCCUPATIONS,
  MUONG_FAMILY_NAMES,
  POLICY_STATUSES,
  THAI_FAMILY_NAMES,
  type Weighted,
} from './demo-data-names.ts';
import {
  HOME_COMMUNES,
  HOME_PROVINCE_CODE,
  OTHER_BIRTH_PROVINCES,
  PHONE_PREFIXES,
  SCHOOL,
  SCHOOL_YEAR,
  VILLAGES,
} from './demo-data-places.ts';
import { Rng, mixSeed } from './demo-data-random.ts';
import { assignTeachers, combinationLabel, planClasses, type ClassPlan, type Teaching } from './demo-data-staffing.ts';

export { DEMO_STUDENTS_PER_CLASS } from './demo-data-staffing.ts';

export interface DemoOptions {
  /** Number of students (default 1,512 = 36 classes of 42). */
  students?: number;
  /** PRNG seed (default 2025). */
  seed?: number;
}

export interface DemoSchool {
  school: { code: string; name: string; province: string; commune: string; address: string };
  schoolYear: { name: string; startsOn: string; endsOn: string }; // '2025-2026', ISO dates
  subjects: Array<{ code: string; name: string; nameEn: string; kind: 'compulsory' | 'elective'; assessment: 'score' | 'comment'; periodsPerYear: number; ministryCode: string | null; sortOrder: number }>;
  staff: Array<{ key: string; fullName: string; gender: 'male' | 'female'; birthDate: string; department: string; position: string; username: string; email: string; roles: Role[]; subjectCodes: string[] }>;
  classes: Array<{ name: string; grade: 10 | 11 | 12; electiveCombination: string; homeroomStaffKey: string;
                   subjects: Array<{ code: string; teacherStaffKey: string; topicCluster: boolean }> }>;
  students: Array<{ key: string; className: string; studentCode: string; personalId: string; fullName: string; gender: 'male' | 'female'; birthDate: string; birthPlace: string; ethnicityCode: string; nationality: string; address: string; phone: string; fatherName: string | null; fatherOccupation: string | null; motherName: string | null; motherOccupation: string | null; policyStatus: string | null }>;
  /** Accounts for students/parents (a handful is enough: the first 3 students of 10A1 and one parent each). */
  familyAccounts: Array<{ username: string; fullName: string; role: 'student' | 'parent'; studentKey: string }>;
  demoLogins: Array<{ username: string; role: Role; description: string }>;
}

export const DEMO_PASSWORD = 'Hocba@2025';
export const DEMO_DEFAULT_STUDENTS = 1512;
export const DEMO_DEFAULT_SEED = 2025;

type DemoClass = DemoSchool['classes'][number];
type DemoStaff = DemoSchool['staff'][number];
type DemoStudent = DemoSchool['students'][number];

/** Generates the demo school; throws RangeError on a negative or fractional student count. */
export function generateDemoSchool(opts: DemoOptions = {}): DemoSchool {
  const students = opts.students ?? DEMO_DEFAULT_STUDENTS;
  const seed = opts.seed ?? DEMO_DEFAULT_SEED;
  if (!Number.isSafeInteger(students) || students < 0) throw new RangeError(`students must be a whole number ≥ 0: ${students}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer: ${seed}`);

  // Separate streams, so changing the number of students does not rename the staff.
  const staffRng = new Rng(mixSeed(seed, 1));
  const studentRng = new Rng(mixSeed(seed, 2));

  const plans = planClasses(students);
  const teaching = assignTeachers(plans);
  const staff = makeStaff(teaching, staffRng);
  const classes: DemoClass[] = plans.map((p, c) => ({
    name: p.name,
    grade: p.grade,
    electiveCombination: combinationLabel(p.combination),
    homeroomStaffKey: staff.teacherKeys[teaching.homeroomOfClass[c]!]!,
    subjects: p.subjects.map((s) => ({
      code: s.code,
      teacherStaffKey: staff.teacherKeys[teaching.teacherOf[c]!.get(s.code)!]!,
      topicCluster: s.topicCluster,
    })),
  }));
  const studentList = makeStudents(plans, students, studentRng);
  const familyAccounts = makeFamilyAccounts(studentList, plans[0]!.name);

  return {
    school: { code: SCHOOL.code, name: SCHOOL.name, province: SCHOOL.province, commune: SCHOOL.commune, address: SCHOOL.address },
    schoolYear: { ...SCHOOL_YEAR },
    subjects: THPT_SUBJECTS.map((s) => ({
      code: s.code, name: s.name, nameEn: s.nameEn, kind: s.kind, assessment: s.assessment,
      periodsPerYear: s.periodsPerYear, ministryCode: s.ministryCode, sortOrder: s.sortOrder,
    })),
    staff: staff.list,
    classes,
    students: studentList,
    familyAccounts,
    demoLogins: makeDemoLogins(staff.list, classes, studentList, familyAccounts),
  };
}

// ---------------------------------------------------------------- staff

interface StaffResult {
  list: DemoStaff[];
  /** Staff key of each teacher index of Teaching.teachers. */
  teacherKeys: string[];
}

// Share of women among teachers of a subject (most Vietnamese teachers are women).
const FEMALE_SHARE: Record<string, number> = { GDTC: 0.3, GDQPAN: 0.15, TH: 0.5, VL: 0.45, TOAN: 0.55 };

function makeStaff(teaching: Teaching, rng: Rng): StaffResult {
  const list: DemoStaff[] = [];
  const usernames = new Set<string>(['hieutruong', 'phohieutruong1', 'phohieutruong2', 'quantri', 'vanthu']);
  const add = (person: Person, fields: Omit<DemoStaff, 'key' | 'fullName' | 'gender' | 'birthDate' | 'email'>): string => {
    const key = `staff-${String(list.length + 1).padStart(4, '0')}`;
    list.push({
      key, fullName: person.fullName, gender: person.gender, birthDate: person.birthDate, ...fields,
      email: `${fields.username}@${SCHOOL.emailDomain}`,
    });
    return key;
  };
  const leader = (gender: Gender, from: number, to: number): Person => makePerson(rng, gender, from, to);
  add(leader('male', 1970, 1975), { department: 'Ban Giám hiệu', position: 'Hiệu trưởng', username: 'hieutruong', roles: ['principal'], subjectCodes: [] });
  add(leader('female', 1974, 1982), { department: 'Ban Giám hiệu', position: 'Phó Hiệu trưởng', username: 'phohieutruong1', roles: ['vice_principal'], subjectCodes: [] });
  add(leader('male', 1972, 1980), { department: 'Ban Giám hiệu', position: 'Phó Hiệu trưởng', username: 'phohieutruong2', roles: ['vice_principal'], subjectCodes: [] });

  const { teachers } = teaching;
  const teacherKeys: string[] = new Array<string>(teachers.length);
  const addTeacher = (t: number): void => {
    const teacher = teachers[t]!;
    const female = rng.chance(FEMALE_SHARE[teacher.subjects[0]!] ?? 0.75);
    const person = makePerson(rng, teacher.itOfficer ? 'male' : female ? 'female' : 'male', 1968, 1998);
    const subjectCodes = teacher.homeroomClass === null ? [...teacher.subjects] : [...teacher.subjects, HOMEROOM_SUBJECT];
    const roles: Role[] = [];
    if (teacher.itOfficer) roles.push('school_admin');
    if (teacher.head) roles.push('department_head');
    if (teacher.homeroomClass !== null) roles.push('homeroom_teacher');
    roles.push('subject_teacher');
    const subjectName = SUBJECT_SHORT_NAMES[teacher.subjects[0]!]!;
    const department = DEMO_DEPARTMENTS[teacher.department]!.name;
    teacherKeys[t] = add(person, {
      department,
      position: teacher.itOfficer ? `Giáo viên ${subjectName}, phụ trách CNTT` : teacher.head ? `Tổ trưởng ${department.replace(/^Tổ /u, 'tổ ')}` : `Giáo viên ${subjectName}`,
      username: teacher.itOfficer ? 'quantri' : uniqueUsername(person, usernames),
      roles,
      subjectCodes,
    });
  };
  const itOfficer = teachers.findIndex((t) => t.itOfficer);
  if (itOfficer >= 0) addTeacher(itOfficer);
  add(makePerson(rng, 'female', 1980, 1995), { department: 'Tổ Văn phòng', position: 'Văn thư', username: 'vanthu', roles: ['clerk'], subjectCodes: [] });
  // Departments in order, each head first.
  const order = teachers.map((_, t) => t).filter((t) => t !== itOfficer)
    .sort((a, b) => teachers[a]!.department - teachers[b]!.department || Number(teachers[b]!.head) - Number(teachers[a]!.head) || a - b);
  for (const t of order) addTeacher(t);
  return { list, teacherKeys };
}

/** ASCII login from a name: given name, dot, family and middle names ("lan.nguyenthi"), numbered on a clash. */
function uniqueUsername(person: Person, taken: Set<string>): string {
  const ascii = (s: string): string => foldVietnamese(s).replace(/[^a-z0-9]/g, '');
  const base = `${ascii(person.given)}.${ascii(person.family + person.middle)}`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
  taken.add(name);
  return name;
}

// ---------------------------------------------------------------- people and students

interface Person {
  family: string;
  middle: string;
  given: string;
  fullName: string;
  gender: Gender;
  birthDate: string;
}

function makePerson(rng: Rng, gender: Gender, fromYear: number, toYear: number, families: Weighted<string> = KINH_FAMILY_NAMES): Person {
  const family = rng.weighted(families);
  const { middle, given } = drawNames(rng, gender);
  return { family, middle, given, fullName: `${family} ${middle} ${given}`, gender, birthDate: randomDateInYear(rng, rng.intBetween(fromYear, toYear)) };
}

function drawNames(rng: Rng, gender: Gender): { middle: string; given: string } {
  const middle = rng.weighted(MIDDLE_NAMES[gender]);
  let given = rng.pick(GIVEN_NAMES[gender]);
  while (given === middle) given = rng.pick(GIVEN_NAMES[gender]); // no "Minh Minh"
  return { middle, given };
}

function randomDateInYear(rng: Rng, year: number): string {
  return isoDateFromDayNumber(dayNumberFromParts(year, 1, 1) + rng.int(isLeapYear(year) ? 366 : 365));
}

const ETHNICITIES: Weighted<string> = [['01', 94], ['06', 4], ['03', 2]];
const FAMILY_NAMES_BY_ETHNICITY: Record<string, Weighted<string>> = { '01': KINH_FAMILY_NAMES, '06': MUONG_FAMILY_NAMES, '03': THAI_FAMILY_NAMES };
const OTHER_PROVINCES: Weighted<(typeof OTHER_BIRTH_PROVINCES)[number]> = OTHER_BIRTH_PROVINCES.map((p) => [p, p.weight] as const);

function makeStudents(plans: ClassPlan[], total: number, rng: Rng): DemoStudent[] {
  const usedIds = new Set<string>();
  const usedCodes = new Set<string>();
  const out: DemoStudent[] = [];
  plans.forEach((plan, c) => {
    const size = Math.floor(total / plans.length) + (c < total % plans.length ? 1 : 0);
    const roster: Array<Omit<DemoStudent, 'key'> & { sortKey: string }> = [];
    for (let i = 0; i < size; i++) {
      const gender: Gender = rng.chance(0.5) ? 'female' : 'male';
      const ethnicityCode = rng.weighted(ETHNICITIES);
      const families = FAMILY_NAMES_BY_ETHNICITY[ethnicityCode]!;
      const family = rng.weighted(families);
      const { middle, given } = drawNames(rng, gender);
      const birthYear = 2020 - plan.grade; // grade 10 in 2025–2026 → born 2010
      const birthDate = randomDateInYear(rng, birthYear);
      const commune = rng.weighted(HOME_COMMUNES);
      let provinceCode = HOME_PROVINCE_CODE;
      let birthPlace = `${rng.chance(0.8) ? commune : rng.weighted(HOME_COMMUNES)}, ${SCHOOL.province}`;
      if (rng.chance(0.05)) {
        const other = rng.weighted(OTHER_PROVINCES);
        provinceCode = other.code;
        birthPlace = rng.pick(other.places);
      }
      let personalId: string;
      do personalId = makePersonalId({ provinceCode, gender, birthYear, serial: rng.int(1_000_000) });
      while (usedIds.has(personalId));
      usedIds.add(personalId);
      // The Ministry code's structure is not published: demo codes are 10 digits led by
      // Thanh Hóa's code 38, which also keeps spreadsheets from dropping a leading zero.
      let studentCode: string;
      do studentCode = `38${String(rng.int(100_000_000)).padStart(8, '0')}`;
      while (usedCodes.has(studentCode));
      usedCodes.add(studentCode);
      const hasFather = !rng.chance(0.03);
      const hasMother = !hasFather || !rng.chance(0.01);
      const fatherNames = drawNames(rng, 'male');
      const motherNames = drawNames(rng, 'female');
      let motherFamily = rng.weighted(families);
      for (let k = 0; k < 3 && motherFamily === family; k++) motherFamily = rng.weighted(families);
      const fullName = `${family} ${middle} ${given}`;
      const village = commune.startsWith('Phường') ? `Tổ dân phố ${1 + rng.int(12)}` : rng.pick(VILLAGES);
      roster.push({
        className: plan.name,
        studentCode,
        personalId,
        fullName,
        gender,
        birthDate,
        birthPlace,
        ethnicityCode,
        nationality: 'Việt Nam',
        address: `${village}, ${commune}, Tỉnh ${SCHOOL.province}`,
        phone: `${rng.pick(PHONE_PREFIXES)}${String(rng.int(10_000_000)).padStart(7, '0')}`,
        fatherName: hasFather ? `${family} ${fatherNames.middle} ${fatherNames.given}` : null,
        fatherOccupation: hasFather ? rng.weighted(FATHER_OCCUPATIONS) : null,
        motherName: hasMother ? `${motherFamily} ${motherNames.middle} ${motherNames.given}` : null,
        motherOccupation: hasMother ? rng.weighted(MOTHER_OCCUPATIONS) : null,
        policyStatus: rng.chance(0.05) ? rng.weighted(POLICY_STATUSES) : null,
        // Class registers are ordered by given name, then the rest (Vietnamese practice).
        sortKey: `${registerKey(fullName)}\u0000${fullName}\u0000${studentCode}`,
      });
    }
    roster.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const { sortKey: _sortKey, ...student } of roster) {
      out.push({ key: `student-${String(out.length + 1).padStart(6, '0')}`, ...student });
    }
  });
  return out;
}

// ---------------------------------------------------------------- accounts

function makeFamilyAccounts(students: DemoStudent[], firstClass: string): DemoSchool['familyAccounts'] {
  const accounts: DemoSchool['familyAccounts'] = [];
  for (const s of students.filter((x) => x.className === firstClass).slice(0, 3)) {
    accounts.push({ username: `hs${s.studentCode}`, fullName: s.fullName, role: 'student', studentKey: s.key });
    accounts.push({ username: `ph${s.studentCode}`, fullName: (s.fatherName ?? s.motherName)!, role: 'parent', studentKey: s.key });
  }
  return accounts;
}

function makeDemoLogins(staff: DemoStaff[], classes: DemoClass[], students: DemoStudent[], family: DemoSchool['familyAccounts']): DemoSchool['demoLogins'] {
  const logins: DemoSchool['demoLogins'] = [
    { username: 'hieutruong', role: 'principal', description: 'Hiệu trưởng' },
    { username: 'phohieutruong1', role: 'vice_principal', description: 'Phó Hiệu trưởng (ký thay Hiệu trưởng khi được ủy quyền)' },
    { username: 'quantri', role: 'school_admin', description: 'Quản trị trường – cán bộ CNTT, dạy Tin học' },
    { username: 'vanthu', role: 'clerk', description: 'Văn thư – đóng dấu số của trường' },
  ];
  const byKey = new Map(staff.map((s) => [s.key, s]));
  const head = staff.find((s) => s.roles.includes('department_head'));
  if (head) logins.push({ username: head.username, role: 'department_head', description: head.position });
  const first = classes[0]!;
  const homeroom = byKey.get(first.homeroomStaffKey)!;
  logins.push({ username: homeroom.username, role: 'homeroom_teacher', description: `GVCN lớp ${first.name}` });
  const math = byKey.get(first.subjects.find((s) => s.code === 'TOAN')!.teacherStaffKey)!;
  if (math !== homeroom) logins.push({ username: math.username, role: 'subject_teacher', description: `Giáo viên Toán lớp ${first.name}` });
  const studentAccount = family.find((a) => a.role === 'student');
  const parentAccount = family.find((a) => a.role === 'parent');
  const student = students.find((s) => s.key === studentAccount?.studentKey);
  if (studentAccount && parentAccount && student) {
    logins.push({ username: studentAccount.username, role: 'student', description: `Học sinh lớp ${first.name} (${student.fullName})` });
    logins.push({ username: parentAccount.username, role: 'parent', description: `Phụ huynh em ${student.fullName}, lớp ${first.name}` });
  }
  return logins;
}

/**
 * Who to sign in as for each step of the record's life in the demo, for the first class
 * (its year is complete once loaded with `year: true`): freeze, every subject teacher,
 * the homeroom teacher, the principal (or a vice principal under a delegation), the clerk's
 * seal. Printed at start so the signing workflow can be walked through at once.
 */
export function demoSigningSteps(demo: DemoSchool): Array<{ step: string; usernames: string[] }> {
  const first = demo.classes[0];
  if (!first) return [];
  const byKey = new Map(demo.staff.map((s) => [s.key, s]));
  const homeroom = byKey.get(first.homeroomStaffKey)!.username;
  const subjectTeachers = new Map<string, string[]>();
  for (const s of first.subjects) {
    const u = byKey.get(s.teacherStaffKey)!.username;
    subjectTeachers.set(u, [...(subjectTeachers.get(u) ?? []), SUBJECT_SHORT_NAMES[s.code] ?? s.code]);
  }
  const vice = demo.staff.find((s) => s.roles.includes('vice_principal'))?.username;
  return [
    { step: `1. Chốt học bạ lớp ${first.name} (GVCN) / freeze the class`, usernames: [homeroom] },
    { step: `2. Giáo viên bộ môn ký phần môn học / subject teachers sign`, usernames: [...subjectTeachers].map(([u, subjects]) => `${u} (${subjects.join(', ')})`) },
    { step: `3. GVCN ký / homeroom teacher signs`, usernames: [homeroom] },
    { step: `4. Hiệu trưởng phê duyệt / principal approves`, usernames: ['hieutruong', ...(vice ? [`${vice} (KT. Hiệu trưởng, khi được ủy quyền)`] : [])] },
    { step: `5. Văn thư đóng dấu / clerk applies the seal`, usernames: ['vanthu'] },
  ];
}
