/** The province officer's home section: their province, its schools and how many have accounts to set up. */
import type { Db } from '../../db/client.ts';
import type { HomeInfo } from '../../server/api-types.ts';
import { officerProvince } from './province-scope.ts';
import { listProvinceSchools } from './province-schools.ts';

/** Cards: the province's name, its schools, schools still without an administrator. */
export async function provinceHomeSection(db: Db, userId: string): Promise<HomeInfo['sections'][number]> {
  const province = await officerProvince(db, userId);
  const schools = await listProvinceSchools(db, province);
  return {
    role: 'province_officer',
    cards: [
      { key: 'province', value: province.name },
      { key: 'province_schools', value: schools.length },
      { key: 'province_schools_without_admin', value: schools.filter((s) => !s.admins.some((a) => !a.disabled)).length },
    ],
  };
}
