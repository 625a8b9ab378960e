import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import writeXlsxFile from 'write-excel-file/node';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { schools } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { isStudentField, STUDENT_FIELDS } from '../../domain/identity/student-record.ts';
import { appendAudit } from '../../services/audit/append-audit.ts';
import { dataQualityBoard } from '../../services/students/data-quality.ts';
import { getStudentProfile, updateStudentProfile } from '../../services/students/student-profile.ts';
import { enrolStudent, leaveSchool, moveStudent } from '../../services/students/lifecycle.ts';
import { freezeClass, listRecordVersions, recordVersionPdf, recordVersionXml } from '../../services/records/freeze-class.ts';
import { currentActor, requireAuth, requireSchool } from '../authorize.ts';
import { langOf } from '../errors.ts';
import { uploadedFile } from '../upload.ts';
import { commitImport, createImport, getImport, importReportXlsx, setImportMapping } from '../../services/students/import-students.ts';
import { MAX_IMPORT_BYTES } from '../../services/import/read-table.ts';
import { loadReferenceExtract, reconciliationView, resolveDifference } from '../../services/students/reconciliation.ts';

const uuid = z.string().uuid();


export function studentRoutes(app: FastifyInstance, { database, publicUrl }: { database: Database; publicUrl: string }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = database.db;
  const ctx = (req: FastifyRequest) => ({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req) });

  r.get('/api/students/:id', { config: { access: 'school.read' }, schema: { tags: ['students'], params: z.object({ id: uuid }) } }, async (req) =>
    getStudentProfile({ ...ctx(req), studentId: req.params.id }),
  );

  r.put(
    '/api/students/:id',
    {
      config: { access: 'students.edit' },
      schema: {
        tags: ['students'],
        summary: "Edit a student's identity data (normalised, checked, audited)",
        params: z.object({ id: uuid }),
        body: z.strictObject({ values: z.record(z.string(), z.string().max(1000).nullable()), reason: z.string().max(1000).optional() }),
      },
    },
    async (req) => updateStudentProfile({ ...ctx(req), who: currentActor(req), studentId: req.params.id, values: req.body.values, reason: req.body.reason, lang: langOf(req) }),
  );

  r.post(
    '/api/students',
    {
      config: { access: 'students.enrol' },
      schema: {
        tags: ['students'],
        summary: 'Enrol a new student or one transferred in',
        body: z.strictObject({ classId: uuid, on: z.string().max(20), joinedAs: z.enum(['new', 'transfer_in']), note: z.string().max(1000).optional(), values: z.record(z.string(), z.string().max(1000).nullable()) }),
      },
    },
    async (req, reply) => reply.status(201).send(await enrolStudent({ ...ctx(req), who: currentActor(req), ...req.body, lang: langOf(req) })),
  );

  r.post(
    '/api/students/:id/move',
    { config: { access: 'students.enrol' }, schema: { tags: ['students'], params: z.object({ id: uuid }), body: z.strictObject({ toClassId: uuid, on: z.string().max(20), reason: z.string().min(3).max(1000) }) } },
    async (req) => {
      await moveStudent({ db, who: currentActor(req), schoolId: requireSchool(req), studentId: req.params.id, ...req.body, lang: langOf(req) });
      return getStudentProfile({ ...ctx(req), studentId: req.params.id });
    },
  );

  r.post(
    '/api/students/:id/leave',
    {
      config: { access: 'students.enrol' },
      schema: { tags: ['students'], params: z.object({ id: uuid }), body: z.strictObject({ kind: z.enum(['transferred_out', 'dropped_out', 'graduated']), on: z.string().max(20), reason: z.string().min(3).max(1000) }) },
    },
    async (req) => {
      await leaveSchool({ db, who: currentActor(req), schoolId: requireSchool(req), studentId: req.params.id, ...req.body, lang: langOf(req) });
      return getStudentProfile({ ...ctx(req), studentId: req.params.id });
    },
  );

  r.post(
    '/api/classes/:classId/student-imports',
    { config: { access: 'students.edit' }, schema: { tags: ['students'], summary: 'Upload a student list (XLSX/CSV, any encoding) and get its preview; nothing is written yet', params: z.object({ classId: uuid }) } },
    async (req, reply) => {
      const file = await uploadedFile(req, MAX_IMPORT_BYTES);
      return reply.status(201).send(await createImport({ ...ctx(req), who: currentActor(req), classId: req.params.classId, fileName: file.name, content: file.content, lang: langOf(req) }));
    },
  );
  r.get('/api/student-imports/:id', { config: { access: 'students.edit' }, schema: { tags: ['students'], params: z.object({ id: uuid }) } }, async (req) =>
    getImport({ ...ctx(req), importId: req.params.id, lang: langOf(req) }),
  );
  r.put(
    '/api/student-imports/:id/mapping',
    { config: { access: 'students.edit' }, schema: { tags: ['students'], params: z.object({ id: uuid }), body: z.strictObject({ mapping: z.record(z.string(), z.number().int().nullable()) }) } },
    async (req) => setImportMapping({ ...ctx(req), importId: req.params.id, mapping: req.body.mapping, lang: langOf(req) }),
  );
  r.post(
    '/api/student-imports/:id/commit',
    { config: { access: 'students.edit' }, schema: { tags: ['students'], params: z.object({ id: uuid }), body: z.strictObject({ mode: z.enum(['all', 'valid_only']) }) } },
    async (req) => commitImport({ ...ctx(req), who: currentActor(req), importId: req.params.id, mode: req.body.mode, lang: langOf(req) }),
  );
  r.get('/api/student-imports/:id/errors.xlsx', { config: { access: 'students.edit' }, schema: { tags: ['students'], params: z.object({ id: uuid }) } }, async (req, reply) => {
    const content = await importReportXlsx({ ...ctx(req), importId: req.params.id, lang: langOf(req) });
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', 'attachment; filename="import-errors.xlsx"').send(content);
  });

  r.post(
    '/api/reference-extracts',
    { config: { access: 'students.edit' }, schema: { tags: ['students'], summary: 'Load a reference extract (sector database or VNeID) to reconcile against', querystring: z.object({ source: z.enum(['csdl_nganh', 'vneid']) }) } },
    async (req, reply) => {
      const file = await uploadedFile(req, MAX_IMPORT_BYTES);
      return reply.status(201).send(await loadReferenceExtract({ ...ctx(req), who: currentActor(req), source: req.query.source, fileName: file.name, content: file.content, lang: langOf(req) }));
    },
  );
  r.get('/api/classes/:classId/reconciliation', { config: { access: 'classes.read' }, schema: { tags: ['students'], params: z.object({ classId: uuid }) } }, async (req) =>
    reconciliationView({ ...ctx(req), classId: req.params.classId }),
  );
  r.post(
    '/api/students/:id/reconcile',
    {
      config: { access: 'students.edit' },
      schema: {
        tags: ['students'],
        params: z.object({ id: uuid }),
        body: z.strictObject({ field: z.string().max(40), take: z.enum(['school', 'csdl_nganh', 'vneid', 'manual']), value: z.string().max(1000).nullable().optional(), reason: z.string().max(1000).optional() }),
      },
    },
    async (req, reply) => {
      await resolveDifference({ ...ctx(req), who: currentActor(req), studentId: req.params.id, ...req.body, lang: langOf(req) });
      return reply.status(204).send();
    },
  );

  r.post(
    '/api/classes/:classId/freeze',
    { config: { access: 'homeroom.manage' }, schema: { tags: ['records'], summary: "Freeze the class's records for the year (a report of who could not be frozen and why)", params: z.object({ classId: uuid }) } },
    async (req) => freezeClass({ ...ctx(req), who: currentActor(req), classId: req.params.classId }),
  );
  r.get('/api/students/:id/records', { config: { access: 'school.read' }, schema: { tags: ['records'], params: z.object({ id: uuid }) } }, async (req) => ({
    versions: await listRecordVersions({ ...ctx(req), studentId: req.params.id }),
  }));
  r.get('/api/record-versions/:id/xml', { config: { access: 'school.read' }, schema: { tags: ['records'], params: z.object({ id: uuid }) } }, async (req, reply) => {
    const v = await recordVersionXml({ ...ctx(req), versionId: req.params.id });
    return reply
      .header('content-type', 'application/xml; charset=utf-8')
      .header('content-disposition', `attachment; filename="hocba-v${v.version}.xml"`)
      .header('x-content-sha256', v.digest)
      .send(v.xml);
  });

  r.get('/api/record-versions/:id/pdf', { config: { access: 'school.read' }, schema: { tags: ['records'], summary: 'The record version as PDF/A-3 with its XML embedded', params: z.object({ id: uuid }) } }, async (req, reply) => {
    const v = await recordVersionPdf({ ...ctx(req), versionId: req.params.id, publicUrl });
    return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="hocba-v${v.version}.pdf"`).send(v.pdf);
  });

  r.get('/api/data-quality', { config: { access: 'classes.read' }, schema: { tags: ['students'], querystring: z.object({ classId: uuid.optional() }) } }, async (req) =>
    dataQualityBoard({ ...ctx(req), classId: req.query.classId }),
  );

  r.get('/api/data-quality.xlsx', { config: { access: 'classes.read' }, schema: { tags: ['students'], querystring: z.object({ classId: uuid.optional() }) } }, async (req, reply) => {
    const board = await dataQualityBoard({ ...ctx(req), classId: req.query.classId });
    const lang = langOf(req);
    const head = (lang === 'vi' ? ['Lớp', 'Học sinh', 'Trường dữ liệu', 'Mức độ', 'Vấn đề', 'Giá trị', 'Người phụ trách'] : ['Class', 'Student', 'Field', 'Severity', 'Problem', 'Value', 'Responsible']).map((value) => ({ value, fontWeight: 'bold' as const }));
    const rows = board.problems.map((p) => [
      p.className,
      p.studentName,
      p.field === 'parents' ? (lang === 'vi' ? 'Cha mẹ / người giám hộ' : 'Parents / guardian') : p.field === 'duplicate' ? (lang === 'vi' ? 'Trùng học sinh' : 'Possible duplicate') : STUDENT_FIELDS[p.field][lang],
      p.severity === 'blocking' ? (lang === 'vi' ? 'Chặn ký' : 'Blocks signing') : lang === 'vi' ? 'Cảnh báo' : 'Warning',
      p.message[lang],
      p.value ?? '',
      p.responsible ?? '',
    ].map((value) => ({ value })));
    const content = await writeXlsxFile([head, ...rows], { sheet: lang === 'vi' ? 'Chất lượng dữ liệu' : 'Data quality', columns: [{ width: 8 }, { width: 28 }, { width: 22 }, { width: 14 }, { width: 60 }, { width: 20 }, { width: 26 }] }).toBuffer();
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="data-quality.xlsx"`)
      .send(content);
  });

  r.get('/api/school/student-fields', { config: { access: 'school.read' }, schema: { tags: ['students'] } }, async (req) => {
    const [s] = await db.select({ f: schools.mandatoryStudentFields }).from(schools).where(eq(schools.id, requireSchool(req)));
    return { mandatory: s?.f ?? [], fields: STUDENT_FIELDS };
  });

  r.put(
    '/api/school/student-fields',
    { config: { access: 'school.configure' }, schema: { tags: ['students'], summary: 'Which identity fields every student must have', body: z.strictObject({ mandatory: z.array(z.string()).max(40) }) } },
    async (req) => {
      const bad = req.body.mandatory.filter((f) => !isStudentField(f));
      if (bad.length) throw new DomainError('validation', { summary: `mandatory: ${bad.join(', ')}` }, bad.map((f) => ({ path: 'mandatory', message: `Không có trường "${f}".` })));
      const schoolId = requireSchool(req);
      const mandatory = [...new Set(['fullName', 'gender', 'birthDate', ...req.body.mandatory])];
      await inSystem(db, async (tx) => {
        const [before] = await tx.select({ f: schools.mandatoryStudentFields }).from(schools).where(eq(schools.id, schoolId));
        await tx.update(schools).set({ mandatoryStudentFields: mandatory }).where(eq(schools.id, schoolId));
        await appendAudit(tx, { actor: currentActor(req), schoolId, action: 'school.student_fields_changed', targetType: 'school', targetId: schoolId, before: { mandatory: before?.f }, after: { mandatory } });
      });
      return { mandatory };
    },
  );
}
