/**
 * Starts the platform: opens (and migrates) the database, loads the demo school into an
 * empty deployment unless told not to, builds the web UI if needed, listens, and prints
 * the address and the demo sign-ins.
 */
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { openDatabase, type Database } from '../db/client.ts';
import { openReadDatabase } from '../db/read-database.ts';
import { appMeta } from '../db/schema.ts';
import { purgeExpiredSessions } from '../services/auth/sessions.ts';
import { demoLoadedLines, hasNoSchool, loadDemoSchool } from '../services/demo/load-demo-school.ts';
import { ensureDemoCertificates } from '../services/certificates/demo-pki.ts';
import { INITIALISED_KEY } from '../services/schools/init-school.ts';
import { buildApp } from './app.ts';
import { describeDatabase, type Config } from './config.ts';
import { buildWebIfStale } from './web-build.ts';

export interface Running {
  app: FastifyInstance;
  database: Database;
  url: string;
  /** Settles when the demo school's TEST certificates are issued and registered (or that failed, logged). */
  demoCertificates: Promise<void>;
  close(): Promise<void>;
}

export async function serve(config: Config, opts: { demo: boolean; log?: (m: string) => void }): Promise<Running> {
  const log = opts.log ?? console.log;
  if (config.databaseReadUrl && !config.databaseUrl) {
    throw new Error('DATABASE_READ_URL is set but DATABASE_URL is not (the embedded PGlite has no replicas): unset DATABASE_READ_URL or set DATABASE_URL');
  }
  await buildWebIfStale(log);
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  let readDatabase: Database | null = null;
  let app: FastifyInstance | undefined;
  try {
    // Checked at start: a replica URL that does not work is a configuration error, not a silent fallback.
    if (config.databaseReadUrl) readDatabase = await openReadDatabase({ url: config.databaseReadUrl, primary: database });
    const initialised = (await database.db.select().from(appMeta).where(eq(appMeta.key, INITIALISED_KEY))).length > 0;
    if (opts.demo && !initialised && (await hasNoSchool(database.db))) {
      log('Cơ sở dữ liệu trống: đang tạo trường mẫu / empty database: loading the demo school…');
      // With a finished school year, so a class can be frozen and signed at once (docs/demo.md);
      // HOCBA_DEMO_YEAR=0 keeps the grade book empty (to demonstrate entering marks).
      for (const line of demoLoadedLines(await loadDemoSchool({ db: database.db, year: process.env.HOCBA_DEMO_YEAR !== '0' }))) log(line);
    }
    const publicUrl = process.env.PUBLIC_URL || `http://localhost:${config.port}`;
    app = await buildApp({ database, logger: process.env.HOCBA_LOG === '1', secureCookies: config.secureCookies, trustProxy: config.trustProxy, publicUrl, jobs: 'start', dataDir: config.dataDir, rateLimit: rateLimitsFrom(process.env), readDatabase });
    await app.listen({ port: config.port, host: config.host });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    const url = `http://localhost:${port}`;
    const purge = setInterval(() => void purgeExpiredSessions(database.db).catch(() => undefined), 15 * 60_000);
    purge.unref();
    log(`hocba đang chạy / is running at ${url}  (${describeDatabase(config)}${readDatabase ? '; đọc từ bản sao / reads from the replica' : ''})`);
    // Demo schools get a TEST PKI and a certificate per signer: after listening, so start stays quick (~5 s for 87 on PGlite).
    const demoCertificates = opts.demo
      ? ensureDemoCertificates({ db: database.db, dataDir: config.dataDir, baseUrl: `${publicUrl.replace(/\/+$/, '')}/pki`, log }).then(
          () => undefined,
          (err: unknown) => log(`Không tạo được chứng thư THỬ NGHIỆM / demo certificates failed: ${(err as Error).message}`),
        )
      : Promise.resolve();
    const started = app;
    return {
      app: started,
      database,
      url,
      demoCertificates,
      async close() {
        clearInterval(purge);
        await demoCertificates;
        await started.close();
        await readDatabase?.close();
        await database.close();
      },
    };
  } catch (err) {
    // A failed start (port taken, job queue set-up failed in onReady) must end the process so
    // systemd restarts it: close the app too, or pg-boss's timers keep a dead instance alive.
    await app?.close().catch(() => undefined);
    await readDatabase?.close();
    await database.close();
    throw err;
  }
}

/** Requests per minute per client address: HOCBA_RATE_LIMIT (all routes, default 600) and HOCBA_LOGIN_RATE_LIMIT (sign-in, default 10). */
export function rateLimitsFrom(env: NodeJS.ProcessEnv): { global: number; login: number } {
  const read = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number of requests per minute, got "${raw}"`);
    return n;
  };
  return { global: read('HOCBA_RATE_LIMIT', 600), login: read('HOCBA_LOGIN_RATE_LIMIT', 10) };
}
