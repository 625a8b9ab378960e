import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, inSystem } from '../../db/scope.ts';
import { roleGrants, staff, users } from '../../db/schema.ts';

/** The school's staff with their account and roles. */
export async function listStaff(opts: { db: Db; schoolId: string }) {
  const rows = await inSchool(opts.db, opts.schoolId, (tx) =>
    tx
      .select({ id: staff.id, fullName: staff.fullName, department: staff.department, position: staff.position, userId: staff.userId })
      .from(staff)
      .orderBy(asc(staff.department), asc(staff.fullName)),
  );
  // Accounts and grants are deployment-wide tables: read only this school's grants.
  const grants = await inSystem(opts.db, (tx) =>
    tx
      .select({ userId: roleGrants.userId, role: roleGrants.role, username: users.username, disabledAt: users.disabledAt })
      .from(roleGrants)
      .innerJoin(users, eq(users.id, roleGrants.userId))
      .where(eq(roleGrants.schoolId, opts.schoolId)),
  );
  const byUser = new Map<string, { username: string; roles: string[]; disabled: boolean }>();
  for (const g of grants) {
    const e = byUser.get(g.userId) ?? { username: g.username, roles: [], disabled: g.disabledAt !== null };
    e.roles.push(g.role);
    byUser.set(g.userId, e);
  }
  return rows.map((r) => {
    const acc = r.userId ? byUser.get(r.userId) : undefined;
    return { id: r.id, fullName: r.fullName, department: r.department, position: r.position, username: acc?.username ?? null, roles: acc?.roles ?? [], disabled: acc?.disabled ?? false };
  });
}
