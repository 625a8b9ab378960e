/**
 * Two server instances on one PostgreSQL (issue 12): two real `hocba serve` processes share a
 * fresh database and data directory, behind a tiny failover proxy that stands for the load
 * balancer (PUBLIC_URL: the demo TSA/OCSP answer from whichever instance is alive).
 *  1. A session made on A works on B (cookie + CSRF token), e.g. freezing a class on B.
 *  2. One server-key batch signed by chunks sent to A and B AT THE SAME TIME: every item is
 *     signed exactly once (record_signatures, audit entries), both instances took part.
 *  3. A second batch: A is SIGKILLed in the middle of a chunk (it claimed every item), B
 *     continues — the dead instance's claims expire — and finishes: nothing signed twice,
 *     nothing lost. A records export queued through A just before the kill is finished by B.
 * The audit chain verifies and xmlsec1 verifies signatures of the results. PostgreSQL only:
 * runs when DATABASE_URL is set (CI); a database of its own, dropped at the end.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { classes, signingBatchItems } from '../../src/db/schema.ts';
import { verifyAudit } from '../../src/services/audit/verify-audit.ts';
import { ensureDemoCertificates, openOrCreateDemoPki } from '../../src/services/certificates/demo-pki.ts';
import { DEMO_PASSWORD } from '../../src/services/demo/generate-demo-school.ts';
import { loadDemoSchool, type DemoLoaded } from '../../src/services/demo/load-demo-school.ts';
import { readXadesSignatures } from '../../src/signing/xades/index.ts';
import { xmlsec1Verifier } from '../../src/signing/xades/testing.ts';
import { startServer, type RunningServer } from '../browser/helpers/server.ts';
import { createPgDatabase } from '../helpers/db.ts';
import { toolSkip } from '../helpers/test-pki.ts';

const HBS = 'urn:hocba:hbs:1';
const skip = !process.env.DATABASE_URL ? 'PostgreSQL only (DATABASE_URL is not set)' : toolSkip('xmlsec1');

interface Session {
  cookie: string;
  csrf: string;
}

interface SignResult {
  results: Array<{ itemId: string; status: string }>;
  progress: { total: number; pending: number; signed: number; failed: number; refused: number };
}

/** A JSON request to one instance; throws with the body on an unexpected status. */
async function call<T>(server: RunningServer, s: Session | null, method: string, path: string, body?: unknown, expect = [200, 201, 202]): Promise<{ status: number; json: T; setCookie: string | null }> {
  const headers: Record<string, string> = {};
  if (s) headers.cookie = s.cookie;
  if (s && method !== 'GET') headers['x-csrf-token'] = s.csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  if (!expect.includes(res.status)) throw new Error(`${method} ${path} on :${server.port}: HTTP ${res.status} ${text.slice(0, 500)}`);
  return { status: res.status, json: (text ? JSON.parse(text) : null) as T, setCookie: res.headers.get('set-cookie') };
}

async function login(server: RunningServer, username: string): Promise<Session> {
  const r = await call<{ csrfToken: string }>(server, null, 'POST', '/api/auth/login', { username, password: DEMO_PASSWORD });
  const sid = /hocba_sid=([^;]+)/.exec(r.setCookie ?? '')?.[1];
  assert.ok(sid, `a session cookie for ${username}`);
  return { cookie: `hocba_sid=${sid}`, csrf: r.json.csrfToken };
}

/**
 * Signs a batch through one instance in short requests until nothing is pending; when every
 * waiting item is held by another request, waits a moment and asks again.
 */
async function signUntilDone(server: RunningServer, s: Session, batchId: string, max: number, deadlineMs = 120_000): Promise<SignResult['results']> {
  const out: SignResult['results'] = [];
  const end = Date.now() + deadlineMs;
  for (;;) {
    const r = await call<SignResult>(server, s, 'POST', `/api/signing/batches/${batchId}/sign-with-server-key`, { password: DEMO_PASSWORD, max });
    out.push(...r.json.results);
    if (r.json.progress.pending === 0 && r.json.progress.failed === 0) return out;
    if (r.json.results.length === 0) {
      if (Date.now() > end) throw new Error(`batch ${batchId} still has waiting items: ${JSON.stringify(r.json.progress)}`);
      await sleep(250);
    }
  }
}

/** The stand-in for the load balancer: forwards to the first backend that answers. */
function failoverProxy(backends: () => RunningServer[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const tryAt = (i: number) => {
        const b = backends()[i];
        if (!b) {
          res.writeHead(502).end('no backend');
          return;
        }
        const up = httpRequest({ host: 'localhost', port: b.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        up.on('error', () => tryAt(i + 1));
        up.end(body);
      };
      tryAt(0);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

describe('two server instances on one PostgreSQL', { skip, concurrency: 1 }, () => {
  const cleanup: Array<() => Promise<void>> = [];
  let database: Database;
  let loaded: DemoLoaded;
  let dataDir: string;
  let a: RunningServer;
  let b: RunningServer;
  let classId: string;
  const alive: RunningServer[] = [];
  const usernameOf = new Map<string, string>();

  before(async () => {
    const created = await createPgDatabase();
    cleanup.push(() => created.drop());
    dataDir = await mkdtemp(join(tmpdir(), 'hocba-two-instances-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    database = await openDatabase({ url: created.url, poolSize: 4 });
    cleanup.push(() => database.close());
    // The demo school, loaded ONCE (3 classes of 28), and its TEST certificates, before either instance starts.
    loaded = await loadDemoSchool({ db: database.db, students: 84, year: true });
    for (const s of loaded.demo.staff) usernameOf.set(s.key, s.username);
    const proxy = await failoverProxy(() => alive);
    cleanup.push(() => new Promise((r) => proxy.server.close(() => r())));
    await ensureDemoCertificates({ db: database.db, dataDir, baseUrl: `${proxy.url}/pki`, log: () => undefined });
    const env = {
      DATABASE_URL: created.url,
      DATA_DIR: dataDir,
      PUBLIC_URL: proxy.url,
      HOCBA_RATE_LIMIT: '100000',
      // Short leases and job staleness so a dead instance's work is taken over within seconds.
      HOCBA_SIGNING_LEASE_SECONDS: '3',
      HOCBA_JOB_STALE_SECONDS: '10',
      HOCBA_JOB_HOUSEKEEPING_SECONDS: '1',
    };
    a = await startServer({ env });
    cleanup.push(() => a.stop());
    b = await startServer({ env });
    cleanup.push(() => b.stop());
    alive.push(a, b);
    const [cls] = await database.db.select({ id: classes.id }).from(classes).where(and(eq(classes.schoolId, loaded.schoolId), eq(classes.name, '10A1')));
    classId = cls!.id;
  });
  after(async () => {
    for (const f of cleanup.reverse()) await f().catch((e: unknown) => console.error('cleanup:', e));
  });

  /** Teachers of 10A1's subjects, most subjects first. */
  const subjectTeachers = () => {
    const count = new Map<string, number>();
    for (const s of loaded.demo.classes[0]!.subjects) count.set(usernameOf.get(s.teacherStaffKey)!, (count.get(usernameOf.get(s.teacherStaffKey)!) ?? 0) + 1);
    return [...count.entries()].sort((x, y) => y[1] - x[1]).map(([u]) => u);
  };

  const signedOnce = async (batchId: string, items: number) => {
    const rows = await database.query<{ n: number; distinct_n: number }>(
      `select count(*)::int as n, count(distinct (version_id, signature_id))::int as distinct_n from record_signatures where batch_id = $1`,
      [batchId],
    );
    assert.deepEqual(rows[0], { n: items, distinct_n: items }, 'one record_signatures row per item, none twice');
    const audits = await database.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'record.signed' and after->>'batchId' = $1`, [batchId]);
    assert.equal(audits[0]!.n, items, 'one audit entry per signed item');
    const statuses = await database.db.select({ status: signingBatchItems.status }).from(signingBatchItems).where(eq(signingBatchItems.batchId, batchId));
    assert.ok(statuses.length === items && statuses.every((x) => x.status === 'signed'), JSON.stringify(statuses));
  };

  const xmlsecCheck = async (s: Session, server: RunningServer, versionIds: string[]) => {
    const { pki } = await openOrCreateDemoPki(join(dataDir, 'pki'), 'unused');
    const xmlsec = await xmlsec1Verifier({ rootPem: pki.root.certificatePem, intermediatePems: [pki.issuing.certificatePem], idElements: ['Data', 'Identity', 'Year', 'Subject'].map((e) => `${HBS}:${e}`) });
    try {
      for (const v of versionIds) {
        const res = await fetch(`${server.url}/api/signing/versions/${v}/signed.xml`, { headers: { cookie: s.cookie } });
        assert.equal(res.status, 200);
        const xml = await res.text();
        const ids = readXadesSignatures(xml).map((x) => x.id);
        assert.ok(ids.length > 0, `record ${v} has signatures`);
        for (const id of ids) {
          const r = await xmlsec.verify(xml, id);
          assert.ok(r.ok, `record ${v}, ${id}: ${r.output}`);
        }
      }
    } finally {
      await xmlsec.close();
    }
  };

  let homeroom: Session;

  test('a session made on A works on B: same person, and B accepts its CSRF token (freezing 10A1)', async () => {
    homeroom = await login(a, usernameOf.get(loaded.demo.classes[0]!.homeroomStaffKey)!);
    const onA = await call<{ user: { id: string } }>(a, homeroom, 'GET', '/api/session');
    const onB = await call<{ user: { id: string } }>(b, homeroom, 'GET', '/api/session');
    assert.deepEqual(onB.json.user, onA.json.user);
    const frozen = await call<{ frozen: unknown[] }>(b, homeroom, 'POST', `/api/classes/${classId}/freeze`, {});
    assert.equal(frozen.json.frozen.length, 26);
  });

  test('one batch, chunks sent to A and B at once: every item signed exactly once', async (t) => {
    const teacher = await login(a, subjectTeachers()[0]!);
    const batch = await call<{ batchId: string; items: Array<{ itemId: string; versionId: string }> }>(a, teacher, 'POST', '/api/signing/batches', { step: 'subject', target: { classId } });
    const n = batch.json.items.length;
    assert.ok(n >= 26, `items: ${n}`);
    const [onA, onB] = await Promise.all([signUntilDone(a, teacher, batch.json.batchId, 4), signUntilDone(b, teacher, batch.json.batchId, 4)]);
    const signedA = onA.filter((r) => r.status === 'signed').map((r) => r.itemId);
    const signedB = onB.filter((r) => r.status === 'signed').map((r) => r.itemId);
    t.diagnostic(`${n} items: ${signedA.length} signed through A, ${signedB.length} through B, ${onA.length + onB.length - n} skipped`);
    assert.ok(signedA.length > 0 && signedB.length > 0, 'both instances signed part of the batch');
    assert.equal(new Set([...signedA, ...signedB]).size, n, 'together they signed every item');
    assert.equal(signedA.length + signedB.length, n, 'no item signed by both');
    await signedOnce(batch.json.batchId, n);
    await xmlsecCheck(teacher, b, [...new Set(batch.json.items.map((i) => i.versionId))].slice(0, 2));
    assert.ok((await verifyAudit({ database })).ok);
  });

  test('A is killed mid-chunk: B finishes the batch (nothing twice, nothing lost) and the export queued through A', async (t) => {
    const teacher = await login(a, subjectTeachers()[1]!);
    const batch = await call<{ batchId: string; items: Array<{ itemId: string; versionId: string }> }>(a, teacher, 'POST', '/api/signing/batches', { step: 'subject', target: { classId } });
    const n = batch.json.items.length;
    const batchId = batch.json.batchId;
    // One request for the whole batch: A claims every item, then signs them one by one.
    const running = call<SignResult>(a, teacher, 'POST', `/api/signing/batches/${batchId}/sign-with-server-key`, { password: DEMO_PASSWORD }).then(
      () => 'finished',
      () => 'cut',
    );
    const signedCount = async () => (await database.db.select({ status: signingBatchItems.status }).from(signingBatchItems).where(eq(signingBatchItems.batchId, batchId))).filter((x) => x.status === 'signed').length;
    const claimedCount = async () => (await database.query<{ n: number }>(`select count(*)::int as n from signing_batch_items where batch_id = $1 and claim_token is not null`, [batchId]))[0]!.n;
    for (let i = 0; (await signedCount()) < 2; i++) {
      assert.ok(i < 2000, 'A started signing');
      await sleep(20);
    }
    const exp = await call<{ id: string; status: string }>(a, homeroom, 'POST', '/api/record-exports', { scope: 'class', classId });
    alive.splice(0, 1);
    await a.kill();
    const atKill = await signedCount();
    const heldByDead = await claimedCount();
    t.diagnostic(`A killed with ${atKill}/${n} items signed, ${heldByDead} still claimed by it; the export was ${(await database.query<{ status: string }>('select status from record_exports where id = $1', [exp.json.id]))[0]!.status}`);
    assert.equal(await running, 'cut');
    assert.ok(atKill < n, `A was killed before the end of its chunk (${atKill}/${n})`);
    assert.ok(heldByDead > 0, 'the dead instance held claims on unsigned items');

    const onB = await signUntilDone(b, teacher, batchId, 10);
    assert.equal(onB.filter((r) => r.status === 'signed').length, n - atKill, 'B signed exactly what A had not');
    await signedOnce(batchId, n);
    await xmlsecCheck(teacher, b, [...new Set(batch.json.items.map((i) => i.versionId))].slice(-2));
    const audit = await verifyAudit({ database });
    assert.ok(audit.ok, JSON.stringify(audit.firstBroken));

    // The export: B's housekeeping takes over what A queued or was running.
    let view: { status: string; done: number; total: number; error: string | null } | undefined;
    for (let i = 0; i < 600; i++) {
      view = (await call<typeof view & object>(b, homeroom, 'GET', `/api/record-exports/${exp.json.id}`)).json;
      if (view.status === 'done' || view.status === 'failed') break;
      await sleep(250);
    }
    assert.equal(view?.status, 'done', JSON.stringify(view));
    assert.equal(view!.done, view!.total);
    const zip = await fetch(`${b.url}/api/record-exports/${exp.json.id}/download`, { headers: { cookie: homeroom.cookie } });
    assert.equal(zip.status, 200);
    assert.equal(Buffer.from(await zip.arrayBuffer()).subarray(0, 2).toString('latin1'), 'PK');
  });
});
