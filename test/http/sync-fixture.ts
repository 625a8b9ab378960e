/**
 * A school whose class 10A1 has SEALED records (the real signing chain: subject teachers, GVCN,
 * principal, the clerk's seal with the shared test PKI), for the sync tests. `e101VersionId`
 * names one record the tests script the reference server to reject with HBS-E101.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { inSystem } from '../../src/db/scope.ts';
import { enrolments, recordVersions, staff, students } from '../../src/db/schema.ts';
import type { SigningStep } from '../../src/domain/record/signing-order.ts';
import { loadActor } from '../../src/services/auth/load-actor.ts';
import { registerCertificate } from '../../src/services/certificates/signing-certificates.ts';
import { completeAndFreezeClass } from '../../src/services/records/test-fixtures.ts';
import { prepareSigningBatch } from '../../src/services/signing/prepare-batch.ts';
import { signBatchWithServerKey } from '../../src/services/signing/server-key.ts';
import type { SigningEnv } from '../../src/services/signing/signing-env.ts';
import { revocationClient } from '../../src/signing/revocation/revocation-client.ts';
import { tsaClient } from '../../src/signing/tsa/tsa-client.ts';
import { makeSchool, TEST_PASSWORD, type TestSchool } from '../helpers/factories.ts';
import { sharedTestPki } from '../helpers/test-pki.ts';

export interface SealedSchool {
  school: TestSchool;
  schoolCode: string;
  versionIds: string[];
  /** A version the tests have the reference server reject with HBS-E101. */
  e101VersionId: string;
}

/** Makes a school with `records` sealed records in 10A1 (keys written under `dir`). */
export async function makeSealedSchool(database: Database, prefix: string, dir: string, records = 6): Promise<SealedSchool> {
  const school = await makeSchool(database, prefix);
  const actorOf = (role: keyof TestSchool['users']) => loadActor(database.db, school.users[role].id, school.schoolId);
  const who = (role: keyof TestSchool['users']) => ({ userId: school.users[role].id, label: role });
  const extraIds = await inSystem(database.db, async (tx) => {
    const [e] = await tx.select().from(enrolments).where(eq(enrolments.studentId, school.studentIds[0]!));
    const rows = await tx
      .insert(students)
      .values(Array.from({ length: records - 3 }, (_, i) => ({ schoolId: school.schoolId, fullName: `Học Sinh Số ${i + 4}`, gender: i % 2 ? 'female' : 'male', birthDate: '2010-05-10', studentCode: `88${prefix.length}000000${i}`.slice(-10), personalId: `0382200000${String(i).padStart(2, '0')}` })))
      .returning();
    await tx.insert(enrolments).values(rows.map((s) => ({ schoolId: school.schoolId, studentId: s.id, schoolYearId: e!.schoolYearId, classId: school.classId })));
    await tx.insert(staff).values([
      { schoolId: school.schoolId, fullName: 'Nguyễn Văn Hiệu', userId: school.users.principal.id },
      { schoolId: school.schoolId, fullName: 'Phạm Văn Thư', userId: school.users.clerk.id },
    ]);
    return rows.map((r) => r.id);
  });
  const classStudents = [...school.studentIds.slice(0, 3), ...extraIds];
  const frozen = await completeAndFreezeClass({ db: database.db, schoolId: school.schoolId, classId: school.classId, studentIds: classStudents, teacherUserId: school.users.subject_teacher.id, homeroomUserId: school.users.homeroom_teacher.id });
  assert.equal(frozen.frozen.length, records, JSON.stringify(frozen.blocked));

  const shared = await sharedTestPki();
  const trust = { trustAnchors: [shared.pki.root.certificate], intermediates: [shared.pki.issuing.certificate], revocation: revocationClient() };
  const env: SigningEnv = { trust, timestamp: tsaClient(`${shared.url}/tsa`), publicUrl: 'http://127.0.0.1:8080', dataDir: null };
  const registrar = { ...(await actorOf('school_admin')), roles: new Set(['system_admin'] as const) };
  for (const [role, name] of [['subject_teacher', 'Giáo viên Toán'], ['homeroom_teacher', 'Giáo viên chủ nhiệm'], ['principal', 'Nguyễn Văn Hiệu']] as const) {
    const id = await shared.signer(name);
    const path = join(dir, `${prefix}-${role}.key.pem`);
    await writeFile(path, id.privateKeyPem, { mode: 0o600 });
    await registerCertificate({ db: database.db, actor: registrar, who: who(role), schoolId: school.schoolId, userId: school.users[role].id, certificate: id.certificate, chain: id.chain.slice(1), source: 'demo', keyRef: { kind: 'file', path }, trust });
  }
  const seal = await shared.seal(`Trường THPT ${prefix}`);
  const sealPath = join(dir, `${prefix}-seal.key.pem`);
  await writeFile(sealPath, seal.privateKeyPem, { mode: 0o600 });
  await registerCertificate({ db: database.db, actor: await actorOf('clerk'), who: who('clerk'), schoolId: school.schoolId, userId: null, certificate: seal.certificate, chain: seal.chain.slice(1), source: 'server_key', keyRef: { kind: 'file', path: sealPath }, trust });
  for (const [role, step] of [['subject_teacher', 'subject'], ['homeroom_teacher', 'homeroom'], ['principal', 'principal'], ['clerk', 'seal']] as Array<[keyof TestSchool['users'], SigningStep]>) {
    const b = await prepareSigningBatch({ db: database.db, actor: await actorOf(role), who: who(role), schoolId: school.schoolId, step, target: { classId: school.classId }, env });
    const r = await signBatchWithServerKey({ db: database.db, actor: await actorOf(role), who: who(role), schoolId: school.schoolId, batchId: b.batchId, password: TEST_PASSWORD, env });
    assert.equal(r.progress.failed + r.progress.refused, 0, `${step}: ${JSON.stringify(r.results.filter((x) => x.error))}`);
  }
  const versions = await database.db.select({ id: recordVersions.id, state: recordVersions.state, studentId: recordVersions.studentId }).from(recordVersions).where(eq(recordVersions.schoolId, school.schoolId));
  assert.equal(versions.length, records);
  assert.ok(versions.every((v) => v.state === 'sealed'), JSON.stringify(versions.map((v) => v.state)));
  return { school, schoolCode: prefix.toUpperCase(), versionIds: versions.map((v) => v.id), e101VersionId: versions.find((v) => v.studentId === extraIds[0])!.id };
}
