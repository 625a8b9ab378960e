/**
 * Signing certificates: one's own (/api/me/certificate: upload a .cer/.crt/.pem/.der file,
 * post what the local agent returned, or name a remote CSC credential), the school seal's
 * (/api/school/seal-certificate: a certificate file, or a PKCS#12 whose key the server keeps
 * for a server-applied seal), and the board of every signer (/api/certificates/board).
 */
import { rm } from 'node:fs/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { certificateBoard, certificateCard } from '../../services/certificates/certificate-board.ts';
import { fetchCscCertificate, storeSealPkcs12 } from '../../services/certificates/register-sources.ts';
import { CERTIFICATE_MAX_BYTES, registerCertificate, type KeyRef, type SigningCertificate } from '../../services/certificates/signing-certificates.ts';
import { trustContextFor } from '../../services/certificates/trust-context.ts';
import { currentActor, requireAuth, requireSchool } from '../authorize.ts';
import { langOf } from '../errors.ts';
import { uploadedFile } from '../upload.ts';

const base64 = z.string().max(200_000).regex(/^[A-Za-z0-9+/=\s]*$/, 'base64');
const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

export function certificateRoutes(app: FastifyInstance, { database, dataDir }: { database: Database; dataDir: string | null }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = database.db;
  const trust = () => trustContextFor({ dataDir });

  async function register(req: FastifyRequest, userId: string | null, input: { certificate: Uint8Array; chain?: Uint8Array[]; source: SigningCertificate['source']; keyRef?: KeyRef }) {
    const auth = requireAuth(req);
    const schoolId = requireSchool(req);
    const t = await trust();
    const cert = await registerCertificate({ db, actor: auth.actor, who: currentActor(req), schoolId, userId, ...input, trust: t });
    return certificateCard({ db, schoolId, userId, trust: t, lang: langOf(req), ...(cert.warnings?.length ? { warnings: cert.warnings } : {}) });
  }

  const me = (req: FastifyRequest) => requireAuth(req).user.id;
  const tags = ['certificates'];

  r.get('/api/me/certificate', { config: { access: 'own_certificate.manage' }, schema: { tags, summary: 'My signing certificate, how it stands now, and my earlier ones' } }, async (req) =>
    certificateCard({ db, schoolId: requireSchool(req), userId: me(req), trust: await trust(), lang: langOf(req) }),
  );
  r.post('/api/me/certificate', { config: { access: 'own_certificate.manage' }, schema: { tags, summary: 'Register my certificate from a file (.cer/.crt/.pem/.der, multipart field "file", at most 64 KB)' } }, async (req) => {
    const file = await uploadedFile(req, CERTIFICATE_MAX_BYTES);
    return register(req, me(req), { certificate: new Uint8Array(file.content), source: 'upload' });
  });
  r.post(
    '/api/me/certificate/agent',
    { config: { access: 'own_certificate.manage' }, schema: { tags, summary: 'Register the certificate the local signing agent returned (GET /v1/certificates: base64 DER, signer first)', body: z.strictObject({ certificates: z.array(base64).min(1).max(8) }) } },
    async (req) => {
      const [first, ...rest] = req.body.certificates.map(fromB64);
      return register(req, me(req), { certificate: first!, chain: rest, source: 'agent' });
    },
  );
  r.post(
    '/api/me/certificate/csc',
    {
      config: { access: 'own_certificate.manage' },
      schema: {
        tags,
        summary: 'Register the certificate of a remote signing (CSC v2) credential; the server asks the provider (credentials/info)',
        body: z.strictObject({ baseUrl: z.string().min(1).max(500), credentialId: z.string().min(1).max(200), accessToken: z.string().max(4000).optional() }),
      },
    },
    async (req) => {
      const got = await fetchCscCertificate({ baseUrl: req.body.baseUrl, credentialId: req.body.credentialId, ...(req.body.accessToken ? { accessToken: req.body.accessToken } : {}) });
      return register(req, me(req), { ...got, source: 'csc' });
    },
  );

  r.get('/api/school/seal-certificate', { config: { access: 'seal_certificate.manage' }, schema: { tags, summary: "The school seal's certificate, how it stands now, and earlier ones" } }, async (req) =>
    certificateCard({ db, schoolId: requireSchool(req), userId: null, trust: await trust(), lang: langOf(req) }),
  );
  r.post('/api/school/seal-certificate', { config: { access: 'seal_certificate.manage' }, schema: { tags, summary: "Register the seal's certificate from a file (.cer/.crt/.pem/.der, multipart field \"file\"); the key stays with whoever applies the seal" } }, async (req) => {
    const file = await uploadedFile(req, CERTIFICATE_MAX_BYTES);
    return register(req, null, { certificate: new Uint8Array(file.content), source: 'upload' });
  });
  r.post(
    '/api/school/seal-certificate/pkcs12',
    {
      config: { access: 'seal_certificate.manage' },
      schema: { tags, summary: "Register the seal's certificate with its key (PKCS#12, base64): the server keeps the key (0600 file under the data dir) and applies the seal", body: z.strictObject({ pkcs12: base64.max(1_400_000), password: z.string().max(200) }) },
    },
    async (req) => {
      const got = await storeSealPkcs12({ dataDir, schoolId: requireSchool(req), pkcs12: fromB64(req.body.pkcs12), password: req.body.password });
      try {
        return await register(req, null, { ...got, source: 'server_key' });
      } catch (err) {
        // A refused certificate leaves no key behind (unless it is the one already registered).
        if (got.keyRef?.kind === 'file') await rm(got.keyRef.path, { force: true }).catch(() => undefined);
        throw err;
      }
    },
  );

  r.get('/api/certificates/board', { config: { access: 'certificates.board' }, schema: { tags, summary: "Every signer of this school year and the seal, with their certificate's standing against their signing deadline" } }, async (req) =>
    certificateBoard({ db, schoolId: requireSchool(req), trust: await trust(), lang: langOf(req) }),
  );
}
