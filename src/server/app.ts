/**
 * The fastify application: security headers, cookies, rate limits, the authorisation
 * hook, the API routes, OpenAPI at /api/openapi.json, and the web UI (dist/web) with a
 * fallback to index.html for client-side routes.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, validatorCompiler, serializerCompiler } from 'fastify-type-provider-zod';
import type { Database } from '../db/client.ts';
import { DomainError } from '../domain/errors.ts';
import { registerAuthorization } from './authorize.ts';
import { registerInputGuard } from './input-guard.ts';
import { errorHandler, sendError } from './errors.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { gradeRoutes } from './routes/grade-routes.ts';
import { studentRoutes } from './routes/student-routes.ts';
import { recordRoutes } from './routes/record-routes.ts';
import { MAX_UPLOAD_BYTES } from '../services/files/store-file.ts';
import { schoolRoutes } from './routes/school-routes.ts';
import { userRoutes } from './routes/user-routes.ts';
import { signatureImageRoutes } from './routes/signature-image-routes.ts';
import { signingRoutes } from './routes/signing-routes.ts';
import { delegationRoutes } from './routes/delegation-routes.ts';
import { certificateRoutes } from './routes/certificate-routes.ts';
import { pkiRoutes } from './routes/pki-routes.ts';

export const WEB_DIST = fileURLToPath(new URL('../../dist/web', import.meta.url));

export interface AppOptions {
  database: Database;
  logger?: boolean;
  /** Set Secure on cookies (behind HTTPS). */
  secureCookies?: boolean;
  trustProxy?: boolean;
  /** Requests per minute per client address (all routes / the sign-in route). */
  rateLimit?: { global: number; login: number };
  /** The address people reach the platform at, printed in QR codes (default PUBLIC_URL or http://localhost:8080). */
  publicUrl?: string;
  /** Background job workers: 'start' with the app (serve), or 'lazy' at the first job (default; tests). */
  jobs?: 'start' | 'lazy';
  /** The data directory (demo test PKI under <dataDir>/pki, trust context); null: none. */
  dataDir?: string | null;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger
      ? { level: 'info', redact: { paths: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'req.body.password', 'res.headers["set-cookie"]'], remove: true } }
      : false,
    trustProxy: opts.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd injects its component styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        // The local signing agent (hocba agent) listens on loopback; it checks Origin and pairing itself.
        connectSrc: ["'self'", 'http://127.0.0.1:*'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: opts.secureCookies ? { maxAge: 15552000 } : false,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, parts: 6 } });
  const limits = opts.rateLimit ?? { global: 600, login: 10 };
  await app.register(fastifyRateLimit, { global: true, max: limits.global, timeWindow: 60_000 });
  await app.register(fastifySwagger, {
    openapi: { info: { title: 'hocba API', version: '0.1.0', description: 'Học bạ số platform API' } },
    transform: jsonSchemaTransform,
  });
  registerAuthorization(app, opts.database);
  registerInputGuard(app);

  authRoutes(app, { database: opts.database, secureCookies: opts.secureCookies ?? false, loginRateLimit: { max: limits.login, timeWindow: 60_000 } });
  schoolRoutes(app, { database: opts.database });
  userRoutes(app, { database: opts.database });
  signatureImageRoutes(app, { database: opts.database });
  certificateRoutes(app, { database: opts.database, dataDir: opts.dataDir ?? null });
  pkiRoutes(app, { dataDir: opts.dataDir ?? null });
  gradeRoutes(app, { database: opts.database });
  studentRoutes(app, { database: opts.database, publicUrl: opts.publicUrl ?? (process.env.PUBLIC_URL || 'http://localhost:8080') });
  recordRoutes(app, { database: opts.database, publicUrl: opts.publicUrl ?? (process.env.PUBLIC_URL || 'http://localhost:8080'), jobs: opts.jobs ?? 'lazy' });
  signingRoutes(app, { database: opts.database, publicUrl: opts.publicUrl ?? (process.env.PUBLIC_URL || 'http://localhost:8080'), dataDir: opts.dataDir ?? null });
  delegationRoutes(app, { database: opts.database });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  app.get('/api/health', { config: { access: 'public' }, schema: { hide: true } }, async () => ({ ok: true, db: opts.database.kind }));

  const hasWeb = existsSync(WEB_DIST);
  if (hasWeb) await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: 'index.html' });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api') || req.method !== 'GET' || !hasWeb) {
      return sendError(reply, req, new DomainError('not_found', { what: req.url.split('?')[0] ?? '' }));
    }
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
