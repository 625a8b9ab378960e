/**
 * Test support (not used by the application): a school whose records went through the real
 * signing chain — subject teachers, homeroom, principal, clerk's seal with the sealed PDF —
 * with certificates of the shared test PKI and server-held key files, as
 * test/http/signing-workflow.test.ts does; plus a second, corrected version of a record
 * (v2 sealed through the chain, v1 marked superseded) for the status tests.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { recordVersions, roleGrants, staff } from '../../db/schema.ts';
import { serializeHbsV1 } from '../../documents/hbs-xml/hbs-v1.ts';
import type { ActorScope } from '../../domain/policies/permissions.ts';
import type { RecordSnapshot } from '../../domain/record/snapshot.ts';
import type { SigningStep } from '../../domain/record/signing-order.ts';
import { revocationClient } from '../../signing/revocation/revocation-client.ts';
import { tsaClient } from '../../signing/tsa/tsa-client.ts';
import { loadActor } from '../auth/load-actor.ts';
import { registerCertificate, type TrustContext } from '../certificates/signing-certificates.ts';
import { completeAndFreezeClass } from '../records/test-fixtures.ts';
import { prepareSigningBatch } from '../signing/prepare-batch.ts';
import { signBatchWithServerKey } from '../signing/server-key.ts';
import type { SigningEnv } from '../signing/signing-env.ts';
import { sharedTestPki } from '../../../test/helpers/test-pki.ts';
import { makeSchool, TEST_PASSWORD, type TestSchool } from '../../../test/helpers/factories.ts';

export interface SealedSchool {
  school: TestSchool;
  env: SigningEnv;
  trust: TrustContext;
  /** Sealed version ids, one per student (register order). */
  versionIds: string[];
  /** Signs versions through the whole chain (all five steps). */
  sealVersions(versionIds: string[]): Promise<void>;
  /** Adds version 2 of a sealed version's record (homeroom comment changed), seals it and marks v1 superseded. */
  supersede(versionId: string): Promise<string>;
  close(): Promise<void>;
}

/** Freezes `students` records of the test school's class 10A1 and seals them through the real chain. */
export async function sealedSchool(database: Database, prefix: string, students = 2): Promise<SealedSchool> {
  const { db } = database;
  const school = await makeSchool(database, prefix);
  const dir = await mkdtemp(join(tmpdir(), 'hocba-verify-fixture-'));
  await inSystem(db, async (tx) => {
    await tx.insert(staff).values([
      { schoolId: school.schoolId, fullName: 'Trần Thị Văn', userId: school.users.department_head.id },
      { schoolId: school.schoolId, fullName: 'Nguyễn Văn Hiệu', userId: school.users.principal.id },
      { schoolId: school.schoolId, fullName: 'Phạm Văn Thư', userId: school.users.clerk.id },
    ]);
    await tx.insert(roleGrants).values({ userId: school.users.department_head.id, schoolId: school.schoolId, role: 'subject_teacher' });
  });
  const ids = school.studentIds.slice(0, students);
  await completeAndFreezeClass({ db, schoolId: school.schoolId, classId: school.classId, studentIds: ids, teacherUserId: school.users.department_head.id, homeroomUserId: school.users.homeroom_teacher.id });
  const rows = await db.select({ id: recordVersions.id, studentId: recordVersions.studentId }).from(recordVersions).where(eq(recordVersions.schoolId, school.schoolId));
  const versionIds = ids.map((s) => rows.find((r) => r.studentId === s)!.id);

  const shared = await sharedTestPki();
  const trust: TrustContext = { trustAnchors: [shared.pki.root.certificate], intermediates: [shared.pki.issuing.certificate], revocation: revocationClient() };
  const env: SigningEnv = { trust, timestamp: tsaClient(`${shared.url}/tsa`), publicUrl: 'http://127.0.0.1:8080', dataDir: null };
  const actorOf = (role: keyof TestSchool['users']) => loadActor(db, school.users[role].id, school.schoolId);
  const who = (role: keyof TestSchool['users']) => ({ userId: school.users[role].id, label: role });
  const registrar: ActorScope = { ...(await actorOf('school_admin')), roles: new Set(['system_admin']) };
  const people: Array<[keyof TestSchool['users'], string]> = [
    ['subject_teacher', 'Giáo viên Toán'],
    ['department_head', 'Trần Thị Văn'],
    ['homeroom_teacher', 'Giáo viên chủ nhiệm'],
    ['principal', 'Nguyễn Văn Hiệu'],
  ];
  for (const [role, name] of people) {
    const id = await shared.signer(name);
    const path = join(dir, `${role}.key.pem`);
    await writeFile(path, id.privateKeyPem, { mode: 0o600 });
    await registerCertificate({ db, actor: registrar, who: who(role), schoolId: school.schoolId, userId: school.users[role].id, certificate: id.certificate, chain: id.chain.slice(1), source: 'demo', keyRef: { kind: 'file', path }, trust });
  }
  const seal = await shared.seal(`Trường THPT ${prefix}`);
  const sealPath = join(dir, 'seal.key.pem');
  await writeFile(sealPath, seal.privateKeyPem, { mode: 0o600 });
  await registerCertificate({ db, actor: await actorOf('clerk'), who: who('clerk'), schoolId: school.schoolId, userId: null, certificate: seal.certificate, chain: seal.chain.slice(1), source: 'server_key', keyRef: { kind: 'file', path: sealPath }, trust });

  const sign = async (role: keyof TestSchool['users'], step: SigningStep, target: string[]) => {
    const actor = await actorOf(role);
    const batch = await prepareSigningBatch({ db, actor, who: who(role), schoolId: school.schoolId, step, target: { versionIds: target }, env });
    if (batch.items.length === 0) throw new Error(`${role} ${step}: nothing to sign (${JSON.stringify(batch.refused)})`);
    const done = await signBatchWithServerKey({ db, actor, who: who(role), schoolId: school.schoolId, batchId: batch.batchId, password: TEST_PASSWORD, env });
    const failed = done.results.filter((r) => r.error);
    if (failed.length) throw new Error(`${role} ${step}: ${JSON.stringify(failed)}`);
  };
  const sealVersions = async (target: string[]) => {
    await sign('subject_teacher', 'subject', target);
    await sign('department_head', 'subject', target);
    await sign('homeroom_teacher', 'homeroom', target);
    await sign('principal', 'principal', target);
    await sign('clerk', 'seal', target);
  };
  await sealVersions(versionIds);

  const supersede = async (versionId: string) => {
    const [v1] = await db.select().from(recordVersions).where(eq(recordVersions.id, versionId));
    const snapshot = structuredClone(v1!.snapshot) as RecordSnapshot;
    snapshot.year.homeroom.comment = `${snapshot.year.homeroom.comment ?? ''} (đã đính chính)`.trim();
    const xml = serializeHbsV1(snapshot);
    const digest = createHash('sha256').update(xml, 'utf8').digest('hex');
    const [v2] = await inSystem(db, (tx) =>
      tx
        .insert(recordVersions)
        .values({ schoolId: v1!.schoolId, studentId: v1!.studentId, schoolYearId: v1!.schoolYearId, version: v1!.version + 1, state: 'frozen', formatId: v1!.formatId, formatVersion: v1!.formatVersion, snapshot, xml, digest, frozenAt: new Date(), frozenBy: 'test', supersedesId: v1!.id })
        .returning({ id: recordVersions.id }),
    );
    await sealVersions([v2!.id]);
    // What the corrections workflow does once the successor is sealed.
    await inSystem(db, (tx) => tx.update(recordVersions).set({ state: 'superseded' }).where(eq(recordVersions.id, v1!.id)));
    return v2!.id;
  };

  return { school, env, trust, versionIds, sealVersions, supersede, close: () => rm(dir, { recursive: true, force: true }) };
}
