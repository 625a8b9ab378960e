/**
 * Student / parent access and issued copies (issue 9 point 4): "Học bạ của em" (own sealed
 * versions, PDF in the app, PDF and XML downloads), share links (create, list, revoke; open
 * without signing in, rate-limited), staff prints with a reason, the principal's issued-copy
 * log (filters, CSV / XLSX), and the class's student / parent accounts with their first-
 * password sheet (PDF or CSV).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { schools } from '../../db/schema.ts';
import { accountSheetCsv, accountSheetPdf } from '../../services/access/account-sheet.ts';
import { issueFamilyAccounts, linkParentToStudent, listFamilyAccounts } from '../../services/access/family-accounts.ts';
import { COPY_CHANNELS, listIssuedCopies } from '../../services/access/issued-copies.ts';
import { issuedCopiesCsv, issuedCopiesXlsx } from '../../services/access/issued-copies-export.ts';
import { listMyRecords, ownRecordCopy } from '../../services/access/my-records.ts';
import { createShareLink, listShareLinks, MAX_SHARE_DAYS, openShareLink, revokeShareLink, shareLinkFile } from '../../services/access/share-links.ts';
import { noteStaffCopy, REASON_MAX, REASON_MIN } from '../../services/access/staff-copies.ts';
import { sealedRecordPdf } from '../../services/signing/record-signing.ts';
import { currentActor, requireAuth, requireSchool } from '../authorize.ts';
import { langOf } from '../errors.ts';

const uuid = z.string().uuid();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const tags = ['access'];
/** The public share routes: enough for a person clicking around, not for guessing tokens. */
const PUBLIC_RATE = { max: 60, timeWindow: 60_000 };

/** `filename*` (RFC 6266/5987) keeps a non-ASCII name; `filename` is the ASCII fallback. */
function disposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function sendCopy(reply: FastifyReply, file: { body: Buffer | string; fileName: string; sha256: string | null }, format: 'pdf' | 'xml', kind: 'inline' | 'attachment') {
  reply
    .header('content-type', format === 'pdf' ? 'application/pdf' : 'application/xml; charset=utf-8')
    .header('content-disposition', disposition(format === 'xml' ? 'attachment' : kind, file.fileName))
    .header('cache-control', 'private, no-store')
    .header('referrer-policy', 'no-referrer');
  if (file.sha256) reply.header('x-content-sha256', file.sha256);
  if (format === 'pdf' && kind === 'inline') {
    // Shown in the app's <iframe>: this response alone may be framed, and by this site only.
    reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'self'").header('x-frame-options', 'SAMEORIGIN');
  }
  return reply.send(file.body);
}

export function accessRoutes(app: FastifyInstance, opts: { database: Database; publicUrl: string }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = opts.database.db;
  const ctx = (req: FastifyRequest) => ({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req) });
  const reason = z.string().min(REASON_MIN).max(REASON_MAX);

  // ── the family ──
  r.get('/api/my/records', { config: { access: 'own_record.read' }, schema: { tags, summary: "One's own (a parent: each linked child's) sealed record versions per school year" } }, async (req) => listMyRecords(ctx(req)));

  r.get(
    '/api/my/record-versions/:versionId/:format',
    {
      config: { access: 'own_record.read' },
      schema: {
        tags,
        summary: 'The official copy of one of one’s own sealed versions: the sealed PDF (inline in the app, or a download) or the signed XML; downloads are logged',
        params: z.object({ versionId: uuid, format: z.enum(['pdf', 'xml']) }),
        querystring: z.object({ download: z.enum(['0', '1']).optional(), purpose: z.string().max(REASON_MAX).optional() }),
      },
    },
    async (req, reply) => {
      const kind = req.query.download === '1' ? 'attachment' : 'inline';
      const file = await ownRecordCopy({ ...ctx(req), who: currentActor(req), versionId: req.params.versionId, format: req.params.format, disposition: kind, purpose: req.query.purpose ?? null });
      return sendCopy(reply, file, req.params.format, kind);
    },
  );

  // ── share links (the family, or staff who may issue copies) ──
  r.get(
    '/api/record-versions/:versionId/share-links',
    { config: { access: 'school.read' }, schema: { tags, summary: "A version's share links (its student / parent, or staff who may issue copies)", params: z.object({ versionId: uuid }) } },
    async (req) => ({ links: await listShareLinks({ ...ctx(req), versionId: req.params.versionId }) }),
  );
  r.post(
    '/api/record-versions/:versionId/share-links',
    {
      config: { access: 'school.read', rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: `Create a share link to a sealed version, valid 1–${MAX_SHARE_DAYS} days; the URL (with its token) is returned once`,
        params: z.object({ versionId: uuid }),
        body: z.strictObject({ expiresInDays: z.number().int().min(1).max(MAX_SHARE_DAYS), purpose: z.string().max(REASON_MAX).optional() }),
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createShareLink({ ...ctx(req), who: currentActor(req), versionId: req.params.versionId, expiresInDays: req.body.expiresInDays, purpose: req.body.purpose ?? null, publicUrl: opts.publicUrl })),
  );
  r.post(
    '/api/share-links/:id/revoke',
    { config: { access: 'school.read' }, schema: { tags, summary: 'Revoke a share link (its creator, the student / parent, staff who may issue copies)', params: z.object({ id: uuid }) } },
    async (req) => revokeShareLink({ ...ctx(req), who: currentActor(req), linkId: req.params.id }),
  );

  // ── opening a share link: no sign-in ──
  const token = z.object({ token: z.string().min(1).max(100) });
  r.get('/api/share/:token', { config: { access: 'public', rateLimit: PUBLIC_RATE }, schema: { tags, summary: 'What a share link shows (no sign-in): school, student, year, version, status, expiry', params: token } }, async (req, reply) => {
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    return openShareLink({ db, token: req.params.token });
  });
  r.get(
    '/api/share/:token/:format',
    {
      config: { access: 'public', rateLimit: PUBLIC_RATE },
      schema: { tags, summary: 'The shared version’s sealed PDF (inline or download) or signed XML (no sign-in; each one logged)', params: token.extend({ format: z.enum(['pdf', 'xml']) }), querystring: z.object({ download: z.enum(['0', '1']).optional() }) },
    },
    async (req, reply) => {
      const file = await shareLinkFile({ db, token: req.params.token, format: req.params.format });
      return sendCopy(reply, file, req.params.format, req.query.download === '1' ? 'attachment' : 'inline');
    },
  );

  // ── staff: print a sealed copy (with a reason), the issued-copy log ──
  r.get(
    '/api/record-versions/:versionId/print.pdf',
    { config: { access: 'records.issue_copy' }, schema: { tags, summary: 'The sealed PDF to print, shown inline; the print and its reason are logged', params: z.object({ versionId: uuid }), querystring: z.object({ reason }) } },
    async (req, reply) => {
      const c = ctx(req);
      const p = await sealedRecordPdf({ ...c, versionId: req.params.versionId });
      await noteStaffCopy({ ...c, who: currentActor(req), versionId: req.params.versionId, channel: 'print', reason: req.query.reason });
      return sendCopy(reply, { body: p.pdf, fileName: `hocba-v${p.version}-sealed.pdf`, sha256: p.sha256 }, 'pdf', 'inline');
    },
  );

  const logQuery = z.object({
    classId: uuid.optional(),
    studentId: uuid.optional(),
    from: day.optional(),
    to: day.optional(),
    channel: z.enum(COPY_CHANNELS).optional(),
    needsReissue: z.enum(['0', '1']).optional(),
  });
  type LogQuery = z.infer<typeof logQuery>;
  const filter = (q: LogQuery) => ({ ...q, needsReissue: q.needsReissue === '1' });
  r.get('/api/issued-copies', { config: { access: 'issued_copies.read' }, schema: { tags, summary: 'The issued-copy log, newest first, with "needs re-issue" flags for superseded versions', querystring: logQuery } }, async (req) =>
    listIssuedCopies({ ...ctx(req), filter: filter(req.query) }),
  );
  r.get('/api/issued-copies/export', { config: { access: 'issued_copies.read' }, schema: { tags, summary: 'The issued-copy log as CSV or XLSX (same filters)', querystring: logQuery.extend({ format: z.enum(['csv', 'xlsx']) }) } }, async (req, reply) => {
    const { format, ...q } = req.query;
    const { rows } = await listIssuedCopies({ ...ctx(req), filter: filter(q) });
    const lang = langOf(req);
    const body = format === 'csv' ? issuedCopiesCsv(rows, lang) : await issuedCopiesXlsx(rows, lang);
    return reply
      .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', disposition('attachment', `so-cap-ban-sao.${format}`))
      .header('cache-control', 'private, no-store')
      .send(body);
  });

  // ── student / parent accounts of a class ──
  r.get(
    '/api/classes/:classId/family-accounts',
    { config: { access: 'access.issue_accounts' }, schema: { tags, summary: "The class's students with their student / parent accounts (school admin, the class's GVCN)", params: z.object({ classId: uuid }) } },
    async (req) => listFamilyAccounts({ ...ctx(req), classId: req.params.classId }),
  );
  r.post(
    '/api/classes/:classId/family-accounts',
    {
      config: { access: 'access.issue_accounts', rateLimit: { max: 20, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Issue the missing student or parent accounts of a class; answers the first-password sheet (PDF or CSV) — the passwords are not kept — or JSON',
        params: z.object({ classId: uuid }),
        body: z.strictObject({ kind: z.enum(['student', 'parent']), format: z.enum(['pdf', 'csv', 'json']) }),
      },
    },
    async (req, reply) => {
      const c = ctx(req);
      const report = await issueFamilyAccounts({ ...c, who: currentActor(req), classId: req.params.classId, kind: req.body.kind });
      reply.header('cache-control', 'no-store').header('x-accounts-issued', String(report.issued.length)).header('x-accounts-skipped', String(report.skipped.length));
      const base = `tai-khoan-${req.body.kind === 'student' ? 'hoc-sinh' : 'phu-huynh'}-${report.className}`;
      if (req.body.format === 'json') return report;
      if (req.body.format === 'csv') return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', disposition('attachment', `${base}.csv`)).send(accountSheetCsv(report));
      const [school] = await db.select({ name: schools.name }).from(schools).where(eq(schools.id, c.schoolId));
      const pdf = await accountSheetPdf(report, { schoolName: school?.name ?? '', signInUrl: opts.publicUrl });
      return reply.header('content-type', 'application/pdf').header('content-disposition', disposition('attachment', `${base}.pdf`)).send(pdf);
    },
  );
  r.post(
    '/api/family-accounts/link-parent',
    { config: { access: 'access.issue_accounts' }, schema: { tags, summary: "Link an existing parent account to one more child (siblings); school admin or the child's GVCN", body: z.strictObject({ username: z.string().min(3).max(40), studentId: uuid }) } },
    async (req, reply) => {
      await linkParentToStudent({ ...ctx(req), who: currentActor(req), username: req.body.username, studentId: req.body.studentId });
      return reply.status(204).send();
    },
  );
}
