/**
 * A school worth backing up: the demo school with its finished year, the demo TEST PKI in a
 * data directory, class 10A1 frozen, two records taken through the whole signing chain
 * (subject teachers, GVCN, principal, clerk's seal with the sealed PDF) and a third signed
 * by the subject teachers only.
 */
import assert from 'node:assert/strict';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { classes, recordVersions, users } from '../../src/db/schema.ts';
import type { SigningStep } from '../../src/domain/record/signing-order.ts';
import { buildApp } from '../../src/server/app.ts';
import { loadActor } from '../../src/services/auth/load-actor.ts';
import { ensureDemoCertificates } from '../../src/services/certificates/demo-pki.ts';
import { loadDemoSchool } from '../../src/services/demo/load-demo-school.ts';
import { DEMO_PASSWORD } from '../../src/services/demo/generate-demo-school.ts';
import { freezeClass } from '../../src/services/records/freeze-class.ts';
import { prepareSigningBatch } from '../../src/services/signing/prepare-batch.ts';
import { signBatchWithServerKey } from '../../src/services/signing/server-key.ts';
import { signingEnvFor } from '../../src/services/signing/signing-env.ts';

export interface SealedSchool {
  schoolId: string;
  sealed: string[];
  partlySigned: string;
  /** Stops the server that answers the demo PKI's OCSP and TSA URLs (pdfsig asks it). */
  close(): Promise<void>;
}

/** Fills `database` (empty, migrated) and `dataDir` (its pki/) with a school that has sealed records. */
export async function makeSealedSchool(database: Database, dataDir: string, students = 30): Promise<SealedSchool> {
  const db = database.db;
  const loaded = await loadDemoSchool({ db, students, year: true });
  const app = await buildApp({ database, dataDir, rateLimit: { global: 100_000, login: 100_000 } });
  let ok = false;
  try {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    await ensureDemoCertificates({ db, dataDir, baseUrl: `${url}/pki`, log: () => undefined });
    const env = await signingEnvFor({ dataDir, publicUrl: url });
    const demo = loaded.demo;
    const first = demo.classes[0]!;
    const [cls] = await db.select({ id: classes.id }).from(classes).where(and(eq(classes.schoolId, loaded.schoolId), eq(classes.name, first.name)));
    const usernameOf = new Map(demo.staff.map((s) => [s.key, s.username]));
    const userId = async (username: string) => (await db.select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;
    const homeroom = usernameOf.get(first.homeroomStaffKey)!;
    const hid = await userId(homeroom);
    const frozen = await freezeClass({ db, actor: await loadActor(db, hid, loaded.schoolId), who: { userId: hid, label: homeroom }, schoolId: loaded.schoolId, classId: cls!.id });
    assert.ok(frozen.frozen.length >= 3, JSON.stringify(frozen.blocked));
    const versions = await db.select({ id: recordVersions.id }).from(recordVersions).where(inArray(recordVersions.studentId, frozen.frozen.slice(0, 3).map((f) => f.studentId)));
    const ids = versions.map((v) => v.id);
    const sign = async (username: string, step: SigningStep, versionIds: string[]) => {
      const id = await userId(username);
      const actor = await loadActor(db, id, loaded.schoolId);
      const who = { userId: id, label: username };
      const batch = await prepareSigningBatch({ db, actor, who, schoolId: loaded.schoolId, step, target: { versionIds }, env });
      assert.deepEqual(batch.refused, [], `${username} ${step}`);
      const done = await signBatchWithServerKey({ db, actor, who, schoolId: loaded.schoolId, batchId: batch.batchId, password: DEMO_PASSWORD, env });
      assert.equal(done.progress.signed, batch.items.length, `${username} ${step}: ${JSON.stringify(done.results.filter((x) => x.error))}`);
    };
    for (const username of new Set(first.subjects.map((s) => usernameOf.get(s.teacherStaffKey)!))) await sign(username, 'subject', ids);
    const sealed = ids.slice(0, 2);
    await sign(homeroom, 'homeroom', sealed);
    await sign('hieutruong', 'principal', sealed);
    await sign('vanthu', 'seal', sealed);
    const states = await db.select({ id: recordVersions.id, state: recordVersions.state }).from(recordVersions).where(inArray(recordVersions.id, ids));
    assert.deepEqual(states.filter((s) => s.state === 'sealed').map((s) => s.id).sort(), [...sealed].sort());
    ok = true;
    return { schoolId: loaded.schoolId, sealed, partlySigned: ids[2]!, close: () => app.close() };
  } finally {
    if (!ok) await app.close();
  }
}
