/**
 * The demo's province officer (cán bộ Sở GD&ĐT of the demo school's province), so that
 * `npm start` shows the province board too. Shares the published demo password.
 */
import type { Tx } from '../../db/scope.ts';
import { roleGrants, users } from '../../db/schema.ts';
import { provinceOfName } from './province-scope.ts';

export const DEMO_PROVINCE_OFFICER = { username: 'so.thanhhoa', displayName: 'Lê Thị Thu Hà (Sở GD&ĐT)' } as const;

/** Adds the demo province officer for the province the demo school is in (nothing when the province is unknown). */
export async function addDemoProvinceOfficer(tx: Tx, schoolProvince: string, passwordHash: string): Promise<void> {
  const province = provinceOfName(schoolProvince);
  if (!province) return;
  const [u] = await tx
    .insert(users)
    .values({ username: DEMO_PROVINCE_OFFICER.username, displayName: DEMO_PROVINCE_OFFICER.displayName, passwordHash })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (u) await tx.insert(roleGrants).values({ userId: u.id, schoolId: null, role: 'province_officer', provinceCode: province.code });
}
