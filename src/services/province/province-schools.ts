/**
 * What the province officer does with the schools of their province: create a school
 * (its current year, subject catalogue — initSchool), give it its first administrator with a
 * one-time password, list the schools with their administrators, disable an administrator.
 * Every change is audited (initSchool / createUser / setUserDisabled write the audit rows in
 * their transactions).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { adminUnits, roleGrants, users } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { SCHOOLLESS_ROLES, type Role } from '../../domain/policies/roles.ts';
import type { Actor } from '../audit/append-audit.ts';
import { initSchool } from '../schools/init-school.ts';
import { createUser } from '../users/create-user.ts';
import { setUserDisabled } from '../users/disable-user.ts';
import { temporaryPassword } from '../users/reset-password.ts';
import { assertSchoolInProvince, schoolsOfProvince, type Province, type ProvinceSchool } from './province-scope.ts';

const SCHOOL_CODE_RE = /^[A-Z0-9][A-Z0-9_-]{1,19}$/;

/** The communes of the province from the loaded administrative units (empty when no list is loaded). */
export async function provinceCommunes(db: Db, provinceCode: string): Promise<string[]> {
  const rows = await inSystem(db, (tx) => tx.select({ name: adminUnits.communeName }).from(adminUnits).where(eq(adminUnits.provinceCode, provinceCode)));
  return rows.map((r) => r.name).sort((a, b) => a.localeCompare(b, 'vi'));
}

export interface CreateProvinceSchoolInput {
  db: Db;
  actor: Actor;
  province: Province;
  code: string;
  name: string;
  commune: string;
  address?: string | null;
  schoolYear: { name: string; startsOn: string; endsOn: string };
}

/**
 * Creates a school in the officer's province. The commune must be one of the province's
 * communes when the administrative units are loaded (`hocba admin-units load`); before that
 * any non-empty name is taken, as the rest of the application does.
 */
export async function createProvinceSchool(input: CreateProvinceSchoolInput): Promise<{ schoolId: string }> {
  const code = input.code.trim().toUpperCase();
  const name = input.name.normalize('NFC').replace(/\s+/g, ' ').trim();
  const commune = input.commune.normalize('NFC').replace(/\s+/g, ' ').trim();
  const details: Array<{ path: string; message: string }> = [];
  if (!SCHOOL_CODE_RE.test(code)) details.push({ path: 'code', message: 'Mã trường 2–20 ký tự: chữ in hoa không dấu, số, gạch ngang / school code: 2–20 capitals, digits, dashes' });
  if (name.length < 3) details.push({ path: 'name', message: 'Tên trường tối thiểu 3 ký tự / school name: at least 3 characters' });
  if (!commune) details.push({ path: 'commune', message: 'Chọn xã/phường / choose a commune' });
  else {
    const communes = await provinceCommunes(input.db, input.province.code);
    if (communes.length && !communes.includes(commune)) {
      details.push({ path: 'commune', message: `"${commune}" không thuộc danh mục xã/phường của ${input.province.name} / not a commune of ${input.province.name}` });
    }
  }
  if (input.schoolYear.startsOn >= input.schoolYear.endsOn) details.push({ path: 'schoolYear.endsOn', message: 'Ngày kết thúc phải sau ngày bắt đầu / the year must end after it starts' });
  if (details.length) throw new DomainError('validation', { summary: details.map((d) => d.path).join(', ') }, details);
  const address = input.address?.trim() || `${commune}, Tỉnh ${input.province.name}`;
  const { schoolId } = await initSchool({ db: input.db, actor: input.actor, code, name, province: input.province.name, commune, address, schoolYear: input.schoolYear });
  return { schoolId };
}

/**
 * Gives a school of the province an administrator (IT officer, school_admin) with a one-time
 * password the officer hands over: the person must change it at first sign-in. The password
 * is returned once and never stored or logged in clear.
 */
export async function createSchoolAdmin(opts: {
  db: Db;
  actor: Actor;
  province: Province;
  schoolId: string;
  username: string;
  displayName: string;
  email?: string | null;
}): Promise<{ userId: string; username: string; temporaryPassword: string }> {
  await assertSchoolInProvince(opts.db, opts.province.code, opts.schoolId);
  const password = temporaryPassword();
  const { id } = await createUser({
    db: opts.db,
    actor: opts.actor,
    schoolId: opts.schoolId,
    roles: ['school_admin'],
    username: opts.username,
    displayName: opts.displayName,
    email: opts.email ?? null,
    password,
    mustChangePassword: true,
  });
  return { userId: id, username: opts.username.trim().toLowerCase(), temporaryPassword: password };
}

export interface SchoolAdminView {
  userId: string;
  username: string;
  displayName: string;
  disabled: boolean;
  mustChangePassword: boolean;
}

/** The schools of the province with their administrators (accounts only: no student data). */
export async function listProvinceSchools(db: Db, province: Province): Promise<Array<ProvinceSchool & { admins: SchoolAdminView[] }>> {
  const list = await schoolsOfProvince(db, province.code);
  if (!list.length) return [];
  const admins = await inSystem(db, (tx) =>
    tx
      .select({ schoolId: roleGrants.schoolId, userId: users.id, username: users.username, displayName: users.displayName, disabledAt: users.disabledAt, mustChangePassword: users.mustChangePassword })
      .from(roleGrants)
      .innerJoin(users, eq(users.id, roleGrants.userId))
      .where(and(eq(roleGrants.role, 'school_admin'), inArray(roleGrants.schoolId, list.map((s) => s.id))))
      .orderBy(users.username),
  );
  return list.map((s) => ({
    ...s,
    admins: admins
      .filter((a) => a.schoolId === s.id)
      .map((a) => ({ userId: a.userId, username: a.username, displayName: a.displayName, disabled: a.disabledAt !== null, mustChangePassword: a.mustChangePassword })),
  }));
}

/**
 * Disables (or re-enables) a school administrator of the province. Only an account whose
 * every role is school_admin in schools of this province: the officer cannot lock out a
 * teacher, another province's staff or a deployment operator through this door.
 */
export async function setSchoolAdminDisabled(opts: { db: Db; actor: Actor; province: Province; userId: string; disabled: boolean }): Promise<void> {
  const grants = await inSystem(opts.db, (tx) => tx.select({ role: roleGrants.role, schoolId: roleGrants.schoolId }).from(roleGrants).where(eq(roleGrants.userId, opts.userId)));
  const admin = grants.filter((g) => g.role === 'school_admin');
  if (!admin.length) throw new DomainError('not_found', { what: `quản trị trường ${opts.userId} / school administrator ${opts.userId}` });
  if (grants.some((g) => g.role !== 'school_admin' || SCHOOLLESS_ROLES.includes(g.role as Role) || !g.schoolId)) throw new DomainError('forbidden');
  for (const g of admin) await assertSchoolInProvince(opts.db, opts.province.code, g.schoolId!);
  await setUserDisabled({ db: opts.db, actor: opts.actor, userId: opts.userId, schoolId: admin[0]!.schoolId, disabled: opts.disabled });
}
