import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { schools } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { SIGNING_ROLES, type Role } from '../../domain/policies/roles.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';

/** The school's security settings: which signing or approving roles must use TOTP. */
export async function updateSchoolSettings(opts: { db: Db; actor: Actor; schoolId: string; totpRequiredRoles: Role[] }): Promise<{ totpRequiredRoles: Role[] }> {
  const bad = opts.totpRequiredRoles.filter((r) => !SIGNING_ROLES.includes(r));
  if (bad.length) {
    throw new DomainError('validation', { summary: `totpRequiredRoles: ${bad.join(', ')}` }, [
      { path: 'totpRequiredRoles', message: `Chỉ áp dụng cho vai trò ký hoặc phê duyệt: ${SIGNING_ROLES.join(', ')}` },
    ]);
  }
  const roles = [...new Set(opts.totpRequiredRoles)].sort();
  return inSystem(opts.db, async (tx) => {
    const [before] = await tx.select({ roles: schools.totpRequiredRoles }).from(schools).where(eq(schools.id, opts.schoolId));
    if (!before) throw new DomainError('not_found', { what: 'school' });
    await tx.update(schools).set({ totpRequiredRoles: roles }).where(eq(schools.id, opts.schoolId));
    await appendAudit(tx, {
      actor: opts.actor,
      schoolId: opts.schoolId,
      action: 'school.settings_changed',
      targetType: 'school',
      targetId: opts.schoolId,
      before: { totpRequiredRoles: before.roles },
      after: { totpRequiredRoles: roles },
    });
    return { totpRequiredRoles: roles as Role[] };
  });
}
