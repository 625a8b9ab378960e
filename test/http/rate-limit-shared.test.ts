/**
 * Rate-limit counters shared by several server instances on one database (issue 12: stateless
 * servers): two apps on the same database count a client's sign-in attempts together, so the
 * fourth attempt is refused whichever instance gets it; the counter restarts after its window;
 * with shared counters off (the embedded default) each instance counts alone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/server/app.ts';
import { BACKENDS, freshDatabase } from '../helpers/db.ts';
import { makeSchool } from '../helpers/factories.ts';

for (const kind of BACKENDS) {
  describe(`rate limits shared between instances (${kind})`, () => {
    let database: Database;
    const apps: FastifyInstance[] = [];
    const start = async (sharedRateLimit: boolean) => {
      const app = await buildApp({ database, rateLimit: { global: 100_000, login: 3 }, sharedRateLimit });
      await app.ready();
      apps.push(app);
      return app;
    };
    // Unknown accounts (per address), so account lock-out never answers before the rate limit.
    const attempt = async (app: FastifyInstance, ip: string) =>
      (await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { username: `khong-ton-tai-${ip}`, password: 'not the password 1' } })).statusCode;

    before(async () => {
      database = await freshDatabase(kind);
      await makeSchool(database, `rl${kind.slice(0, 2)}`);
    });
    after(async () => {
      for (const a of apps) await a.close();
      await database?.close();
    });

    test('two instances count one client together; another client has its own count', async () => {
      const a = await start(true);
      const b = await start(true);
      const codes = [await attempt(a, '10.0.0.1'), await attempt(b, '10.0.0.1'), await attempt(a, '10.0.0.1'), await attempt(b, '10.0.0.1'), await attempt(a, '10.0.0.1')];
      assert.deepEqual(codes, [401, 401, 401, 429, 429]);
      assert.equal(await attempt(b, '10.0.0.2'), 401, 'another address is counted apart');
      const rows = await database.query<{ key: string; count: number }>('SELECT key, count FROM rate_limit_counters ORDER BY key');
      assert.ok(rows.some((r) => r.key.includes('/api/auth/login') && r.key.endsWith('10.0.0.1') && Number(r.count) === 5), JSON.stringify(rows));
    });

    test('a counter whose window has passed starts again', async () => {
      const a = apps[0]!;
      await database.query("UPDATE rate_limit_counters SET reset_at = now() - interval '1 second' WHERE key LIKE '%10.0.0.1'");
      assert.equal(await attempt(a, '10.0.0.1'), 401);
    });

    test('without shared counters each instance counts alone', async () => {
      const a = await start(false);
      const b = await start(false);
      const codes = [await attempt(a, '10.0.0.9'), await attempt(b, '10.0.0.9'), await attempt(a, '10.0.0.9'), await attempt(b, '10.0.0.9')];
      assert.deepEqual(codes, [401, 401, 401, 401]);
    });
  });
}
