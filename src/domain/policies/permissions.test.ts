import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canReadClass, canTeachClassSubject, hasPermission, permissionsOf, type ActorScope } from './permissions.ts';
import { passwordProblem } from './password-policy.ts';
import type { Role } from './roles.ts';

const actor = (roles: Role[], extra: Partial<ActorScope> = {}): ActorScope => ({
  userId: 'u',
  schoolId: 's',
  roles: new Set(roles),
  homeroomClassIds: new Set(),
  classSubjectIds: new Set(),
  taughtClassIds: new Set(),
  studentIds: new Set(),
  ...extra,
});

const permissionCases: Array<[string, Role[], Parameters<typeof hasPermission>[1], boolean]> = [
  ['principal reads all classes', ['principal'], 'classes.read_all', true],
  ['subject teacher cannot read all classes', ['subject_teacher'], 'classes.read_all', false],
  ['school admin manages users', ['school_admin'], 'users.manage', true],
  ['principal does not manage accounts', ['principal'], 'users.manage', false],
  ['clerk reads staff directory', ['clerk'], 'staff.read', true],
  ['student cannot read staff directory', ['student'], 'staff.read', false],
  ['parent reads own record', ['parent'], 'own_record.read', true],
  ['teacher has no own_record permission', ['subject_teacher'], 'own_record.read', false],
  ['system admin manages schools', ['system_admin'], 'schools.manage', true],
  ['school admin does not manage schools', ['school_admin'], 'schools.manage', false],
  ['province officer sees the province board', ['province_officer'], 'province.board', true],
  ['province officer creates schools of the province', ['province_officer'], 'province.schools', true],
  ['province officer reads no class', ['province_officer'], 'classes.read', false],
  ['province officer reads no grade sheet', ['province_officer'], 'grades.read', false],
  ['principal has no province board', ['principal'], 'province.board', false],
  ['vice principal reads audit', ['vice_principal'], 'audit.read', true],
  ['homeroom teacher cannot read audit', ['homeroom_teacher'], 'audit.read', false],
  ['several roles: union', ['subject_teacher', 'department_head'], 'staff.read', true],
];
for (const [name, roles, permission, expected] of permissionCases) {
  test(`permission: ${name}`, () => assert.equal(hasPermission(roles, permission), expected));
}

test('permissionsOf lists exactly the granted permissions', () => {
  assert.deepEqual(permissionsOf(['student']).sort(), ['own_record.read', 'school.read']);
});

const scopeCases: Array<[string, ActorScope, string, boolean]> = [
  ['homeroom teacher reads own class', actor(['homeroom_teacher'], { homeroomClassIds: new Set(['c1']) }), 'c1', true],
  ['homeroom teacher cannot read another class', actor(['homeroom_teacher'], { homeroomClassIds: new Set(['c1']) }), 'c2', false],
  ['subject teacher reads a class they teach', actor(['subject_teacher'], { taughtClassIds: new Set(['c2']) }), 'c2', true],
  ['subject teacher cannot read a class they do not teach', actor(['subject_teacher'], { taughtClassIds: new Set(['c2']) }), 'c3', false],
  ['principal reads any class', actor(['principal']), 'c9', true],
];
for (const [name, a, classId, expected] of scopeCases) {
  test(`scope: ${name}`, () => assert.equal(canReadClass(a, classId), expected));
}

test('scope: only the assigned teacher acts on a class-subject', () => {
  const t = actor(['subject_teacher'], { classSubjectIds: new Set(['cs1']) });
  assert.equal(canTeachClassSubject(t, 'cs1'), true);
  assert.equal(canTeachClassSubject(t, 'cs2'), false);
  assert.equal(canTeachClassSubject(actor(['principal'], { classSubjectIds: new Set(['cs1']) }), 'cs1'), false);
});

const passwordCases: Array<[string, string, boolean]> = [
  ['9 characters is too short', 'abcdefghi', false],
  ['10 characters is enough', 'abcdefghij', true],
  ['Vietnamese letters count as characters', 'mậtkhẩuđẹp', true],
  ['contains the username', 'xx-hieutruong-xx', false],
  ['common password', 'matkhau123', false],
  ['one repeated character', 'aaaaaaaaaaaa', false],
];
for (const [name, pw, ok] of passwordCases) {
  test(`password policy: ${name}`, () => assert.equal(passwordProblem(pw, 'hieutruong') === null, ok));
}
