/**
 * Transfers between schools over HTTP (issue 9 point 5, docs/transfer.md). Sending school:
 * export a package (password unlocks the seal), list and download packages, upload the
 * receiving school's acknowledgment. Receiving school: import a package (multipart: fields
 * classId and password, then the file), list imports, download the signed acknowledgment.
 * A student's records from other schools (read-only) and their PDF / XML.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { DomainError } from '../../domain/errors.ts';
import { signingEnvFor, type SigningEnv } from '../../services/signing/signing-env.ts';
import { acknowledgeTransfer } from '../../services/transfer/acknowledge-transfer.ts';
import { exportTransferPackage, listTransfersOut, transferPackageBytes } from '../../services/transfer/export-transfer.ts';
import { externalRecordFile, externalRecordsOf, importTransferPackage, listTransfersIn, transferAckXml } from '../../services/transfer/import-transfer.ts';
import { MAX_MANIFEST_BYTES } from '../../services/transfer/manifest.ts';
import { MAX_PACKAGE_BYTES } from '../../services/transfer/package-zip.ts';
import { currentActor, requireAuth, requireSchool } from '../authorize.ts';
import { langOf } from '../errors.ts';

const uuid = z.string().uuid();
const disposition = (kind: 'inline' | 'attachment', name: string) => `${kind}; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** The file of a multipart request plus the text fields sent before it. */
async function multipartWithFields(req: FastifyRequest, maxBytes: number): Promise<{ content: Buffer; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw new DomainError('unsupported_media_type');
  const part = await req.file({ limits: { fileSize: maxBytes, files: 1, fields: 5 } });
  if (!part) throw new DomainError('file.invalid', { reason: 'không có tệp / no file (field "file")' });
  const content = await part.toBuffer();
  if (part.file.truncated) throw new DomainError('payload_too_large');
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(part.fields)) {
    const f = Array.isArray(v) ? v[0] : v;
    if (f && f.type === 'field' && typeof f.value === 'string') fields[k] = f.value;
  }
  return { content, fields };
}

export function transferRoutes(app: FastifyInstance, opts: { database: Database; publicUrl: string; dataDir: string | null }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = opts.database.db;
  let env: Promise<SigningEnv> | null = null;
  const signingEnv = () => (env ??= signingEnvFor({ dataDir: opts.dataDir, publicUrl: opts.publicUrl }));
  const tags = ['transfers'];
  const send = (reply: FastifyReply, type: string, name: string, body: Buffer) => reply.header('cache-control', 'no-store').header('content-disposition', disposition('attachment', name)).type(type).send(body);

  r.post(
    '/api/transfers/out',
    { config: { access: 'transfers.export', rateLimit: { max: 20, timeWindow: 60_000 } }, schema: { tags, summary: "Export a student's transfer package (sealed records + manifest signed with the school seal); the account password unlocks the seal", body: z.object({ studentId: uuid, destination: z.string().min(2).max(300), reason: z.string().min(2).max(1000), password: z.string().min(1).max(200) }) } },
    async (req) => ({
      transfer: await exportTransferPackage({ db, actor: requireAuth(req).actor, who: currentActor(req), schoolId: requireSchool(req), studentId: req.body.studentId, destination: req.body.destination, reason: req.body.reason, password: req.body.password, env: await signingEnv() }),
    }),
  );
  r.get('/api/transfers/out', { config: { access: 'transfers.export' }, schema: { tags, summary: 'Transfer packages exported by this school, newest first', querystring: z.object({ studentId: uuid.optional() }) } }, async (req) => ({
    transfers: await listTransfersOut({ db, schoolId: requireSchool(req), ...(req.query.studentId ? { studentId: req.query.studentId } : {}) }),
  }));
  r.get('/api/transfers/out/:id/package', { config: { access: 'transfers.export' }, schema: { tags, summary: 'Download an exported transfer package (ZIP)', params: z.object({ id: uuid }) } }, async (req, reply) => {
    const p = await transferPackageBytes({ db, schoolId: requireSchool(req), id: req.params.id });
    return send(reply.header('x-content-sha256', p.sha256), 'application/zip', p.fileName, p.bytes);
  });
  r.post('/api/transfers/out/acknowledgment', { config: { access: 'transfers.export' }, schema: { tags, summary: "Upload the receiving school's signed acknowledgment (multipart field \"file\"): verified, the package marked acknowledged, the student transferred out" } }, async (req) => {
    const { content } = await multipartWithFields(req, MAX_MANIFEST_BYTES);
    return { transfer: await acknowledgeTransfer({ db, who: currentActor(req), schoolId: requireSchool(req), content, env: await signingEnv() }) };
  });

  r.post('/api/transfers/in', { config: { access: 'transfers.import', rateLimit: { max: 20, timeWindow: 60_000 } }, schema: { tags, summary: 'Import a transfer package (multipart: fields classId and password, then field "file"): all signatures verified, records attached read-only, the student enrolled, acknowledgment signed' } }, async (req) => {
    const { content, fields } = await multipartWithFields(req, MAX_PACKAGE_BYTES);
    const parsed = z.object({ classId: uuid, password: z.string().min(1).max(200) }).safeParse(fields);
    if (!parsed.success) throw new DomainError('validation', { summary: parsed.error.issues.map((i) => i.path.join('.')).join(', ') }, parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    return { transfer: await importTransferPackage({ db, actor: requireAuth(req).actor, who: currentActor(req), schoolId: requireSchool(req), content, classId: parsed.data.classId, password: parsed.data.password, env: await signingEnv(), lang: langOf(req) }) };
  });
  r.get('/api/transfers/in', { config: { access: 'transfers.import' }, schema: { tags, summary: 'Transfer packages imported by this school, newest first' } }, async (req) => ({ transfers: await listTransfersIn({ db, schoolId: requireSchool(req) }) }));
  r.get('/api/transfers/in/:id/acknowledgment', { config: { access: 'transfers.import' }, schema: { tags, summary: 'Download the signed acknowledgment of an imported package (XML), for the sending school', params: z.object({ id: uuid }) } }, async (req, reply) => {
    const a = await transferAckXml({ db, schoolId: requireSchool(req), transferId: req.params.id });
    return send(reply, 'application/xml', a.fileName, Buffer.from(a.xml, 'utf8'));
  });

  r.get('/api/students/:studentId/external-records', { config: { access: 'classes.read_all' }, schema: { tags, summary: "A student's records from other schools (read-only, verified at import)", params: z.object({ studentId: uuid }) } }, async (req) => ({
    records: await externalRecordsOf({ db, schoolId: requireSchool(req), studentId: req.params.studentId }),
  }));
  r.get('/api/external-records/:id/:kind', { config: { access: 'classes.read_all' }, schema: { tags, summary: 'Download a record from another school as received (PDF or XML)', params: z.object({ id: uuid, kind: z.enum(['pdf', 'xml']) }) } }, async (req, reply) => {
    const f = await externalRecordFile({ db, schoolId: requireSchool(req), id: req.params.id, kind: req.params.kind });
    return send(reply, f.contentType, f.fileName, f.bytes);
  });
}
