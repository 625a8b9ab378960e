/**
 * Test support (not used by the application): a whole hocba deployment in-process — its own
 * database, data directory, demo school (renamed when asked, so two deployments are two
 * different schools), demo TEST PKI and HTTP server — and a helper that takes some of its
 * records through the signing chain to the seal with the demo keys. The caller passes
 * server/app.ts buildApp in (services do not import the server layer).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { classes, recordVersions, schools, users } from '../../db/schema.ts';
import type { SigningStep } from '../../domain/record/signing-order.ts';
import { loadActor } from '../auth/load-actor.ts';
import { ensureDemoCertificates } from '../certificates/demo-pki.ts';
import { DEMO_PASSWORD } from '../demo/generate-demo-school.ts';
import { loadDemoSchool, type DemoLoaded } from '../demo/load-demo-school.ts';
import { freezeClass } from '../records/freeze-class.ts';
import { prepareSigningBatch } from '../signing/prepare-batch.ts';
import { signBatchWithServerKey } from '../signing/server-key.ts';
import { signingEnvFor, type SigningEnv } from '../signing/signing-env.ts';

export interface Deployment {
  database: Database;
  app: FastifyInstance;
  url: string;
  dataDir: string;
  schoolId: string;
  school: { code: string; name: string };
  loaded: DemoLoaded;
  env: () => Promise<SigningEnv>;
  userId(username: string): Promise<string>;
  classId(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts a deployment on 127.0.0.1:`port` (PUBLIC_URL is that address: the PKI and TSA answer there). */
export async function startDeployment(opts: { buildApp: (o: { database: Database; dataDir: string; publicUrl: string; rateLimit: { global: number; login: number } }) => Promise<FastifyInstance>; database: Database; dataDir: string; port: number; students: number; year: boolean; seed?: number; school?: { code: string; name: string } }): Promise<Deployment> {
  const { database, dataDir } = opts;
  const loaded = await loadDemoSchool({ db: database.db, students: opts.students, year: opts.year, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
  if (opts.school) {
    const rename = opts.school;
    await inSystem(database.db, (tx) => tx.update(schools).set({ code: rename.code, name: rename.name }).where(eq(schools.id, loaded.schoolId)));
  }
  const [school] = await inSystem(database.db, (tx) => tx.select({ code: schools.code, name: schools.name }).from(schools).where(eq(schools.id, loaded.schoolId)));
  const url = `http://127.0.0.1:${opts.port}`;
  const app = await opts.buildApp({ database, dataDir, publicUrl: url, rateLimit: { global: 100_000, login: 100_000 } });
  await app.listen({ port: opts.port, host: '127.0.0.1' });
  await ensureDemoCertificates({ db: database.db, dataDir, baseUrl: `${url}/pki`, log: () => undefined });
  let env: Promise<SigningEnv> | null = null;
  return {
    database,
    app,
    url,
    dataDir,
    schoolId: loaded.schoolId,
    school: school!,
    loaded,
    env: () => (env ??= signingEnvFor({ dataDir, publicUrl: url })),
    async userId(username) {
      const [u] = await database.db.select({ id: users.id }).from(users).where(eq(users.username, username));
      if (!u) throw new Error(`no user ${username}`);
      return u.id;
    },
    async classId(name) {
      const [c] = await database.db.select({ id: classes.id }).from(classes).where(and(eq(classes.schoolId, loaded.schoolId), eq(classes.name, name)));
      if (!c) throw new Error(`no class ${name}`);
      return c.id;
    },
    async close() {
      await app.close();
    },
  };
}

/** Freezes the first class and signs `count` of its records up to the seal with the demo keys; returns their student and version ids. */
export async function sealSomeRecords(d: Deployment, count: number): Promise<Array<{ studentId: string; versionId: string }>> {
  const db = d.database.db;
  const first = d.loaded.demo.classes[0]!;
  const usernameOf = new Map(d.loaded.demo.staff.map((s) => [s.key, s.username]));
  const homeroomId = await d.userId(usernameOf.get(first.homeroomStaffKey)!);
  const classId = await d.classId(first.name);
  const report = await freezeClass({ db, actor: await loadActor(db, homeroomId, d.schoolId), who: { userId: homeroomId, label: 'gvcn' }, schoolId: d.schoolId, classId });
  const studentIds = report.frozen.slice(0, count).map((f) => f.studentId);
  if (studentIds.length < count) throw new Error(`only ${report.frozen.length} records could be frozen`);
  const versions = await db.select({ id: recordVersions.id, studentId: recordVersions.studentId }).from(recordVersions).where(inArray(recordVersions.studentId, studentIds));
  const versionIds = versions.map((v) => v.id);
  const env = await d.env();
  const sign = async (username: string, step: SigningStep) => {
    const uid = await d.userId(username);
    const actor = await loadActor(db, uid, d.schoolId);
    const who = { userId: uid, label: username };
    const batch = await prepareSigningBatch({ db, actor, who, schoolId: d.schoolId, step, target: { versionIds }, env });
    if (batch.refused.length) throw new Error(`${username} ${step}: ${JSON.stringify(batch.refused)}`);
    const done = await signBatchWithServerKey({ db, actor, who, schoolId: d.schoolId, batchId: batch.batchId, password: DEMO_PASSWORD, env });
    if (done.progress.signed !== batch.items.length) throw new Error(`${username} ${step}: ${JSON.stringify(done.results.filter((x) => x.error))}`);
  };
  for (const username of new Set(first.subjects.map((s) => usernameOf.get(s.teacherStaffKey)!))) await sign(username, 'subject');
  await sign(usernameOf.get(first.homeroomStaffKey)!, 'homeroom');
  await sign('hieutruong', 'principal');
  await sign('vanthu', 'seal');
  return versions.map((v) => ({ studentId: v.studentId, versionId: v.id }));
}
