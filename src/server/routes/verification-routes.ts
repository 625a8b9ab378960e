/**
 * Public verification (issue 9, docs/verification.md), no sign-in, strictly rate-limited per
 * client address: POST /api/public/verify (multipart field "file", or the raw PDF/XML body)
 * and GET /api/public/verify/:code give the verification report; GET /api/public/status/:school
 * gives the school's signed status list. The principal revokes a sealed version with
 * POST /api/records/versions/:versionId/revoke. Every verdict comes from verifyRecord, the
 * same service `hocba verify` uses.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { readsFor, type Reads } from '../../db/read-database.ts';
import { DomainError } from '../../domain/errors.ts';
import { trustContextFor } from '../../services/certificates/trust-context.ts';
import { signingEnvFor } from '../../services/signing/signing-env.ts';
import { localRecordByDigest, sealedRecordByCode } from '../../services/verification/local-status.ts';
import { publishStatusList, STATUS_LIST_VALIDITY_MS } from '../../services/verification/publish-status.ts';
import { revokeRecordVersion } from '../../services/verification/revoke-record.ts';
import { STATUS_LIST_MEDIA_TYPE } from '../../services/verification/status-list.ts';
import { verifyRecord, type VerifyRecordOptions } from '../../services/verification/verify-record.ts';
import { currentActor, requireAuth, requireSchool } from '../authorize.ts';
import { uploadedFile } from '../upload.ts';

/** Largest document the public page verifies (a sealed record PDF is a few hundred KB). */
export const VERIFY_MAX_BYTES = 5 * 1024 * 1024;
const RAW_TYPES = ['application/pdf', 'application/xml', 'text/xml', 'application/octet-stream'];

export function verificationRoutes(app: FastifyInstance, opts: { database: Database; reads?: Reads; dataDir: string | null; publicUrl: string; rateLimit?: { max: number; timeWindow: number } }): void {
  const { database, dataDir, publicUrl } = opts;
  // Lookups read the replica when there is one; a miss there is asked of the primary, so a
  // record sealed a moment ago (not yet replayed) verifies at once.
  const reads = opts.reads ?? readsFor(database);
  // Verification is CPU work (RSA, OCSP parsing): a strict per-address limit.
  const rateLimit = opts.rateLimit ?? { max: Number(process.env.HOCBA_VERIFY_RATE_LIMIT) || 20, timeWindow: 60_000 };
  const options = async (fileName: string | null): Promise<VerifyRecordOptions> => {
    const trust = await trustContextFor({ dataDir });
    return {
      trust: { trustAnchors: trust.trustAnchors, intermediates: trust.intermediates ?? [], revocation: trust.revocation },
      fileName,
      maxBytes: VERIFY_MAX_BYTES,
      local: async (rec) => reads.run((db) => localRecordByDigest(db, rec.digest, publicUrl), { missed: (r) => r === null }),
    };
  };

  void app.register(async (scope) => {
    const r = scope.withTypeProvider<ZodTypeProvider>();
    // Raw bodies (curl --data-binary @hoc-ba.pdf): only inside this plugin.
    scope.addContentTypeParser(RAW_TYPES, { parseAs: 'buffer', bodyLimit: VERIFY_MAX_BYTES }, (_req, body, done) => done(null, body));
    const tags = ['verification'];

    r.post('/api/public/verify', { config: { access: 'public', rateLimit }, schema: { tags, summary: 'Verify a học bạ: multipart field "file" (PDF or HBS XML, ≤ 5 MB) or the raw document as the body; no sign-in' } }, async (req: FastifyRequest) => {
      let bytes: Uint8Array;
      let name: string | null = null;
      if (req.isMultipart()) {
        const f = await uploadedFile(req, VERIFY_MAX_BYTES);
        bytes = new Uint8Array(f.content);
        name = f.name.slice(0, 200) || null;
      } else if (Buffer.isBuffer(req.body)) bytes = new Uint8Array(req.body);
      else throw new DomainError('unsupported_media_type');
      return verifyRecord(bytes, await options(name));
    });

    r.get(
      '/api/public/verify/:code',
      { config: { access: 'public', rateLimit }, schema: { tags, summary: 'Verify the sealed record a printed code (or QR link) names: the report of its stored PDF and its current status', params: z.object({ code: z.string().max(40) }) } },
      async (req) => {
        const found = await reads.run((db) => sealedRecordByCode(db, req.params.code, publicUrl), { missed: (r) => r === null });
        if (!found) throw new DomainError('not_found', { what: `học bạ có mã / a sealed record with code ${req.params.code.slice(0, 20)}` });
        return verifyRecord(new Uint8Array(found.pdf), { ...(await options(null)), local: async () => ({ status: found.status, signedXml: found.signedXml }) });
      },
    );

    r.get(
      '/api/public/status/:school',
      { config: { access: 'public', rateLimit: { max: 120, timeWindow: 60_000 } }, schema: { tags, summary: "The school's signed status list (XML, XAdES by the school seal): every sealed version valid / superseded / revoked", params: z.object({ school: z.string().min(1).max(64) }) } },
      async (req, reply) => {
        const env = await signingEnvFor({ dataDir, publicUrl });
        const { xml } = await reads.run((db) => publishStatusList({ db, school: req.params.school, env }));
        return reply
          .header('cache-control', `public, max-age=${Math.floor(STATUS_LIST_VALIDITY_MS / 4000)}`)
          .type(STATUS_LIST_MEDIA_TYPE)
          .send(xml);
      },
    );

    r.post(
      '/api/records/versions/:versionId/revoke',
      { config: { access: 'records.revoke' }, schema: { tags, summary: 'Revoke a sealed record version with a reason (principal); shown in the status list and every verification report', params: z.object({ versionId: z.uuid() }), body: z.strictObject({ reason: z.string().max(1000) }) } },
      async (req) => {
        const auth = requireAuth(req);
        return revokeRecordVersion({ db: database.db, actor: auth.actor, who: currentActor(req), schoolId: requireSchool(req), versionId: req.params.versionId, reason: req.body.reason });
      },
    );
  });
}
