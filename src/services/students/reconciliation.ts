/**
 * Reconciling students against reference extracts (DOMAIN.md §1, §6): the sector database
 * export (CSDL ngành) and a VNeID / population extract. Students are matched by personal ID,
 * then student code, then name + birth date; every field where the school and a source
 * disagree is shown, and the homeroom teacher resolves it — take a source's value, keep the
 * school's, or enter another with a reason. Every resolution is audited.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { classes, enrolments, reconciliationResolutions, referenceExtracts, students } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { detectColumns } from '../../domain/identity/import-columns.ts';
import { compareVietnameseNames } from '../../domain/identity/names.ts';
import { IdentityIndex } from '../../domain/identity/matching.ts';
import { isStudentField, type StudentField } from '../../domain/identity/student-record.ts';
import { canReadClass, hasPermission, isHomeroomOf, type ActorScope } from '../../domain/policies/permissions.ts';
import type { ReconciliationView } from '../../server/api-types.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { readTable } from '../import/read-table.ts';
import { factsOf, normaliseField, studentUniqueConflict } from './student-profile.ts';

export type Source = 'csdl_nganh' | 'vneid';
export const SOURCES: readonly Source[] = ['csdl_nganh', 'vneid'];
type Rec = { row: number; values: Partial<Record<StudentField, string>> };

/** The fields compared with reference sources. */
const COMPARED: readonly StudentField[] = ['fullName', 'birthDate', 'gender', 'ethnicityCode', 'personalId', 'studentCode', 'birthPlace', 'hometown', 'address', 'fatherName', 'motherName'];

/** Loosely equal: same text ignoring case and spacing (but not diacritics: "Lan" ≠ "Lân"). */
const same = (a: string | null | undefined, b: string | null | undefined) => (a ?? '').normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('vi') === (b ?? '').normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('vi');

/** Loads a reference extract (XLSX/CSV, any encoding) for the school; the newest of each source is used. */
export async function loadReferenceExtract(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; source: Source; fileName: string; content: Buffer; lang: 'vi' | 'en' }) {
  if (!hasPermission(opts.actor.roles, 'students.edit')) throw new DomainError('forbidden');
  const table = await readTable(opts.content, opts.fileName);
  if (!table.ok) throw new DomainError('file.invalid', { reason: table.message[opts.lang] });
  const cols = detectColumns(table.rows);
  if (!cols) throw new DomainError('file.invalid', { reason: opts.lang === 'vi' ? 'không tìm thấy dòng tiêu đề' : 'no header row found' });
  const records: Rec[] = [];
  table.rows.slice(cols.headerRow + 1).forEach((cells, i) => {
    if (!cells.some((c) => c.trim())) return;
    const values: Rec['values'] = {};
    for (const [f, col] of Object.entries(cols.mapping) as Array<[StudentField, number]>) {
      let raw = cells[col] ?? '';
      if (f === 'hometown' && cols.communeColumn != null && cells[cols.communeColumn]) raw = [cells[cols.communeColumn], raw].filter(Boolean).join(', ');
      const r = normaliseField(f, raw, opts.lang);
      // A value we cannot normalise is kept as written: it will show as a difference.
      const v = r.ok ? r.value : raw.trim() || null;
      if (v) values[f] = v;
    }
    records.push({ row: cols.headerRow + 2 + i, values });
  });
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [x] = await tx.insert(referenceExtracts).values({ schoolId: opts.schoolId, source: opts.source, fileName: opts.fileName.normalize('NFC').slice(0, 200), records, loadedBy: opts.who.label }).returning();
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'reference_extract.loaded', targetType: 'reference_extract', targetId: x!.id, after: { source: opts.source, fileName: x!.fileName, rows: records.length, encoding: table.encoding, legacyFont: table.legacyFont } });
    return { id: x!.id, source: opts.source, rows: records.length, fileName: x!.fileName };
  });
}

interface Index {
  extract: typeof referenceExtracts.$inferSelect;
  records: IdentityIndex<Rec>;
}

async function latestExtracts(tx: Tx): Promise<Partial<Record<Source, Index>>> {
  const out: Partial<Record<Source, Index>> = {};
  for (const source of SOURCES) {
    const [x] = await tx.select().from(referenceExtracts).where(eq(referenceExtracts.source, source)).orderBy(desc(referenceExtracts.loadedAt)).limit(1);
    if (!x) continue;
    out[source] = { extract: x, records: new IdentityIndex(x.records as Rec[], (r) => r.values) };
  }
  return out;
}

/** Per student of the class: matches per source and every disagreement, with its resolution. */
export async function computeReconciliation(tx: Tx, studentRows: Array<typeof students.$inferSelect>, sources: Partial<Record<Source, Index>>) {
  const ids = studentRows.map((s) => s.id);
  const res = ids.length ? await tx.select().from(reconciliationResolutions).where(inArray(reconciliationResolutions.studentId, ids)).orderBy(desc(reconciliationResolutions.at)) : [];
  const latest = new Map<string, (typeof res)[number]>();
  for (const r of res) if (!latest.has(`${r.studentId}|${r.field}`)) latest.set(`${r.studentId}|${r.field}`, r);
  return studentRows.map((s) => {
    const facts = factsOf(s);
    const matches = {} as ReconciliationView['students'][number]['matches'];
    const found: Partial<Record<Source, Rec>> = {};
    for (const source of SOURCES) {
      const idx = sources[source];
      if (!idx) {
        matches[source] = { status: 'no_extract', by: null };
        continue;
      }
      const m = idx.records.match(facts);
      matches[source] = { status: m.status, by: m.status === 'none' ? null : m.by };
      if (m.status === 'matched') found[source] = m.record;
    }
    const differences: ReconciliationView['students'][number]['differences'] = [];
    for (const field of COMPARED) {
      const srcValues: Partial<Record<Source, string | null>> = {};
      let differs = false;
      for (const source of SOURCES) {
        const rec = found[source];
        if (!rec || !(field in rec.values)) continue;
        srcValues[source] = rec.values[field] ?? null;
        if (!same(rec.values[field], facts[field])) differs = true;
      }
      if (!differs) continue;
      const r = latest.get(`${s.id}|${field}`);
      const stillValid = r && same(r.value, facts[field]) && SOURCES.every((src) => same((r.sourceValues as Record<string, string | null>)[src], srcValues[src]));
      differences.push({ field, school: facts[field], sources: srcValues, resolution: stillValid ? { take: r.take, value: r.value, by: r.byLabel, at: r.at.toISOString(), reason: r.reason } : null });
    }
    const loaded = SOURCES.filter((src) => sources[src]);
    const reconciled = loaded.length > 0 && loaded.every((src) => matches[src].status === 'matched') && differences.every((d) => d.resolution);
    return { studentId: s.id, fullName: s.fullName, matches, differences, reconciled };
  });
}

async function classStudents(tx: Tx, classId: string) {
  const rows = await tx
    .select({ s: students })
    .from(enrolments)
    .innerJoin(students, eq(students.id, enrolments.studentId))
    .where(and(eq(enrolments.classId, classId), eq(enrolments.status, 'active')));
  return rows.map((r) => r.s).sort((a, b) => compareVietnameseNames(a.fullName, b.fullName));
}

export async function reconciliationView(opts: { db: Db; actor: ActorScope; schoolId: string; classId: string }): Promise<ReconciliationView> {
  if (!canReadClass(opts.actor, opts.classId)) throw new DomainError('forbidden');
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [cls] = await tx.select({ id: classes.id, name: classes.name }).from(classes).where(eq(classes.id, opts.classId));
    if (!cls) throw new DomainError('not_found', { what: 'lớp / class' });
    const sources = await latestExtracts(tx);
    return {
      class: cls,
      sources: SOURCES.flatMap((source) => {
        const x = sources[source]?.extract;
        return x ? [{ source, fileName: x.fileName, loadedAt: x.loadedAt.toISOString(), rows: (x.records as Rec[]).length }] : [];
      }),
      students: await computeReconciliation(tx, await classStudents(tx, cls.id), sources),
    };
  });
}

/** Reconciled students per class (for the data-quality board). */
export async function reconciledByClass(tx: Tx, classIds: string[]): Promise<Map<string, number>> {
  const sources = await latestExtracts(tx);
  const out = new Map<string, number>();
  if (!Object.keys(sources).length) return out;
  for (const classId of classIds) {
    const rows = await computeReconciliation(tx, await classStudents(tx, classId), sources);
    out.set(classId, rows.filter((r) => r.reconciled).length);
  }
  return out;
}

/** The homeroom teacher resolves one difference: take a source's value, keep the school's, or enter another with a reason. */
export async function resolveDifference(opts: {
  db: Db;
  actor: ActorScope;
  who: Actor;
  schoolId: string;
  studentId: string;
  field: string;
  take: 'school' | Source | 'manual';
  value?: string | null | undefined;
  reason?: string | undefined;
  lang: 'vi' | 'en';
}): Promise<void> {
  if (!isStudentField(opts.field)) throw new DomainError('validation', { summary: 'field' }, [{ path: 'field', message: 'Trường không tồn tại.' }]);
  const field = opts.field;
  await inSchool(opts.db, opts.schoolId, async (tx) => {
    const [s] = await tx.select().from(students).where(eq(students.id, opts.studentId)).for('update');
    if (!s) throw new DomainError('not_found', { what: 'học sinh / student' });
    const [enr] = await tx.select({ classId: enrolments.classId }).from(enrolments).where(and(eq(enrolments.studentId, s.id), eq(enrolments.status, 'active')));
    if (!(hasPermission(opts.actor.roles, 'students.edit_all') || (enr && isHomeroomOf(opts.actor, enr.classId)))) throw new DomainError('forbidden');
    const [row] = await computeReconciliation(tx, [s], await latestExtracts(tx));
    const diff = row!.differences.find((d) => d.field === field);
    if (!diff) throw new DomainError('not_found', { what: opts.lang === 'vi' ? 'sai khác cần xử lý' : 'a difference to resolve' });
    let value: string | null;
    if (opts.take === 'school') value = diff.school;
    else if (opts.take === 'manual') {
      if (!opts.reason?.trim()) throw new DomainError('validation', { summary: 'reason' }, [{ path: 'reason', message: opts.lang === 'vi' ? 'Nhập giá trị khác cần ghi rõ lý do và căn cứ.' : 'A typed value needs a reason.' }]);
      const r = normaliseField(field, opts.value ?? null, opts.lang);
      if (!r.ok) throw new DomainError('validation', { summary: 'value' }, [{ path: 'value', message: r.message }]);
      value = r.value;
    } else {
      if (!(opts.take in diff.sources)) throw new DomainError('validation', { summary: 'take' }, [{ path: 'take', message: opts.lang === 'vi' ? 'Nguồn này không có giá trị cho trường này.' : 'That source has no value for this field.' }]);
      const r = normaliseField(field, diff.sources[opts.take] ?? null, opts.lang);
      if (!r.ok) throw new DomainError('validation', { summary: 'take' }, [{ path: 'take', message: r.message }]);
      value = r.value;
    }
    if ((field === 'fullName' || field === 'gender' || field === 'birthDate') && !value) throw new DomainError('validation', { summary: field }, [{ path: 'value', message: 'Không thể xoá trường này.' }]);
    if (!same(value, diff.school)) {
      await tx.update(students).set({ [field]: value }).where(eq(students.id, s.id)).catch((err: unknown) => {
        throw studentUniqueConflict(err, opts.lang);
      });
    }
    const reason = opts.reason?.normalize('NFC').trim() || null;
    await tx.insert(reconciliationResolutions).values({ schoolId: opts.schoolId, studentId: s.id, field, take: opts.take, value, reason, sourceValues: diff.sources, byLabel: opts.who.label });
    await appendAudit(tx, {
      actor: opts.who,
      schoolId: opts.schoolId,
      action: 'student.reconciled',
      targetType: 'student',
      targetId: s.id,
      before: { [field]: diff.school },
      after: { [field]: value, take: opts.take, sources: diff.sources, reason },
    });
  });
}
