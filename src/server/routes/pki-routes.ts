/**
 * The demo TEST PKI's services, served by the hocba server itself so the demo's certificates
 * (which name <PUBLIC_URL>/pki for OCSP and CRL) are checkable out of the box:
 * POST /pki/ocsp (application/ocsp-request), GET /pki/crl and /pki/crl/root (DER),
 * POST /pki/tsa (application/timestamp-query). Public and rate-limited; 404 when the data
 * directory holds no demo PKI. The PKI is reloaded when its state file changes, so a
 * `hocba pki revoke` from the command line shows up in the next CRL/OCSP answer.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { DomainError } from '../../domain/errors.ts';
import { demoPkiFor } from '../../services/certificates/trust-context.ts';
import type { TestPki } from '../../signing/pki/test-pki.ts';

/** A request the responder cannot decode is the client's fault (400), not ours. */
async function malformed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch {
    throw new DomainError('validation', { summary: `malformed DER ${what}` });
  }
}

const MAX_REQUEST_BYTES = 64 * 1024;
const RATE = { max: 300, timeWindow: 60_000 };

export function pkiRoutes(app: FastifyInstance, { dataDir }: { dataDir: string | null }): void {
  const load = demoPkiFor(dataDir);
  const need = async (): Promise<TestPki> => {
    const pki = await load();
    if (!pki) throw new DomainError('not_found', { what: 'PKI thử nghiệm / demo test PKI' });
    return pki;
  };
  const der = (reply: FastifyReply, type: string, body: Uint8Array) => reply.header('cache-control', 'no-store').type(type).send(Buffer.from(body));

  void app.register(async (scope) => {
    // DER request bodies: only inside this plugin, so no other route accepts these types.
    scope.addContentTypeParser(['application/ocsp-request', 'application/timestamp-query'], { parseAs: 'buffer', bodyLimit: MAX_REQUEST_BYTES }, (_req, body, done) => done(null, body));
    const config = { access: 'public' as const, rateLimit: RATE };
    const hide = { hide: true };
    scope.post('/pki/ocsp', { config, schema: hide }, async (req, reply) => {
      if (!Buffer.isBuffer(req.body)) throw new DomainError('unsupported_media_type');
      const pki = await need();
      return der(reply, 'application/ocsp-response', await malformed('OCSP request', () => pki.ocspRespond(new Uint8Array(req.body as Buffer))));
    });
    scope.post('/pki/tsa', { config, schema: hide }, async (req, reply) => {
      if (!Buffer.isBuffer(req.body)) throw new DomainError('unsupported_media_type');
      const pki = await need();
      return der(reply, 'application/timestamp-reply', await malformed('timestamp request', () => pki.timestamp(new Uint8Array(req.body as Buffer))));
    });
    scope.get('/pki/crl', { config, schema: hide }, async (_req, reply) => der(reply, 'application/pkix-crl', await (await need()).crl()));
    scope.get('/pki/crl/root', { config, schema: hide }, async (_req, reply) => der(reply, 'application/pkix-crl', await (await need()).rootCrl()));
  });
}
