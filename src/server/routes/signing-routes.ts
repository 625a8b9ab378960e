/**
 * The signing workflow over HTTP (issue 7): prepare a batch for one's step, read it (items,
 * per-record results, progress), complete items with signature values (local agent, remote
 * service), sign with a server-held key (password as PIN), the "to sign" list, a version's
 * signatures, its sealed PDF, and returning a record. Every batch is bound to its creator.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { SIGNING_STEPS } from '../../domain/record/signing-order.ts';
import { completeSigningItems, getSigningBatch, listSigningBatches } from '../../services/signing/complete-batch.ts';
import { prepareSigningBatch } from '../../services/signing/prepare-batch.ts';
import { currentRecordXml, listRecordSignatures, myToSign, returnRecord, sealedRecordPdf } from '../../services/signing/record-signing.ts';
import { signBatchRemotely } from '../../services/signing/remote-signing.ts';
import { signBatchWithServerKey } from '../../services/signing/server-key.ts';
import { signingEnvFor, type SigningEnv } from '../../services/signing/signing-env.ts';
import { noteStaffCopy } from '../../services/access/staff-copies.ts';
import { currentActor, requireAuth, requireSchool } from '../authorize.ts';
import { langOf } from '../errors.ts';

const uuid = z.string().uuid();
const target = z.union([
  z.object({ versionIds: z.array(uuid).min(1).max(5000) }),
  z.object({ classId: uuid }),
  z.object({ grade: z.number().int().min(6).max(12) }),
  z.object({ school: z.literal(true) }),
]);

export function signingRoutes(app: FastifyInstance, opts: { database: Database; publicUrl: string; dataDir: string | null }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = opts.database.db;
  let env: Promise<SigningEnv> | null = null;
  const signingEnv = () => (env ??= signingEnvFor({ dataDir: opts.dataDir, publicUrl: opts.publicUrl }));
  const tags = ['signing'];
  const access = 'records.sign' as const;

  r.post('/api/signing/batches', { config: { access }, schema: { tags, summary: 'Prepare a signing batch for one step over some records, a class, a grade or the school', body: z.object({ step: z.enum(SIGNING_STEPS), target, certificateId: uuid.optional() }) } }, async (req) =>
    prepareSigningBatch({ db, actor: requireAuth(req).actor, who: currentActor(req), schoolId: requireSchool(req), step: req.body.step, target: req.body.target, ...(req.body.certificateId ? { certificateId: req.body.certificateId } : {}), env: await signingEnv() }),
  );
  r.get('/api/signing/batches', { config: { access }, schema: { tags, summary: "One's recent signing batches with progress" } }, async (req) => ({
    batches: await listSigningBatches({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req) }),
  }));
  r.get('/api/signing/batches/:batchId', { config: { access }, schema: { tags, summary: 'A batch: items, per-record results, progress (creator only)', params: z.object({ batchId: uuid }) } }, async (req) =>
    getSigningBatch({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req), batchId: req.params.batchId, lang: langOf(req) }),
  );
  r.post(
    '/api/signing/batches/:batchId/complete',
    { config: { access }, schema: { tags, summary: 'Complete items with signature values (base64); each item in its own transaction', params: z.object({ batchId: uuid }), body: z.object({ values: z.array(z.object({ itemId: uuid, signatureValue: z.string().min(1).max(4096) })).min(1).max(500) }) } },
    async (req) => completeSigningItems({ db, actor: requireAuth(req).actor, who: currentActor(req), schoolId: requireSchool(req), batchId: req.params.batchId, values: req.body.values, env: await signingEnv(), lang: langOf(req) }),
  );
  r.post(
    '/api/signing/batches/:batchId/sign-with-server-key',
    { config: { access, rateLimit: { max: 120, timeWindow: 60_000 } }, schema: { tags, summary: 'Sign the waiting items (all, or the first `max`: the browser sends a long batch in short requests) with the server-held key (demo keys, school seal); the account password is the PIN', params: z.object({ batchId: uuid }), body: z.object({ password: z.string().min(1).max(200), max: z.number().int().min(1).max(5000).optional() }) } },
    async (req) => signBatchWithServerKey({ db, actor: requireAuth(req).actor, who: currentActor(req), schoolId: requireSchool(req), batchId: req.params.batchId, password: req.body.password, ...(req.body.max !== undefined ? { max: req.body.max } : {}), env: await signingEnv(), lang: langOf(req) }),
  );
  r.post(
    '/api/signing/batches/:batchId/sign-remote',
    {
      config: { access, rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: "Sign every waiting item through the person's remote (CSC) credential: sign in to the provider, then one approval on the phone (or a PIN/OTP) for the whole batch; answers when signed, declined or timed out",
        params: z.object({ batchId: uuid }),
        body: z
          .strictObject({
            username: z.string().min(1).max(200).optional(),
            password: z.string().min(1).max(200).optional(),
            accessToken: z.string().min(1).max(4000).optional(),
            pin: z.string().min(1).max(64).optional(),
            otp: z.string().min(1).max(64).optional(),
          })
          .refine((b) => (b.username !== undefined && b.password !== undefined) !== (b.accessToken !== undefined), { message: 'give the provider user name and password, or an access token (not both)' }),
      },
    },
    async (req) => {
      const b = req.body;
      const login = b.accessToken !== undefined ? { accessToken: b.accessToken } : { username: b.username!, password: b.password! };
      return signBatchRemotely({ db, actor: requireAuth(req).actor, who: currentActor(req), schoolId: requireSchool(req), batchId: req.params.batchId, login, ...(b.pin !== undefined ? { pin: b.pin } : {}), ...(b.otp !== undefined ? { otp: b.otp } : {}), env: await signingEnv(), lang: langOf(req) });
    },
  );
  r.get('/api/signing/to-sign', { config: { access }, schema: { tags, summary: "One's signing work: per class and step, records ready now and waiting" } }, async (req) => ({
    rows: await myToSign({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req) }),
  }));
  r.get('/api/signing/versions/:versionId/signatures', { config: { access: 'classes.read' }, schema: { tags, summary: "A record version's signatures in order, and whether its sealed PDF exists", params: z.object({ versionId: uuid }) } }, async (req) =>
    listRecordSignatures({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req), versionId: req.params.versionId }),
  );
  // A sealed (or superseded) version's copy is an issued copy: it needs ?reason= and is logged (services/access).
  const copyReason = z.object({ reason: z.string().max(500).optional() });
  r.get('/api/signing/versions/:versionId/signed.xml', { config: { access: 'classes.read' }, schema: { tags, summary: 'The record XML after its last signature (sealed: ?reason= required, logged as an issued copy)', params: z.object({ versionId: uuid }), querystring: copyReason } }, async (req, reply) => {
    const v = await currentRecordXml({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req), versionId: req.params.versionId });
    await noteStaffCopy({ db, actor: requireAuth(req).actor, who: currentActor(req), schoolId: requireSchool(req), versionId: req.params.versionId, channel: 'download_xml', reason: req.query.reason });
    return reply.type('application/xml; charset=utf-8').header('content-disposition', `attachment; filename="hocba-v${v.version}-signed.xml"`).send(v.xml);
  });
  r.get('/api/signing/versions/:versionId/sealed.pdf', { config: { access: 'classes.read' }, schema: { tags, summary: 'The sealed PDF/A-3 (PAdES B-LT) of a record version (?reason= required, logged as an issued copy)', params: z.object({ versionId: uuid }), querystring: copyReason } }, async (req, reply) => {
    const p = await sealedRecordPdf({ db, actor: requireAuth(req).actor, schoolId: requireSchool(req), versionId: req.params.versionId });
    await noteStaffCopy({ db, actor: requireAuth(req).actor, who: currentActor(req), schoolId: requireSchool(req), versionId: req.params.versionId, channel: 'download_pdf', reason: req.query.reason });
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="hocba-v${p.version}-sealed.pdf"`).header('x-content-sha256', p.sha256).send(p.pdf);
  });
  r.post('/api/signing/versions/:versionId/return', { config: { access }, schema: { tags, summary: 'Return a record to the teachers with a reason (later signer or principal)', params: z.object({ versionId: uuid }), body: z.object({ reason: z.string().min(5).max(1000) }) } }, async (req) =>
    returnRecord({ db, actor: requireAuth(req).actor, who: currentActor(req), schoolId: requireSchool(req), versionId: req.params.versionId, reason: req.body.reason }),
  );
}
