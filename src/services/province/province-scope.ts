/**
 * Which province a province officer (cán bộ Sở GD&ĐT) oversees, and which schools belong to
 * it. The officer's grant carries the province code (role_grants.province_code); a school
 * names its province in schools.province (the 2025 name, e.g. "Thanh Hóa"), so a school
 * belongs to the province whose current name its province field reads as.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { roleGrants, schools } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { addressProvince, PROVINCES_2025 } from '../../domain/identity/provinces-2025.ts';

export interface Province {
  code: string;
  name: string;
}

/** The province of a 2-digit code since 1 July 2025, or null. */
export function provinceByCode(code: string): Province | null {
  return PROVINCES_2025.find((p) => p.code === code.trim()) ?? null;
}

/** The current province a school's province field names (accepts "Tỉnh Thanh Hóa", "Thanh Hoá"…), or null. */
export function provinceOfName(name: string): Province | null {
  const p = addressProvince(name);
  if (p.kind !== 'current') return null;
  return PROVINCES_2025.find((x) => x.name === p.name) ?? null;
}

/** The province the user oversees as province_officer; forbidden when they hold no such grant. */
export async function officerProvince(db: Db, userId: string): Promise<Province> {
  const rows = await inSystem(db, (tx) =>
    tx.select({ code: roleGrants.provinceCode }).from(roleGrants).where(and(eq(roleGrants.userId, userId), eq(roleGrants.role, 'province_officer'))),
  );
  const province = rows[0]?.code ? provinceByCode(rows[0].code) : null;
  if (!province) throw new DomainError('forbidden');
  return province;
}

export interface ProvinceSchool {
  id: string;
  code: string;
  name: string;
  commune: string | null;
  isDemo: boolean;
}

/** Every school of the province, by name. */
export async function schoolsOfProvince(db: Db, provinceCode: string): Promise<ProvinceSchool[]> {
  const all = await inSystem(db, (tx) =>
    tx.select({ id: schools.id, code: schools.code, name: schools.name, commune: schools.commune, province: schools.province, isDemo: schools.isDemo }).from(schools),
  );
  return all
    .filter((s) => provinceOfName(s.province)?.code === provinceCode)
    .map(({ province: _p, ...s }) => s)
    .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}

/** The school if it belongs to the province; forbidden otherwise (an officer never acts in another province's school). */
export async function assertSchoolInProvince(db: Db, provinceCode: string, schoolId: string): Promise<ProvinceSchool> {
  const [s] = await inSystem(db, (tx) =>
    tx.select({ id: schools.id, code: schools.code, name: schools.name, commune: schools.commune, province: schools.province, isDemo: schools.isDemo }).from(schools).where(eq(schools.id, schoolId)),
  );
  if (!s) throw new DomainError('not_found', { what: `trường ${schoolId} / school ${schoolId}` });
  if (provinceOfName(s.province)?.code !== provinceCode) throw new DomainError('forbidden');
  const { province: _p, ...rest } = s;
  return rest;
}
