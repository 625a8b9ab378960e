import type { Db } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { appMeta, schoolYears, schools, subjects } from '../../db/schema.ts';
import { THPT_SUBJECTS } from '../../domain/assessment/catalogue.ts';
import { DomainError } from '../../domain/errors.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { createUser } from '../users/create-user.ts';

export interface InitSchoolInput {
  db: Db;
  actor: Actor;
  code: string;
  name: string;
  province: string;
  commune?: string | null;
  address?: string | null;
  schoolYear: { name: string; startsOn: string; endsOn: string; semester2StartsOn?: string | null };
  /** The first administrator (IT officer); the demo loader brings its own staff instead. */
  admin?: { username: string; displayName: string; password: string; email?: string | null };
  isDemo?: boolean;
  /** Makes it the practice school of this real school (services/practice). */
  practiceOfSchoolId?: string;
}

/** Marks the deployment as set up for real use, so `serve` never loads the demo school into it. */
export const INITIALISED_KEY = 'initialised';

/**
 * Creates a school with its current school year, the THPT subject catalogue and its first
 * administrator (the IT officer), all audited.
 */
export async function initSchool(input: InitSchoolInput): Promise<{ schoolId: string; adminUserId: string | null }> {
  if (!/^\d{4}-\d{4}$/.test(input.schoolYear.name)) {
    throw new DomainError('validation', { summary: 'schoolYear' }, [{ path: 'schoolYear', message: 'Năm học dạng 2025-2026' }]);
  }
  const schoolId = await inSystem(input.db, async (tx) => {
    const existing = await tx.query.schools.findFirst({ where: (s, { eq }) => eq(s.code, input.code) });
    if (existing) throw new DomainError('conflict', { what: `school ${input.code}` });
    const [s] = await tx
      .insert(schools)
      .values({ code: input.code, name: input.name, province: input.province, commune: input.commune ?? null, address: input.address ?? null, isDemo: input.isDemo ?? false, practiceOfSchoolId: input.practiceOfSchoolId ?? null })
      .returning({ id: schools.id });
    const id = s!.id;
    // Semester II usually starts in the second or third week of January [M]; the school corrects it in its settings.
    const semester2StartsOn = input.schoolYear.semester2StartsOn ?? `${input.schoolYear.name.slice(5)}-01-12`;
    await tx.insert(schoolYears).values({ schoolId: id, ...input.schoolYear, semester2StartsOn, isCurrent: true });
    await tx.insert(subjects).values(
      THPT_SUBJECTS.map((c) => ({
        schoolId: id,
        code: c.code,
        name: c.name,
        nameEn: c.nameEn,
        kind: c.kind,
        assessment: c.assessment,
        periodsPerYear: c.periodsPerYear,
        ministryCode: c.ministryCode,
        sortOrder: c.sortOrder,
      })),
    );
    if (!input.isDemo) await tx.insert(appMeta).values({ key: INITIALISED_KEY, value: new Date().toISOString() }).onConflictDoNothing();
    await appendAudit(tx, { actor: input.actor, schoolId: id, action: 'school.created', targetType: 'school', targetId: id, after: { code: input.code, name: input.name, schoolYear: input.schoolYear.name } });
    return id;
  });
  if (!input.admin) return { schoolId, adminUserId: null };
  const admin = await createUser({ db: input.db, actor: input.actor, schoolId, roles: ['school_admin'], ...input.admin });
  return { schoolId, adminUserId: admin.id };
}
