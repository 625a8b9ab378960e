/**
 * The claims behind test/http/two-instances.test.ts, on both back ends (PGlite too): two
 * server-key requests for one batch running at once sign disjoint items and together all of
 * them; items held by a request that died (a claim with a live lease) are left alone until
 * the lease runs out, then signed by the next request — each item exactly once.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { classes, signingBatchItems, users } from '../../src/db/schema.ts';
import { buildApp } from '../../src/server/app.ts';
import { loadActor } from '../../src/services/auth/load-actor.ts';
import { ensureDemoCertificates } from '../../src/services/certificates/demo-pki.ts';
import { DEMO_PASSWORD } from '../../src/services/demo/generate-demo-school.ts';
import { loadDemoSchool, type DemoLoaded } from '../../src/services/demo/load-demo-school.ts';
import { prepareSigningBatch } from '../../src/services/signing/prepare-batch.ts';
import { signBatchWithServerKey } from '../../src/services/signing/server-key.ts';
import { signingEnvFor, type SigningEnv } from '../../src/services/signing/signing-env.ts';
import { loginAs } from '../helpers/app.ts';
import { BACKENDS, freshDatabase } from '../helpers/db.ts';

for (const kind of BACKENDS) {
  describe(`signing claims: concurrent requests and dead claims (${kind})`, { concurrency: 1 }, () => {
    let database: Database;
    let app: FastifyInstance;
    let dataDir: string;
    let loaded: DemoLoaded;
    let env: SigningEnv;

    before(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'hocba-claims-'));
      database = await freshDatabase(kind);
      loaded = await loadDemoSchool({ db: database.db, students: 84, year: true });
      app = await buildApp({ database, dataDir, rateLimit: { global: 100_000, login: 100_000 } });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      await ensureDemoCertificates({ db: database.db, dataDir, baseUrl: `${url}/pki`, log: () => undefined });
      env = await signingEnvFor({ dataDir, publicUrl: url });
    });
    after(async () => {
      await app?.close();
      await database?.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    test('two requests at once sign disjoint items; a dead claim waits for its lease, then is signed once', async (t) => {
      const db = database.db;
      const first = loaded.demo.classes[0]!;
      const usernameOf = new Map(loaded.demo.staff.map((s) => [s.key, s.username]));
      const [cls] = await db.select({ id: classes.id }).from(classes).where(and(eq(classes.schoolId, loaded.schoolId), eq(classes.name, first.name)));
      const { c } = await loginAs(app, usernameOf.get(first.homeroomStaffKey)!, DEMO_PASSWORD);
      const frozen = await c.request({ method: 'POST', url: `/api/classes/${cls!.id}/freeze`, payload: {} });
      assert.equal(frozen.statusCode, 200, frozen.body);

      const teacher = usernameOf.get(first.subjects[0]!.teacherStaffKey)!;
      const [u] = await db.select({ id: users.id }).from(users).where(eq(users.username, teacher));
      const actor = await loadActor(db, u!.id, loaded.schoolId);
      const who = { userId: u!.id, label: teacher };
      const batch = await prepareSigningBatch({ db, actor, who, schoolId: loaded.schoolId, step: 'subject', target: { classId: cls!.id }, env });
      const n = batch.items.length;
      assert.ok(n >= 26, `items: ${n}`);

      // A request that died while holding the first 5 items: its lease is still running.
      const dead = batch.items.slice(0, 5).map((i) => i.itemId);
      await database.query(`update signing_batch_items set claim_token = $1, claimed_until = now() + interval '1 hour' where id = any($2::uuid[])`, [randomUUID(), dead]);

      const sign = (max = 1000) => signBatchWithServerKey({ db, actor, who, schoolId: loaded.schoolId, batchId: batch.batchId, password: DEMO_PASSWORD, env, max });
      // Two "browsers" sending short requests at the same time, until nothing is left for them.
      const loop = async () => {
        const out: Awaited<ReturnType<typeof sign>>[] = [];
        for (;;) {
          const r = await sign(3);
          out.push(r);
          if (r.results.length === 0) return out;
        }
      };
      const [l1, l2] = await Promise.all([loop(), loop()]);
      const r1 = l1.at(-1)!;
      const r2 = l2.at(-1)!;
      const ids1 = l1.flatMap((r) => r.results).filter((r) => r.status === 'signed').map((r) => r.itemId);
      const ids2 = l2.flatMap((r) => r.results).filter((r) => r.status === 'signed').map((r) => r.itemId);
      t.diagnostic(`${n} items: ${ids1.length} + ${ids2.length} signed by the two requests, ${dead.length} held by the dead one`);
      assert.equal(ids1.filter((id) => ids2.includes(id)).length, 0, 'no item signed by both requests');
      assert.equal(ids1.length + ids2.length, n - dead.length, 'everything not held by the dead request');
      assert.ok(![...ids1, ...ids2].some((id) => dead.includes(id)), 'the dead claim was respected');
      assert.ok(ids1.length > 0 && ids2.length > 0, 'both requests took part');
      // A loop stops when nothing is left FOR IT: the other may still have been finishing its last items.
      for (const r of [r1, r2]) assert.ok(r.progress.failed === 0 && r.progress.pending >= dead.length, JSON.stringify(r.progress));
      const held = await db.select({ id: signingBatchItems.id }).from(signingBatchItems).where(and(eq(signingBatchItems.batchId, batch.batchId), inArray(signingBatchItems.status, ['pending'])));
      assert.deepEqual(held.map((h) => h.id).sort(), [...dead].sort());

      // Nothing happens to held items while the lease runs…
      const early = await sign();
      assert.equal(early.results.length, 0);
      assert.deepEqual(early.progress, { total: n, pending: dead.length, signed: n - dead.length, failed: 0, refused: 0 });
      // …and once it has run out, the next request signs them.
      await database.query(`update signing_batch_items set claimed_until = now() - interval '1 second' where id = any($1::uuid[])`, [dead]);
      const late = await sign();
      assert.deepEqual(late.results.map((r) => r.status), dead.map(() => 'signed'));
      assert.deepEqual(late.progress, { total: n, pending: 0, signed: n, failed: 0, refused: 0 });
      const rows = await database.query<{ n: number; d: number }>(`select count(*)::int as n, count(distinct (version_id, signature_id))::int as d from record_signatures where batch_id = $1`, [batch.batchId]);
      assert.deepEqual(rows[0], { n, d: n }, 'one signature per item');
      const claims = await database.query<{ n: number }>(`select count(*)::int as n from signing_batch_items where batch_id = $1 and claim_token is not null`, [batch.batchId]);
      assert.equal(claims[0]!.n, 0, 'no claim left behind');
    });
  });
}
