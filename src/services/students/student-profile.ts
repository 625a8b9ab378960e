/**
 * A student's identity profile (the học bạ identity page) with its data problems, and edits
 * by the homeroom teacher or the school's IT officer: values are normalised as Vietnamese
 * users write them (names NFC with single spaces and capitals, dates dd/mm/yyyy, ethnicity
 * by name), checked, and audited with before/after.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { classes, enrolments, schoolYears, schools, students } from '../../db/schema.ts';
import { DomainError, type ErrorDetail } from '../../domain/errors.ts';
import { parseVietnameseDate } from '../../domain/identity/dates.ts';
import { ethnicityByCode, findEthnicity } from '../../domain/identity/ethnicity.ts';
import { normalizePersonName } from '../../domain/identity/names.ts';
import { checkStudentRecord, isStudentField, STUDENT_FIELDS, type RecordProblem, type StudentField } from '../../domain/identity/student-record.ts';
import { canReadStudentRecord, hasPermission, isHomeroomOf, type ActorScope } from '../../domain/policies/permissions.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { classHistory } from './lifecycle.ts';
import { loadCommunes } from '../reference/admin-units.ts';

export const PROFILE_FIELDS = Object.keys(STUDENT_FIELDS) as StudentField[];
const NAME_FIELDS = new Set<StudentField>(['fullName', 'fatherName', 'motherName', 'guardianName']);

/** The school's mandatory list, keeping only known fields. */
export async function mandatoryFields(tx: Tx, schoolId: string): Promise<StudentField[]> {
  const [s] = await tx.select({ f: schools.mandatoryStudentFields }).from(schools).where(eq(schools.id, schoolId));
  return (s?.f ?? []).filter(isStudentField);
}

type StudentRow = typeof students.$inferSelect;

export function factsOf(s: StudentRow): Record<StudentField, string | null> {
  return Object.fromEntries(PROFILE_FIELDS.map((f) => [f, (s[f as keyof StudentRow] as string | null | undefined) ?? null])) as Record<StudentField, string | null>;
}

async function currentClass(tx: Tx, studentId: string) {
  const [e] = await tx
    .select({ classId: classes.id, className: classes.name })
    .from(enrolments)
    .innerJoin(classes, eq(classes.id, enrolments.classId))
    .innerJoin(schoolYears, and(eq(schoolYears.id, enrolments.schoolYearId), eq(schoolYears.isCurrent, true)))
    .where(and(eq(enrolments.studentId, studentId), eq(enrolments.status, 'active')));
  return e ?? null;
}

/** A duplicate student code or personal ID (unique per school) as a clear conflict; other errors pass through. */
export function studentUniqueConflict(err: unknown, lang: 'vi' | 'en'): unknown {
  const text = String((err as { cause?: Error }).cause?.message ?? err);
  return /students_(code|personal_id)/.test(text) ? new DomainError('conflict', { what: lang === 'vi' ? 'Mã học sinh hoặc số định danh này' : 'This student code or personal ID' }) : err;
}

export interface StudentProfile {
  id: string;
  /** Classes over time (the ended enrolments are the history). */
  history: Awaited<ReturnType<typeof classHistory>>;
  className: string | null;
  classId: string | null;
  fields: Record<StudentField, string | null>;
  mandatory: StudentField[];
  problems: RecordProblem[];
  canEdit: boolean;
}

export async function getStudentProfile(opts: { db: Db; actor: ActorScope; schoolId: string; studentId: string }): Promise<StudentProfile> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [s] = await tx.select().from(students).where(eq(students.id, opts.studentId));
    if (!s) throw new DomainError('not_found', { what: 'học sinh / student' });
    const cls = await currentClass(tx, s.id);
    if (!canReadStudentRecord(opts.actor, s.id, cls?.classId ?? null)) throw new DomainError('forbidden');
    const mandatory = await mandatoryFields(tx, opts.schoolId);
    const fields = factsOf(s);
    return {
      id: s.id,
      history: await classHistory(tx, s.id),
      className: cls?.className ?? null,
      classId: cls?.classId ?? null,
      fields,
      mandatory,
      problems: checkStudentRecord(fields, mandatory, { communes: await loadCommunes(tx) }),
      canEdit: canEditStudent(opts.actor, cls?.classId ?? null),
    };
  });
}

/** The homeroom teacher of the student's class, or the school's IT officer. */
export function canEditStudent(actor: ActorScope, classId: string | null): boolean {
  return hasPermission(actor.roles, 'students.edit_all') || (classId !== null && isHomeroomOf(actor, classId));
}

/**
 * One field as Vietnamese users write it → the stored form: names NFC with single spaces and
 * capitals, dates dd/mm/yyyy or Excel serials → ISO, gender Nam/Nữ, ethnicity by code or
 * name, ID numbers without separators. Returns the reason when the value cannot be stored.
 */
export function normaliseField(key: StudentField, raw: string | null | undefined, lang: 'vi' | 'en'): { ok: true; value: string | null } | { ok: false; message: string } {
  let v = raw === null || raw === undefined ? null : raw.normalize('NFC').replace(/\s+/g, ' ').trim() || null;
  if (v === null) return { ok: true, value: null };
  if (NAME_FIELDS.has(key)) v = normalizePersonName(v);
  else if (key === 'birthDate') {
    const d = parseVietnameseDate(/^\d+(\.0+)?$/.test(v) && Number(v) > 1000 && Number(v) < 100000 ? Number(v) : v);
    if (!d.ok) return { ok: false, message: d.problem.message[lang] };
    v = d.date;
  } else if (key === 'gender') {
    const g = v.toLowerCase();
    v = ['nam', 'male', 'm'].includes(g) ? 'male' : ['nữ', 'nu', 'female', 'f'].includes(g) ? 'female' : v;
    if (v !== 'male' && v !== 'female') return { ok: false, message: lang === 'vi' ? `Giới tính "${raw}": phải là Nam hoặc Nữ.` : `Gender "${raw}": male or female.` };
  } else if (key === 'ethnicityCode') {
    const e = (/^\d{1,2}$/.test(v) ? ethnicityByCode(v.padStart(2, '0')) : null) ?? findEthnicity(v);
    if (!e) return { ok: false, message: lang === 'vi' ? `Không nhận ra dân tộc "${v}" (danh mục 54 dân tộc).` : `Unknown ethnic group "${v}".` };
    v = e.code;
  } else if (key === 'personalId' || key === 'studentCode' || key === 'phone') {
    v = v.replace(/[\s.-]/g, '');
  }
  if ([...v].length > 300) return { ok: false, message: lang === 'vi' ? 'Tối đa 300 ký tự.' : 'At most 300 characters.' };
  return { ok: true, value: v };
}

/** Normalises and checks submitted values; throws `validation` naming each bad field. */
export function normaliseProfileInput(input: Partial<Record<string, string | null>>, lang: 'vi' | 'en'): Partial<Record<StudentField, string | null>> {
  const details: ErrorDetail[] = [];
  const out: Partial<Record<StudentField, string | null>> = {};
  for (const [key, raw] of Object.entries(input)) {
    if (!isStudentField(key)) {
      details.push({ path: key, message: lang === 'vi' ? 'Trường không tồn tại.' : 'Unknown field.' });
      continue;
    }
    const r = normaliseField(key, raw, lang);
    if (r.ok) out[key] = r.value;
    else details.push({ path: key, message: r.message });
  }
  if (details.length) throw new DomainError('validation', { summary: details.map((d) => `${d.path}: ${d.message}`).join('; ') }, details);
  return out;
}

export async function updateStudentProfile(opts: {
  db: Db;
  actor: ActorScope;
  who: Actor;
  schoolId: string;
  studentId: string;
  values: Partial<Record<string, string | null>>;
  reason?: string | undefined;
  lang: 'vi' | 'en';
}): Promise<StudentProfile> {
  const values = normaliseProfileInput(opts.values, opts.lang);
  await inSchool(opts.db, opts.schoolId, async (tx) => {
    const [s] = await tx.select().from(students).where(eq(students.id, opts.studentId)).for('update');
    if (!s) throw new DomainError('not_found', { what: 'học sinh / student' });
    const cls = await currentClass(tx, s.id);
    if (!canEditStudent(opts.actor, cls?.classId ?? null)) throw new DomainError('forbidden');
    const before = factsOf(s);
    const changed = Object.fromEntries(Object.entries(values).filter(([k, v]) => before[k as StudentField] !== v));
    if (!Object.keys(changed).length) return;
    for (const f of ['fullName', 'gender', 'birthDate'] as const) {
      if (f in changed && changed[f] === null) throw new DomainError('validation', { summary: f }, [{ path: f, message: opts.lang === 'vi' ? 'Không thể xoá trường này.' : 'This field cannot be cleared.' }]);
    }
    await tx.update(students).set(changed).where(eq(students.id, s.id)).catch((err: unknown) => {
      throw studentUniqueConflict(err, opts.lang);
    });
    await appendAudit(tx, {
      actor: opts.who,
      schoolId: opts.schoolId,
      action: 'student.updated',
      targetType: 'student',
      targetId: s.id,
      before: Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as StudentField]])),
      after: { ...changed, ...(opts.reason ? { reason: opts.reason } : {}) },
    });
  });
  return getStudentProfile(opts);
}
