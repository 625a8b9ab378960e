import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { schoolYears, schools } from '../../db/schema.ts';
import { and } from 'drizzle-orm';
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

export interface YearSettings {
  semester2StartsOn?: string | null | undefined;
  /** When the grade book locks for each semester (hạn chốt điểm); null: no deadline. */
  semester1LockAt?: Date | null | undefined;
  semester2LockAt?: Date | null | undefined;
}

/** The current school year's dates: start of semester II and the grade-book deadlines (audited). */
export async function updateYearSettings(opts: { db: Db; actor: Actor; schoolId: string; settings: YearSettings }) {
  const patch = Object.fromEntries(Object.entries(opts.settings).filter(([, v]) => v !== undefined)) as YearSettings;
  return inSystem(opts.db, async (tx) => {
    const [year] = await tx.select().from(schoolYears).where(and(eq(schoolYears.schoolId, opts.schoolId), eq(schoolYears.isCurrent, true)));
    if (!year) throw new DomainError('not_found', { what: 'năm học hiện tại / current school year' });
    if (patch.semester2StartsOn && (patch.semester2StartsOn <= year.startsOn || patch.semester2StartsOn > year.endsOn)) {
      throw new DomainError('validation', { summary: 'semester2StartsOn' }, [{ path: 'semester2StartsOn', message: `Ngày bắt đầu học kỳ II phải nằm trong năm học (${year.startsOn} – ${year.endsOn}).` }]);
    }
    const [after] = await tx.update(schoolYears).set(patch).where(eq(schoolYears.id, year.id)).returning();
    const view = (y: typeof year) => ({ semester2StartsOn: y.semester2StartsOn, semester1LockAt: y.semester1LockAt?.toISOString() ?? null, semester2LockAt: y.semester2LockAt?.toISOString() ?? null });
    await appendAudit(tx, { actor: opts.actor, schoolId: opts.schoolId, action: 'school_year.settings_changed', targetType: 'school_year', targetId: year.id, before: view(year), after: view(after!) });
    return { schoolYear: after!.name, ...view(after!) };
  });
}
