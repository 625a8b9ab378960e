import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { DomainError } from '../../domain/errors.ts';
import { getAttendanceDay, saveAttendanceDay } from '../../services/attendance/attendance.ts';
import { listExemptions, removeExemption, setExemption } from '../../services/exemptions/exemptions.ts';
import { answerCrossCheck, assignCrossChecks, listCrossChecks, reviewCrossCheck } from '../../services/crosscheck/cross-checks.ts';
import { readFile, storeFile } from '../../services/files/store-file.ts';
import { createChangeRequest, decideChangeRequest, listChangeRequests } from '../../services/grades/change-requests.ts';
import { exportSheetXlsx, importSheetXlsx } from '../../services/grades/exchange-sheet.ts';
import { getGradeSheet } from '../../services/grades/get-grade-sheet.ts';
import { myClassSubjects } from '../../services/grades/my-class-subjects.ts';
import { saveCells } from '../../services/grades/save-cells.ts';
import { sheetHistory } from '../../services/grades/sheet-history.ts';
import { submitSheet } from '../../services/grades/submit-sheet.ts';
import { getHomeroomView } from '../../services/homeroom/get-homeroom-view.ts';
import { updateHomeroomStudent } from '../../services/homeroom/update-homeroom-student.ts';
import { listSubjects, updateSubject } from '../../services/subjects/subjects.ts';
import { currentActor, requireAuth, requireSchool } from '../authorize.ts';
import { langOf } from '../errors.ts';
import { uploadedFile } from '../upload.ts';

const uuid = z.string().uuid();
const semester = z.coerce.number().int().min(1).max(2).transform((n) => n as 1 | 2);
const field = z.enum(['regular', 'midterm', 'final', 'comment']);


export function gradeRoutes(app: FastifyInstance, { database }: { database: Database }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = database.db;
  const ctx = (req: FastifyRequest) => ({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req) });

  r.get('/api/my/class-subjects', { config: { access: 'grades.enter' }, schema: { tags: ['grades'] } }, async (req) => ({ classSubjects: await myClassSubjects(ctx(req)) }));

  r.get(
    '/api/grade-sheets/:classSubjectId/:semester',
    { config: { access: 'grades.read' }, schema: { tags: ['grades'], params: z.object({ classSubjectId: uuid, semester }) } },
    async (req) => getGradeSheet({ ...ctx(req), classSubjectId: req.params.classSubjectId, semester: req.params.semester }),
  );

  r.put(
    '/api/grade-sheets/:sheetId/cells',
    {
      config: { access: 'grades.enter' },
      bodyLimit: 512 * 1024,
      schema: {
        tags: ['grades'],
        summary: 'Save cells, all or nothing, with last-writer detection',
        params: z.object({ sheetId: uuid }),
        body: z.object({
          cells: z
            .array(z.object({ studentId: uuid, field, index: z.number().int().min(0).max(20).optional(), value: z.string().max(2000).nullable(), expected: z.string().max(2000).nullable().optional() }))
            .min(1)
            .max(5000),
        }),
      },
    },
    async (req) => saveCells({ ...ctx(req), who: currentActor(req), sheetId: req.params.sheetId, cells: req.body.cells, lang: langOf(req) }),
  );

  r.post('/api/grade-sheets/:sheetId/submit', { config: { access: 'grades.enter' }, schema: { tags: ['grades'], params: z.object({ sheetId: uuid }) } }, async (req) =>
    submitSheet({ ...ctx(req), who: currentActor(req), sheetId: req.params.sheetId }),
  );

  r.get('/api/grade-sheets/:sheetId/history', { config: { access: 'grades.read' }, schema: { tags: ['grades'], params: z.object({ sheetId: uuid }) } }, async (req) => ({
    entries: await sheetHistory({ ...ctx(req), sheetId: req.params.sheetId }),
  }));

  r.get('/api/grade-sheets/:sheetId/export.xlsx', { config: { access: 'grades.read' }, schema: { tags: ['grades'], params: z.object({ sheetId: uuid }) } }, async (req, reply) => {
    const { fileName, content } = await exportSheetXlsx({ ...ctx(req), sheetId: req.params.sheetId });
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="sheet.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`)
      .send(content);
  });

  r.post('/api/grade-sheets/:sheetId/import', { config: { access: 'grades.enter' }, schema: { tags: ['grades'], summary: 'Import an XLSX sheet (all or nothing)', params: z.object({ sheetId: uuid }) } }, async (req) => {
    const file = await uploadedFile(req);
    return importSheetXlsx({ ...ctx(req), who: currentActor(req), sheetId: req.params.sheetId, content: file.content, lang: langOf(req) });
  });

  r.post(
    '/api/grade-sheets/:sheetId/change-requests',
    {
      config: { access: 'grades.enter' },
      schema: {
        tags: ['grades'],
        params: z.object({ sheetId: uuid }),
        body: z.object({
          kind: z.enum(['values', 'unlock']),
          reason: z.string().min(1).max(2000),
          cells: z.array(z.object({ studentId: uuid, field, index: z.number().int().min(0).max(20).optional(), value: z.string().max(2000).nullable() })).max(2000).optional(),
          attachmentId: uuid.optional(),
        }),
      },
    },
    async (req, reply) => reply.status(201).send(await createChangeRequest({ ...ctx(req), who: currentActor(req), sheetId: req.params.sheetId, ...req.body, lang: langOf(req) })),
  );

  r.get(
    '/api/change-requests',
    { config: { access: 'grades.read' }, schema: { tags: ['grades'], querystring: z.object({ status: z.enum(['pending', 'approved', 'rejected', 'all']).default('pending') }) } },
    async (req) => ({ requests: await listChangeRequests({ ...ctx(req), status: req.query.status }) }),
  );

  r.post(
    '/api/change-requests/:id/decision',
    { config: { access: 'changes.decide' }, schema: { tags: ['grades'], params: z.object({ id: uuid }), body: z.object({ approve: z.boolean(), note: z.string().max(2000).optional() }) } },
    async (req) => decideChangeRequest({ ...ctx(req), who: currentActor(req), requestId: req.params.id, approve: req.body.approve, note: req.body.note }),
  );

  r.post('/api/uploads', { config: { access: 'files.upload' }, schema: { tags: ['files'], summary: 'Upload a PDF, PNG or JPEG (≤ 5 MB), multipart field "file"' } }, async (req, reply) => {
    const file = await uploadedFile(req);
    return reply.status(201).send(await storeFile({ db, who: currentActor(req), schoolId: requireSchool(req), ...file }));
  });

  r.get('/api/files/:id', { config: { access: 'grades.read' }, schema: { tags: ['files'], params: z.object({ id: uuid }) } }, async (req, reply) => {
    const f = await readFile({ ...ctx(req), fileId: req.params.id });
    return reply
      .header('content-type', f.mime)
      .header('content-disposition', `attachment; filename="file"; filename*=UTF-8''${encodeURIComponent(f.name)}`)
      .header('x-content-type-options', 'nosniff')
      .send(f.content);
  });

  r.get('/api/classes/:classId/homeroom', { config: { access: 'classes.read' }, schema: { tags: ['homeroom'], params: z.object({ classId: uuid }) } }, async (req) =>
    getHomeroomView({ ...ctx(req), classId: req.params.classId }),
  );

  r.put(
    '/api/classes/:classId/homeroom/students/:studentId',
    {
      config: { access: 'homeroom.manage' },
      schema: {
        tags: ['homeroom'],
        params: z.object({ classId: uuid, studentId: uuid }),
        body: z.strictObject({
          semester: z.union([z.literal(1), z.literal(2)]).optional(),
          conduct: z.enum(['tot', 'kha', 'dat', 'chua_dat']).nullable().optional(),
          comment: z.string().max(1000).nullable().optional(),
        }),
      },
    },
    async (req, reply) => {
      await updateHomeroomStudent({ ...ctx(req), who: currentActor(req), classId: req.params.classId, studentId: req.params.studentId, update: req.body });
      return reply.status(204).send();
    },
  );

  r.get(
    '/api/classes/:classId/attendance',
    { config: { access: 'classes.read' }, schema: { tags: ['homeroom'], params: z.object({ classId: uuid }), querystring: z.object({ date: z.iso.date() }) } },
    async (req) => getAttendanceDay({ ...ctx(req), classId: req.params.classId, date: req.query.date }),
  );
  r.put(
    '/api/classes/:classId/attendance',
    {
      config: { access: 'homeroom.manage' },
      schema: {
        tags: ['homeroom'],
        summary: "Save one day's attendance register (all or nothing)",
        params: z.object({ classId: uuid }),
        body: z.strictObject({
          date: z.iso.date(),
          entries: z.array(z.strictObject({ studentId: uuid, session: z.union([z.literal(1), z.literal(2)]), status: z.enum(['present', 'excused', 'unexcused']) })).max(400),
        }),
      },
    },
    async (req, reply) => {
      await saveAttendanceDay({ ...ctx(req), who: currentActor(req), classId: req.params.classId, date: req.body.date, entries: req.body.entries });
      return reply.status(204).send();
    },
  );

  r.get('/api/classes/:classId/exemptions', { config: { access: 'classes.read' }, schema: { tags: ['homeroom'], params: z.object({ classId: uuid }) } }, async (req) => ({
    exemptions: await listExemptions({ ...ctx(req), classId: req.params.classId }),
  }));
  r.post(
    '/api/exemptions',
    {
      config: { access: 'exemptions.manage' },
      schema: {
        tags: ['homeroom'],
        body: z.strictObject({
          studentId: uuid,
          classSubjectId: uuid,
          kind: z.enum(['whole_subject', 'practical_part']),
          semesters: z.array(z.union([z.literal(1), z.literal(2)])).min(1).max(2),
          reason: z.string().min(1).max(1000),
        }),
      },
    },
    async (req, reply) => reply.status(201).send(await setExemption({ ...ctx(req), who: currentActor(req), ...req.body })),
  );
  r.delete('/api/exemptions/:id', { config: { access: 'exemptions.manage' }, schema: { tags: ['homeroom'], params: z.object({ id: uuid }) } }, async (req, reply) => {
    await removeExemption({ ...ctx(req), who: currentActor(req), id: req.params.id });
    return reply.status(204).send();
  });

  r.get('/api/cross-checks', { config: { access: 'grades.read' }, schema: { tags: ['cross-check'], querystring: z.object({ semester: semester.optional() }) } }, async (req) =>
    listCrossChecks({ ...ctx(req), semester: req.query.semester }),
  );
  r.post('/api/cross-checks/assign', { config: { access: 'crosscheck.assign' }, schema: { tags: ['cross-check'], body: z.object({ semester: z.union([z.literal(1), z.literal(2)]) }) } }, async (req) =>
    assignCrossChecks({ ...ctx(req), who: currentActor(req), semester: req.body.semester }),
  );
  r.post(
    '/api/cross-checks/:id/review',
    { config: { access: 'crosscheck.review' }, schema: { tags: ['cross-check'], params: z.object({ id: uuid }), body: z.object({ status: z.enum(['checked', 'issue_found']), note: z.string().max(2000).optional() }) } },
    async (req) => reviewCrossCheck({ ...ctx(req), who: currentActor(req), id: req.params.id, ...req.body }),
  );
  r.post(
    '/api/cross-checks/:id/answer',
    { config: { access: 'grades.enter' }, schema: { tags: ['cross-check'], params: z.object({ id: uuid }), body: z.object({ answer: z.string().min(1).max(2000) }) } },
    async (req) => answerCrossCheck({ ...ctx(req), who: currentActor(req), id: req.params.id, answer: req.body.answer }),
  );

  r.get('/api/subjects', { config: { access: 'school.read' }, schema: { tags: ['subjects'] } }, async (req) => ({ subjects: await listSubjects({ db, schoolId: requireSchool(req) }) }));
  r.put(
    '/api/subjects/:id',
    {
      config: { access: 'subjects.manage' },
      schema: {
        tags: ['subjects'],
        params: z.object({ id: uuid }),
        body: z.object({
          name: z.string().min(1).max(200).optional(),
          nameEn: z.string().max(200).nullable().optional(),
          kind: z.enum(['compulsory', 'elective']).optional(),
          assessment: z.enum(['score', 'comment']).optional(),
          periodsPerYear: z.number().int().min(1).max(400).optional(),
          ministryCode: z.string().max(20).nullable().optional(),
          sortOrder: z.number().int().min(0).max(999).optional(),
        }),
      },
    },
    async (req) => updateSubject({ db, who: currentActor(req), schoolId: requireSchool(req), subjectId: req.params.id, patch: req.body }),
  );
}
