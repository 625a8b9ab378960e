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
import { readsFor } from '../db/read-database.ts';
import { DomainError } from '../domain/errors.ts';
import { registerAuthorization } from './authorize.ts';
import { registerInputGuard } from './input-guard.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';
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
import { correctionRoutes } from './routes/correction-routes.ts';
import { delegationRoutes } from './routes/delegation-routes.ts';
import { planRoutes } from './routes/plan-routes.ts';
import { certificateRoutes } from './routes/certificate-routes.ts';
import { pkiRoutes } from './routes/pki-routes.ts';
import { backupRoutes } from './routes/backup-routes.ts';
import { syncRoutes } from './routes/sync-routes.ts';
import { verificationRoutes } from './routes/verification-routes.ts';
import { transferRoutes } from './routes/transfer-routes.ts';
import { accessRoutes } from './routes/access-routes.ts';
import { guideRoutes } from './routes/guide-routes.ts';
import { provinceRoutes } from './routes/province-routes.ts';
import { practiceRoutes } from './routes/practice-routes.ts';

export const WEB_DIST = fileURLToPath(new URL('../../dist/web', import.meta.url));

export interface AppOptions {
  database: Database;
  logger?: boolean;
  /** Set Secure on cookies (behind HTTPS). */
  secureCookies?: boolean;
  trustProxy?: boolean;
  /** Requests per minute per client address (all routes / the sign-in route). */
  rateLimit?: { global: number; login: number };
  /** Keep rate-limit counters in the database, shared by every instance (default: on PostgreSQL). */
  sharedRateLimit?: boolean;
  /** The address people reach the platform at, printed in QR codes (default PUBLIC_URL or http://localhost:8080). */
  publicUrl?: string;
  /** Background job workers: 'start' with the app (serve), or 'lazy' at the first job (default; tests). */
  jobs?: 'start' | 'lazy';
  /** The data directory (demo test PKI under <dataDir>/pki, trust context); null: none. */
  dataDir?: string | null;
  /** A read-only replica (DATABASE_READ_URL, openReadDatabase) for boards and verification lookups; absent: the primary. */
  readDatabase?: Database | null;
}

/** A URL fit for the log: query values dropped, token-like path segments (share links) masked; UUIDs stay. */
export function redactUrl(url: string): string {
  const [path = '', query] = url.split('?', 2);
  const masked = path
    .split('/')
    .map((seg) => (/^[A-Za-z0-9_-]{32,}$/.test(seg) && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(seg) ? '[token]' : seg))
    .join('/');
  return query === undefined ? masked : `${masked}?${query.split('&').map((kv) => `${kv.split('=')[0]}=…`).join('&')}`;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger
      ? {
          level: 'info',
          redact: { paths: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'req.body.password', 'res.headers["set-cookie"]'], remove: true },
          // URLs carry bearer secrets (share links /share/<token>) and free text (?reason=): log them redacted.
          serializers: { req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: redactUrl(req.url), remoteAddress: req.ip }) },
        }
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
  // API answers carry minors' personal data: no browser or proxy may keep them (staff-room
  // computers are shared). A route that wants caching sets its own Cache-Control.
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, parts: 6 } });
  const limits = opts.rateLimit ?? { global: 600, login: 10 };
  // Several instances on one PostgreSQL count together; a store failure lets the request through rather than failing it.
  const sharedCounters = opts.sharedRateLimit ?? opts.database.kind === 'postgres';
  await app.register(fastifyRateLimit, { global: true, max: limits.global, timeWindow: 60_000, ...(sharedCounters ? { store: databaseRateLimitStore(opts.database), skipOnError: true } : {}) });
  await app.register(fastifySwagger, {
    openapi: { info: { title: 'hocba API', version: '0.1.0', description: 'Học bạ số platform API' } },
    transform: jsonSchemaTransform,
  });
  registerAuthorization(app, opts.database);
  registerInputGuard(app);
  // Boards and public lookups read through this (docs/deploy.md "Read replicas"); writes never do.
  const reads = readsFor(opts.database, opts.readDatabase);

  authRoutes(app, { database: opts.database, secureCookies: opts.secureCookies ?? false, loginRateLimit: { max: limits.login, timeWindow: 60_000 } });
  schoolRoutes(app, { database: opts.database });
  userRoutes(app, { database: opts.database });
  signatureImageRoutes(app, { database: opts.database });
  certificateRoutes(app, { database: opts.database, dataDir: opts.dataDir ?? null });
  pkiRoutes(app, { dataDir: opts.dataDir ?? null });
  backupRoutes(app, { database: opts.database, dataDir: opts.dataDir ?? null });
  gradeRoutes(app, { database: opts.database });
  studentRoutes(app, { database: opts.database, publicUrl: opts.publicUrl ?? (process.env.PUBLIC_URL || 'http://localhost:8080') });
  recordRoutes(app, { database: opts.database, publicUrl: opts.publicUrl ?? (process.env.PUBLIC_URL || 'http://localhost:8080'), jobs: opts.jobs ?? 'lazy' });
  signingRoutes(app, { database: opts.database, publicUrl: opts.publicUrl ?? (process.env.PUBLIC_URL || 'http://localhost:8080'), dataDir: opts.dataDir ?? null });
  correctionRoutes(app, { database: opts.database });
  delegationRoutes(app, { database: opts.database });
  planRoutes(app, { database: opts.database, dataDir: opts.dataDir ?? null, reads });
  syncRoutes(app, { database: opts.database, publicUrl: opts.publicUrl ?? (process.env.PUBLIC_URL || 'http://localhost:8080') });
  verificationRoutes(app, { database: opts.database, reads, dataDir: opts.dataDir ?? null, publicUrl: opts.publicUrl ?? (process.env.PUBLIC_URL || 'http://localhost:8080') });
  transferRoutes(app, { database: opts.database, publicUrl: opts.publicUrl ?? (process.env.PUBLIC_URL || 'http://localhost:8080'), dataDir: opts.dataDir ?? null });
  accessRoutes(app, { database: opts.database, publicUrl: opts.publicUrl ?? (process.env.PUBLIC_URL || 'http://localhost:8080') });
  guideRoutes(app, { database: opts.database });
  provinceRoutes(app, { database: opts.database, reads });
  practiceRoutes(app, { database: opts.database, publicUrl: opts.publicUrl ?? (process.env.PUBLIC_URL || 'http://localhost:8080'), dataDir: opts.dataDir ?? null });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  app.get('/api/health', { config: { access: 'public' }, schema: { hide: true } }, async () => ({ ok: true, db: opts.database.kind, readReplica: reads.replica }));

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
