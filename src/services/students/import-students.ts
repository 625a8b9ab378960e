/**
 * Importing a student list into a class (DOMAIN.md §6): read any encoding, recognise the
 * columns (sector-database layout or the school's own, remembered), normalise and check every
 * cell, match each row to an existing student (personal ID, then student code, then name +
 * birth date), and show the whole preview before anything is written. Committing is
 * all-or-nothing, or — explicitly — the valid rows only. Nothing is silently dropped: rows
 * with errors are listed, and unmapped columns are reported.
 */
import { and, eq } from 'drizzle-orm';
import writeXlsxFile from 'write-excel-file/node';
import type { Db } from '../../db/client.ts';
import { inSchool, type Tx } from '../../db/scope.ts';
import { classes, enrolments, importMappings, schoolYears, studentImports, students } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { detectColumns, headerSignature, unmappedHeaders, type ColumnMapping } from '../../domain/identity/import-columns.ts';
import { foldVietnamese } from '../../domain/identity/names.ts';
import { IdentityIndex, nameBirthKey } from '../../domain/identity/matching.ts';
import { checkStudentRecord, isStudentField, STUDENT_FIELDS, type StudentField } from '../../domain/identity/student-record.ts';
import { isHomeroomOf, hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import type { ImportPreview, ImportResult, RecordProblemView } from '../../server/api-types.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { vietnamToday } from '../attendance/attendance.ts';
import { readTable } from '../import/read-table.ts';
import { factsOf, mandatoryFields, normaliseField } from './student-profile.ts';
import { loadCommunes } from '../reference/admin-units.ts';

type Row = ImportPreview['rows'][number];
type Problem = Row['problems'][number];
type StudentRow = typeof students.$inferSelect;

const colLetter = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : colLetter(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));

function assertMayImport(actor: ActorScope, classId: string): void {
  if (!(hasPermission(actor.roles, 'students.edit_all') || isHomeroomOf(actor, classId))) throw new DomainError('forbidden');
}

const importError = (code: string, vi: string, en: string, column: string | null, value: string | null, field: RecordProblemView['field'] = 'duplicate'): Problem => ({
  field,
  code,
  severity: 'blocking',
  message: { vi, en },
  value,
  column,
});

/** Builds the preview of an import against the school's current students (inside the caller's transaction). */
async function buildPreview(tx: Tx, imp: typeof studentImports.$inferSelect, lang: 'vi' | 'en'): Promise<ImportPreview> {
  const mapping = imp.mapping as ColumnMapping;
  const headers = imp.headers as string[];
  const dataRows = imp.rows as Array<{ row: number; cells: string[] }>;
  const [cls] = await tx.select().from(classes).where(eq(classes.id, imp.classId));
  const all = await tx.select().from(students);
  const active = await tx.select({ studentId: enrolments.studentId, classId: enrolments.classId }).from(enrolments).where(and(eq(enrolments.schoolYearId, cls!.schoolYearId), eq(enrolments.status, 'active')));
  const activeClass = new Map(active.map((e) => [e.studentId, e.classId]));
  const classNames = new Map((await tx.select({ id: classes.id, name: classes.name }).from(classes)).map((c) => [c.id, c.name]));
  const index = new IdentityIndex(all, (s) => s);
  const mandatory = await mandatoryFields(tx, imp.schoolId);
  const communes = await loadCommunes(tx);
  const layout = detectColumns([headers]);
  const seen = { pid: new Map<string, number>(), code: new Map<string, number>(), name: new Map<string, number>() };
  const rows: Row[] = [];
  for (const { row, cells } of dataRows) {
    const problems: Problem[] = [];
    const values: Partial<Record<StudentField, string | null>> = {};
    for (const [field, col] of Object.entries(mapping) as Array<[StudentField, number | null]>) {
      if (col === null || col === undefined) continue;
      let raw = cells[col] ?? '';
      // The sector export splits the home town into commune and province columns.
      if (field === 'hometown' && imp.layout === 'csdl_nganh' && layout?.communeColumn != null && cells[layout.communeColumn]) raw = [cells[layout.communeColumn], raw].filter(Boolean).join(', ');
      const r = normaliseField(field, raw, lang);
      if (r.ok) values[field] = r.value;
      else problems.push(importError('import.bad_value', r.message, r.message, colLetter(col), raw, field));
    }
    if (layout?.classColumn != null) {
      const written = (cells[layout.classColumn] ?? '').trim();
      if (written && foldVietnamese(written).replace(/\s/g, '') !== foldVietnamese(cls!.name).replace(/\s/g, '')) {
        problems.push(importError('import.other_class', `Dòng ghi lớp "${written}", không phải lớp ${cls!.name}.`, `The row says class "${written}", not ${cls!.name}.`, colLetter(layout.classColumn), written));
      }
    }
    const found = index.match(values);
    const candidates: StudentRow[] = found.status === 'matched' ? [found.record] : found.status === 'several' ? found.records : [];
    let match: StudentRow | null = null;
    if (candidates.length > 1) {
      problems.push(importError('import.ambiguous_match', `Khớp với ${candidates.length} học sinh (${candidates.map((c) => c.fullName).join(', ')}): hãy bổ sung số định danh hoặc mã học sinh.`, `Matches ${candidates.length} students: add the personal ID or student code.`, null, values.fullName ?? null));
    } else if (candidates.length === 1) {
      match = candidates[0]!;
      // Matched by an ID, yet neither the name nor the birth date agrees: most likely a typo in the ID — never rename a student from it.
      if (values.fullName && values.birthDate && foldVietnamese(values.fullName) !== foldVietnamese(match.fullName) && values.birthDate !== match.birthDate) {
        problems.push(importError('import.identity_mismatch', `Mã/số định danh trùng với học sinh ${match.fullName} (${match.birthDate}) nhưng họ tên và ngày sinh khác: kiểm tra lại.`, `The ID matches ${match.fullName} (${match.birthDate}) but name and birth date differ: check it.`, null, values.fullName));
        match = null;
      }
      const inClass = match ? activeClass.get(match.id) : undefined;
      if (match && inClass && inClass !== imp.classId) {
        problems.push(importError('import.in_other_class', `Học sinh ${match.fullName} đang học lớp ${classNames.get(inClass)}: dùng chức năng chuyển lớp.`, `${match.fullName} is in class ${classNames.get(inClass)}: move the student instead.`, null, values.fullName ?? null));
      }
    }
    // Another student already holds this personal ID or code.
    for (const [f, idx] of [['personalId', 'personalId'], ['studentCode', 'studentCode']] as const) {
      const holder = values[f] ? index.holders(idx, values[f]!) : undefined;
      if (holder?.length && !holder.some((h) => h.id === match?.id) && candidates.length <= 1) {
        problems.push(importError('import.id_taken', `${STUDENT_FIELDS[f].vi} ${values[f]} đã thuộc học sinh ${holder[0]!.fullName}.`, `${STUDENT_FIELDS[f].en} ${values[f]} belongs to ${holder[0]!.fullName}.`, mapping[f] != null ? colLetter(mapping[f]!) : null, values[f]!, f));
      }
    }
    // The same student twice in the file.
    for (const [k, key] of [['pid', values.personalId], ['code', values.studentCode], ['name', values.fullName && values.birthDate ? nameBirthKey(values.fullName, values.birthDate) : null]] as const) {
      if (!key) continue;
      const first = seen[k].get(key);
      if (first !== undefined) problems.push(importError('import.duplicate_row', `Trùng với dòng ${first} của tệp.`, `Same student as row ${first} of the file.`, null, values.fullName ?? null));
      else seen[k].set(key, row);
    }
    if (!match) {
      for (const f of ['fullName', 'gender', 'birthDate'] as const) {
        if (!values[f] && !problems.some((p) => p.field === f)) {
          problems.push(importError('import.missing_required', `Thiếu ${STUDENT_FIELDS[f].vi.toLowerCase()} (cần để thêm học sinh mới).`, `${STUDENT_FIELDS[f].en} is needed to add a new student.`, mapping[f] != null ? colLetter(mapping[f]!) : null, null, f));
        }
      }
    }
    // Data-quality problems of the student as they would be after the import (not import errors: shown, flagged on the board).
    const before = match ? factsOf(match) : null;
    const after = { ...(before ?? {}), ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null)) };
    for (const p of checkStudentRecord(after, mandatory, { communes })) {
      const col = p.field !== 'parents' && mapping[p.field] != null ? colLetter(mapping[p.field]!) : null;
      problems.push({ ...p, column: col });
    }
    const isError = problems.some((p) => p.code.startsWith('import.'));
    const changes = before ? Object.entries(values).filter(([f, v]) => v !== null && before[f as StudentField] !== v) : [];
    rows.push({
      row,
      values,
      action: isError ? 'error' : !match ? 'create' : changes.length || !activeClass.has(match.id) ? 'update' : 'unchanged',
      matchedStudentId: match?.id ?? null,
      problems,
    });
  }
  const count = (a: Row['action']) => rows.filter((r) => r.action === a).length;
  return {
    id: imp.id,
    classId: imp.classId,
    fileName: imp.fileName,
    format: imp.format as ImportPreview['format'],
    encoding: imp.encoding,
    legacyFont: (imp.legacyFont as ImportPreview['legacyFont']) ?? null,
    layout: imp.layout as ImportPreview['layout'],
    headers,
    unmappedColumns: unmappedHeaders(headers, mapping),
    mapping,
    rows,
    summary: { rows: rows.length, valid: rows.length - count('error'), errors: count('error'), create: count('create'), update: count('update'), unchanged: count('unchanged') },
    status: imp.status as ImportPreview['status'],
  };
}

/** Reads an uploaded list and stores it for preview; nothing is written to students. */
export async function createImport(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; classId: string; fileName: string; content: Buffer; lang: 'vi' | 'en' }): Promise<ImportPreview> {
  assertMayImport(opts.actor, opts.classId);
  const table = await readTable(opts.content, opts.fileName);
  if (!table.ok) throw new DomainError('file.invalid', { reason: table.message[opts.lang] });
  const cols = detectColumns(table.rows);
  if (!cols) throw new DomainError('file.invalid', { reason: opts.lang === 'vi' ? 'không tìm thấy dòng tiêu đề (Họ tên, Ngày sinh, …)' : 'no header row found (Họ tên, Ngày sinh, …)' });
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [cls] = await tx.select({ id: classes.id }).from(classes).where(eq(classes.id, opts.classId));
    if (!cls) throw new DomainError('not_found', { what: 'lớp / class' });
    const [remembered] = await tx.select().from(importMappings).where(eq(importMappings.signature, headerSignature(cols.headers)));
    const rows = table.rows
      .slice(cols.headerRow + 1)
      .map((cells, i) => ({ row: cols.headerRow + 2 + i, cells }))
      .filter((r) => r.cells.some((c) => c.trim() !== ''));
    const [imp] = await tx
      .insert(studentImports)
      .values({
        schoolId: opts.schoolId,
        classId: opts.classId,
        fileName: opts.fileName.normalize('NFC').slice(0, 200),
        format: table.format,
        encoding: table.encoding,
        legacyFont: table.legacyFont,
        layout: cols.layout,
        headerRow: cols.headerRow + 1,
        headers: cols.headers,
        rows,
        mapping: (remembered?.mapping as ColumnMapping | undefined) ?? cols.mapping,
        createdBy: opts.who.userId,
      })
      .returning();
    return buildPreview(tx, imp!, opts.lang);
  });
}

async function loadImport(tx: Tx, actor: ActorScope, importId: string) {
  const [imp] = await tx.select().from(studentImports).where(eq(studentImports.id, importId));
  if (!imp) throw new DomainError('not_found', { what: 'lần nhập / import' });
  assertMayImport(actor, imp.classId);
  return imp;
}

export async function getImport(opts: { db: Db; actor: ActorScope; schoolId: string; importId: string; lang: 'vi' | 'en' }): Promise<ImportPreview> {
  return inSchool(opts.db, opts.schoolId, async (tx) => buildPreview(tx, await loadImport(tx, opts.actor, opts.importId), opts.lang));
}

/** The person's column choice; remembered for files with the same header row. */
export async function setImportMapping(opts: { db: Db; actor: ActorScope; schoolId: string; importId: string; mapping: Record<string, number | null>; lang: 'vi' | 'en' }): Promise<ImportPreview> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const imp = await loadImport(tx, opts.actor, opts.importId);
    if (imp.status !== 'preview') throw new DomainError('conflict', { what: 'lần nhập đã hoàn tất / a committed import' });
    const headers = imp.headers as string[];
    const mapping: ColumnMapping = {};
    const details = [];
    for (const [f, col] of Object.entries(opts.mapping)) {
      if (!isStudentField(f)) details.push({ path: `mapping.${f}`, message: 'Trường không tồn tại.' });
      else if (col !== null && (!Number.isInteger(col) || col < 0 || col >= headers.length)) details.push({ path: `mapping.${f}`, message: `Cột ${col} không có trong tệp.` });
      else mapping[f] = col;
    }
    if (details.length) throw new DomainError('validation', { summary: 'mapping' }, details);
    const [updated] = await tx.update(studentImports).set({ mapping }).where(eq(studentImports.id, imp.id)).returning();
    await tx
      .insert(importMappings)
      .values({ schoolId: opts.schoolId, signature: headerSignature(headers), mapping })
      .onConflictDoUpdate({ target: [importMappings.schoolId, importMappings.signature], set: { mapping, updatedAt: new Date() } });
    return buildPreview(tx, updated!, opts.lang);
  });
}

/** Applies the import: all rows (refused if any has an error) or, when asked, the valid rows only. */
export async function commitImport(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; importId: string; mode: 'all' | 'valid_only'; lang: 'vi' | 'en' }): Promise<ImportResult> {
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const imp = await loadImport(tx, opts.actor, opts.importId);
    if (imp.status !== 'preview') throw new DomainError('conflict', { what: 'lần nhập đã hoàn tất / a committed import' });
    const preview = await buildPreview(tx, imp, opts.lang);
    const errors = preview.rows.filter((r) => r.action === 'error');
    if (opts.mode === 'all' && errors.length) {
      throw new DomainError(
        'import.invalid',
        { count: errors.length },
        errors.flatMap((r) => r.problems.filter((p) => p.code.startsWith('import.')).map((p) => ({ path: `row ${r.row}${p.column ? `, ${p.column}` : ''}`, message: p.message[opts.lang] }))),
      );
    }
    const [cls] = await tx.select({ schoolYearId: classes.schoolYearId, startsOn: schoolYears.startsOn, endsOn: schoolYears.endsOn }).from(classes).innerJoin(schoolYears, eq(schoolYears.id, classes.schoolYearId)).where(eq(classes.id, imp.classId));
    const today = vietnamToday();
    const enrolledOn = today < cls!.startsOn ? cls!.startsOn : today > cls!.endsOn ? cls!.endsOn : today;
    const log: Array<{ row: number; studentId: string; action: string; changes: Record<string, { old: string | null; new: string | null }> }> = [];
    const given = (r: Row) => Object.fromEntries(Object.entries(r.values).filter(([, v]) => v !== null)) as Record<string, string>;
    const toEnrol: string[] = [];
    // New students go in chunks (a whole school's export at once).
    const creates = preview.rows.filter((r) => r.action === 'create');
    for (let i = 0; i < creates.length; i += 500) {
      const chunk = creates.slice(i, i + 500);
      const ids = await tx
        .insert(students)
        .values(chunk.map((r) => { const v = given(r); return { ...v, schoolId: opts.schoolId, fullName: v.fullName!, gender: v.gender!, birthDate: v.birthDate! }; }))
        .returning({ id: students.id });
      chunk.forEach((r, j) => {
        toEnrol.push(ids[j]!.id);
        log.push({ row: r.row, studentId: ids[j]!.id, action: 'created', changes: Object.fromEntries(Object.entries(given(r)).map(([k, v]) => [k, { old: null, new: v }])) });
      });
    }
    const activeNow = new Set((await tx.select({ id: enrolments.studentId }).from(enrolments).where(and(eq(enrolments.schoolYearId, cls!.schoolYearId), eq(enrolments.status, 'active')))).map((e) => e.id));
    for (const r of preview.rows.filter((x) => x.action === 'update')) {
      const studentId = r.matchedStudentId!;
      const [old] = await tx.select().from(students).where(eq(students.id, studentId));
      const before = factsOf(old!);
      const set = Object.fromEntries(Object.entries(given(r)).filter(([k, v]) => before[k as StudentField] !== v));
      if (Object.keys(set).length) await tx.update(students).set(set).where(eq(students.id, studentId));
      if (!activeNow.has(studentId)) toEnrol.push(studentId);
      log.push({ row: r.row, studentId, action: 'updated', changes: Object.fromEntries(Object.entries(set).map(([k, v]) => [k, { old: before[k as StudentField], new: v }])) });
    }
    for (let i = 0; i < toEnrol.length; i += 500) {
      await tx.insert(enrolments).values(toEnrol.slice(i, i + 500).map((studentId) => ({ schoolId: opts.schoolId, studentId, schoolYearId: cls!.schoolYearId, classId: imp.classId, enrolledOn, joinedAs: 'new', note: `Nhập từ tệp ${imp.fileName}` })));
    }
    const result: ImportResult = { created: log.filter((l) => l.action === 'created').length, updated: log.filter((l) => l.action === 'updated').length, skipped: errors.length };
    await tx.update(studentImports).set({ status: 'committed', result, committedAt: new Date() }).where(eq(studentImports.id, imp.id));
    await appendAudit(tx, {
      actor: opts.who,
      schoolId: opts.schoolId,
      action: 'students.imported',
      targetType: 'class',
      targetId: imp.classId,
      after: { file: imp.fileName, mode: opts.mode, ...result, skippedRows: errors.map((r) => r.row), students: log },
    });
    return result;
  });
}

/** Every problem of the preview as a spreadsheet: row, column, field, value, rule, message. */
export async function importReportXlsx(opts: { db: Db; actor: ActorScope; schoolId: string; importId: string; lang: 'vi' | 'en' }): Promise<Buffer> {
  const preview = await getImport(opts);
  const vi = opts.lang === 'vi';
  const head = (vi ? ['Dòng', 'Cột', 'Trường', 'Giá trị', 'Mức độ', 'Mã lỗi', 'Nội dung'] : ['Row', 'Column', 'Field', 'Value', 'Severity', 'Code', 'Message']).map((value) => ({ value, fontWeight: 'bold' as const }));
  const data = preview.rows.flatMap((r) =>
    r.problems.map((p) =>
      [
        r.row,
        p.column ?? '',
        isStudentField(p.field) ? STUDENT_FIELDS[p.field][opts.lang] : p.field,
        p.value ?? '',
        p.code.startsWith('import.') ? (vi ? 'Lỗi – không nhập được' : 'Error – not imported') : p.severity === 'blocking' ? (vi ? 'Chặn ký' : 'Blocks signing') : vi ? 'Cảnh báo' : 'Warning',
        p.code,
        p.message[opts.lang],
      ].map((value) => ({ value })),
    ),
  );
  const unmapped = unmappedHeaders(preview.headers, preview.mapping).map((h) => [{ value: '' }, { value: '' }, { value: h }, { value: '' }, { value: vi ? 'Cột không được nhập' : 'Column not imported' }, { value: 'import.unmapped_column' }, { value: vi ? 'Cột này không khớp trường nào; chọn trường trong phần ghép cột nếu cần.' : 'This column matches no field; map it if needed.' }]);
  return writeXlsxFile([head, ...data, ...unmapped], { sheet: vi ? 'Báo cáo lỗi' : 'Error report', columns: [{ width: 7 }, { width: 7 }, { width: 22 }, { width: 22 }, { width: 18 }, { width: 26 }, { width: 70 }] }).toBuffer();
}
