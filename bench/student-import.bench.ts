/**
 * Student data cleaning at school size: validate and import a 1,512-student sector-database
 * export (every cell normalised and checked, matched against the school), then reconcile the
 * school against two reference extracts (sector database and VNeID). Fresh in-memory PGlite.
 */
import writeXlsxFile from 'write-excel-file/node';
import { openDatabase } from '../src/db/client.ts';
import { inSchool } from '../src/db/scope.ts';
import { classes, students } from '../src/db/schema.ts';
import { CSDL_NGANH_HEADERS } from '../src/domain/identity/import-columns.ts';
import { ETHNIC_GROUPS } from '../src/domain/identity/ethnicity.ts';
import { eq } from 'drizzle-orm';
import { loadDemoSchool } from '../src/services/demo/load-demo-school.ts';
import { generateDemoSchool } from '../src/services/demo/generate-demo-school.ts';
import { commitImport, createImport } from '../src/services/students/import-students.ts';
import { loadReferenceExtract, reconciliationView } from '../src/services/students/reconciliation.ts';
import { hasPermission } from '../src/domain/policies/permissions.ts';
import type { Figure } from './results.ts';

const dmy = (iso: string) => iso.split('-').reverse().join('/');

export async function run(): Promise<Figure[]> {
  const database = await openDatabase({ memory: true });
  try {
    // An empty school of 36 classes: the demo's classes without its students.
    const { schoolId } = await loadDemoSchool({ db: database.db, students: 0 });
    const demo = generateDemoSchool();
    const classRows = await inSchool(database.db, schoolId, (tx) => tx.select({ id: classes.id, name: classes.name }).from(classes));
    const classId = classRows.find((c) => c.name === '10A1')!.id;
    const ethnicity = new Map(ETHNIC_GROUPS.map((e) => [e.code, e.name]));
    const export_ = [
      [...CSDL_NGANH_HEADERS],
      ...demo.students.map((s, i) => {
        const row: string[] = CSDL_NGANH_HEADERS.map(() => '');
        const set = (h: (typeof CSDL_NGANH_HEADERS)[number], v: string | null) => (row[CSDL_NGANH_HEADERS.indexOf(h)] = v ?? '');
        set('STT', String(i + 1));
        set('Mã định danh Bộ GD&ĐT', s.studentCode);
        set('Họ tên', s.fullName);
        set('Ngày sinh', dmy(s.birthDate));
        set('Giới tính', s.gender === 'male' ? 'Nam' : 'Nữ');
        set('Dân tộc', ethnicity.get(s.ethnicityCode) ?? s.ethnicityCode);
        set('Nơi sinh chi tiết', s.birthPlace);
        set('Chỗ ở hiện nay', s.address);
        set('Tên cha', s.fatherName);
        set('Tên mẹ', s.motherName);
        set('Số định danh cá nhân', s.personalId);
        return row;
      }),
    ];
    const file = await writeXlsxFile(export_.map((r) => r.map((value) => ({ value }))), {}).toBuffer();
    const actor = { userId: '00000000-0000-4000-8000-000000000000', schoolId, roles: new Set(['school_admin'] as const), homeroomClassIds: new Set<string>(), classSubjectIds: new Set<string>(), taughtClassIds: new Set<string>(), studentIds: new Set<string>() };
    if (!hasPermission(actor.roles, 'students.edit_all')) throw new Error('bench actor lacks rights');
    const who = { userId: null, label: 'bench' };
    const rows = demo.students.length;

    let t0 = performance.now();
    const preview = await createImport({ db: database.db, actor, who, schoolId, classId, fileName: 'csdl.xlsx', content: file, lang: 'vi' });
    const previewMs = performance.now() - t0;
    t0 = performance.now();
    const result = await commitImport({ db: database.db, actor, who, schoolId, importId: preview.id, mode: 'all', lang: 'vi' });
    const commitMs = performance.now() - t0;
    console.log(`import ${rows} rows (XLSX, sector layout): read + validate + preview ${previewMs.toFixed(0)} ms (${Math.round(rows / (previewMs / 1000))} rows/s); commit ${commitMs.toFixed(0)} ms (${Math.round(rows / (commitMs / 1000))} rows/s); created ${result.created}, errors ${preview.summary.errors}`);

    t0 = performance.now();
    await loadReferenceExtract({ db: database.db, actor, who, schoolId, source: 'csdl_nganh', fileName: 'csdl.xlsx', content: file, lang: 'vi' });
    const vneid = Buffer.from(['Số định danh cá nhân,Họ và tên,Ngày sinh,Giới tính', ...demo.students.map((s) => `${s.personalId},${s.fullName},${dmy(s.birthDate)},${s.gender === 'male' ? 'Nam' : 'Nữ'}`)].join('\n'));
    await loadReferenceExtract({ db: database.db, actor, who, schoolId, source: 'vneid', fileName: 'vneid.csv', content: vneid, lang: 'vi' });
    const loadMs = performance.now() - t0;
    t0 = performance.now();
    const v = await reconciliationView({ db: database.db, actor, schoolId, classId });
    const recMs = performance.now() - t0;
    const reconciled = v.students.filter((s) => s.reconciled).length;
    console.log(`reconcile ${v.students.length} students against 2 extracts (${rows} rows each): load extracts ${loadMs.toFixed(0)} ms (${Math.round((2 * rows) / (loadMs / 1000))} rows/s); compare ${recMs.toFixed(0)} ms (${Math.round(v.students.length / (recMs / 1000))} students/s); reconciled ${reconciled}`);
    const scale = `${rows.toLocaleString('en')} rows (demo school), PGlite in memory`;
    const figures: Figure[] = [
      { name: 'XLSX import: read + validate + preview', value: rows / (previewMs / 1000), unit: 'rows/s', scale },
      { name: 'import commit', value: rows / (commitMs / 1000), unit: 'rows/s', scale },
      { name: 'reconciliation compare', value: v.students.length / (recMs / 1000), unit: 'students/s', scale: `${v.students.length} students × 2 extracts` },
    ];
    const n = await inSchool(database.db, schoolId, (tx) => tx.select({ id: students.id }).from(students).where(eq(students.schoolId, schoolId)));
    console.log(`students in the school after import: ${n.length}; heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`);
    return figures;
  } finally {
    await database.close();
  }
}
