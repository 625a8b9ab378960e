/**
 * The demo out of the box, on each back end: loading the demo school creates the TEST PKI
 * under <data dir>/pki naming the server's own /pki URLs, issues and registers a certificate
 * for every signer and the seal (key files 0600), and the running hocba server answers
 * `openssl ocsp` and RFC 3161 requests that `openssl ts -verify` accepts. A server without a
 * demo PKI answers 404 there.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { inSystem } from '../../src/db/scope.ts';
import { schools, signingCertificates, users } from '../../src/db/schema.ts';
import { buildApp } from '../../src/server/app.ts';
import { ensureDemoCertificates } from '../../src/services/certificates/demo-pki.ts';
import { loadDemoSchool } from '../../src/services/demo/load-demo-school.ts';
import { createSession } from '../../src/services/auth/sessions.ts';
import { client } from '../helpers/app.ts';
import { BACKENDS, freshDatabase } from '../helpers/db.ts';
import { toolSkip } from '../helpers/test-pki.ts';

const skip = toolSkip('openssl');
// Asynchronous: openssl talks to the server in this very process, whose event loop must keep running.
const run = async (args: string[]) => (await promisify(execFile)('openssl', args, { encoding: 'utf8' })).stdout;

for (const kind of BACKENDS) {
  describe(`demo TEST PKI served by hocba (${kind})`, { skip }, () => {
    let database: Database;
    let app: FastifyInstance;
    let dataDir: string;
    let url: string;
    let result: Awaited<ReturnType<typeof ensureDemoCertificates>>;
    const logs: string[] = [];

    before(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'hocba-demo-pki-'));
      database = await freshDatabase(kind);
      await loadDemoSchool({ db: database.db, students: 40, seed: 7 });
      app = await buildApp({ database, dataDir, rateLimit: { global: 100_000, login: 100_000 } });
      url = await app.listen({ port: 0, host: '127.0.0.1' });
      result = await ensureDemoCertificates({ db: database.db, dataDir, baseUrl: `${url}/pki`, log: (m) => logs.push(m) });
    });
    after(async () => {
      await app?.close();
      await database?.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    test('every signer and the seal get a registered TEST certificate with a 0600 key file; a second run issues nothing', async () => {
      assert.equal(result.created, true);
      assert.ok(result.issued > 5, `issued ${result.issued}`);
      const rows = await inSystem(database.db, (tx) => tx.select().from(signingCertificates));
      assert.equal(rows.length, result.issued);
      assert.ok(rows.every((r) => r.source === 'demo' && r.status === 'active' && r.revocationAtRegistration === 'good'));
      assert.equal(rows.filter((r) => r.userId === null).length, 1, 'one seal');
      for (const r of rows.slice(0, 5)) {
        const ref = r.keyRef as { kind: string; path: string };
        assert.equal(ref.kind, 'file');
        assert.ok(ref.path.startsWith(join(dataDir, 'pki')), ref.path);
        assert.equal((await stat(ref.path)).mode & 0o777, 0o600);
        assert.match(await readFile(ref.path, 'utf8'), /BEGIN PRIVATE KEY/);
      }
      const again = await ensureDemoCertificates({ db: database.db, dataDir, baseUrl: `${url}/pki`, log: () => undefined });
      assert.deepEqual([again.created, again.issued], [false, 0]);
      assert.ok(logs.some((l) => /KHÔNG DÙNG THẬT/.test(l)));
    });

    test('openssl ocsp gets "good" from the running server, then "revoked" after a revocation', async () => {
      const pkiDir = join(dataDir, 'pki');
      const index = JSON.parse(await readFile(join(pkiDir, 'index.json'), 'utf8')) as { users: Record<string, { certificate: string }> };
      const [name, entry] = Object.entries(index.users)[0]!;
      const cert = join(pkiDir, entry.certificate);
      // The certificate names this server's OCSP address.
      const text = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-ocsp_uri'], { encoding: 'utf8' });
      assert.equal(text.trim(), `${url}/pki/ocsp`);
      const ask = () => run(['ocsp', '-issuer', join(pkiDir, 'issuing.crt.pem'), '-cert', cert, '-url', `${url}/pki/ocsp`, '-CAfile', join(pkiDir, 'root.crt.pem')]);
      assert.match(await ask(), /: good/);
      // Revoke as `hocba pki revoke` does (it rewrites the state file); the server reloads it.
      const { loadTestPki } = await import('../../src/signing/pki/test-pki.ts');
      const { derOf } = await import('../../src/signing/pki/der.ts');
      const pki = await loadTestPki(pkiDir);
      pki.revoke(derOf(await readFile(cert, 'utf8'), 'CERTIFICATE'), { reason: 1 });
      await new Promise((r) => setTimeout(r, 20)); // a distinct mtime for the state file
      await pki.save(pkiDir);
      assert.match(await ask(), /: revoked/, `${name} revoked`);
      // The CRLs are served as DER.
      const crl = await fetch(`${url}/pki/crl`);
      assert.equal(crl.headers.get('content-type'), 'application/pkix-crl');
      const crlFile = join(dataDir, 'issuing.crl');
      await writeFile(crlFile, Buffer.from(await crl.arrayBuffer()));
      assert.match(execFileSync('openssl', ['crl', '-inform', 'DER', '-in', crlFile, '-noout', '-text'], { encoding: 'utf8' }), /Revoked Certificates:/);
      assert.equal((await fetch(`${url}/pki/crl/root`)).status, 200);
      // Garbage gets the OCSP answer RFC 6960 prescribes (malformedRequest), not a crash.
      const bad = await fetch(`${url}/pki/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: 'nonsense' });
      assert.equal(bad.status, 200);
      assert.deepEqual([...new Uint8Array(await bad.arrayBuffer())], [0x30, 0x03, 0x0a, 0x01, 0x01]);
    });

    test('an RFC 3161 request to /pki/tsa gets a token that openssl ts -verify accepts', async () => {
      const pkiDir = join(dataDir, 'pki');
      const data = join(dataDir, 'data.txt');
      await writeFile(data, 'Học bạ số — dữ liệu thử');
      const tsq = join(dataDir, 'req.tsq');
      execFileSync('openssl', ['ts', '-query', '-data', data, '-sha256', '-cert', '-out', tsq]);
      const res = await fetch(`${url}/pki/tsa`, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: await readFile(tsq) });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/timestamp-reply');
      const tsr = join(dataDir, 'resp.tsr');
      await writeFile(tsr, Buffer.from(await res.arrayBuffer()));
      const out = execFileSync('openssl', ['ts', '-verify', '-in', tsr, '-queryfile', tsq, '-CAfile', join(pkiDir, 'root.crt.pem'), '-untrusted', join(pkiDir, 'chain.pem')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      assert.match(out, /Verification: OK/);
    });

    test('the board of the demo school: every signer has a valid certificate (one revoked above)', async () => {
      const [school] = await inSystem(database.db, (tx) => tx.select().from(schools).where(eq(schools.isDemo, true)));
      const [principal] = await inSystem(database.db, (tx) => tx.select().from(users).where(eq(users.username, 'hieutruong')));
      const userId = principal?.id ?? (await inSystem(database.db, (tx) => tx.execute<{ user_id: string }>(`select user_id from role_grants where role = 'principal' limit 1` as never))).rows[0]!.user_id;
      const { token, session } = await createSession(database.db, { userId, activeSchoolId: school!.id });
      const res = await client(app, token, session.csrfToken).request({ method: 'GET', url: '/api/certificates/board' });
      assert.equal(res.statusCode, 200, res.body);
      const board = res.json() as { rows: Array<{ standing: string }>; counts: Record<string, number> };
      assert.equal(board.counts.none, 0, 'nobody is without a certificate');
      assert.equal(board.counts.revoked, 1);
      assert.equal((board.counts.valid ?? 0) + (board.counts.expires_before_deadline ?? 0), board.rows.length - 1);
    });
  });
}

describe('without a demo PKI the /pki endpoints are 404', () => {
  test('GET /pki/crl and POST /pki/ocsp', async () => {
    const database = await freshDatabase('pglite');
    const dataDir = await mkdtemp(join(tmpdir(), 'hocba-no-pki-'));
    const app = await buildApp({ database, dataDir });
    try {
      assert.equal((await app.inject({ method: 'GET', url: '/pki/crl' })).statusCode, 404);
      assert.equal((await app.inject({ method: 'POST', url: '/pki/ocsp', headers: { 'content-type': 'application/ocsp-request' }, payload: Buffer.from([0x30, 0]) })).statusCode, 404);
    } finally {
      await app.close();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
