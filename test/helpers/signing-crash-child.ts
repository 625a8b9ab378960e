/**
 * The child process of test/http/signing-crash.test.ts: opens the SAME database as the test
 * (a PGlite data dir or a PostgreSQL URL), prepares a batch for one step and completes it one
 * item at a time with the server-held key, reporting on stdout. With HOCBA_CRASH_PAUSE=1 it
 * waits for a line on stdin after every signed item, so the parent can SIGKILL it at a known
 * point without depending on timing. Usage: node --import tsx signing-crash-child.ts <config.json>
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { openDatabase } from '../../src/db/client.ts';
import { inSchool } from '../../src/db/scope.ts';
import type { SigningStep } from '../../src/domain/record/signing-order.ts';
import { loadActor } from '../../src/services/auth/load-actor.ts';
import { activeCertificate } from '../../src/services/certificates/signing-certificates.ts';
import { completeSigningItems } from '../../src/services/signing/complete-batch.ts';
import { certificateOwner, prepareSigningBatch } from '../../src/services/signing/prepare-batch.ts';
import { serverSigner } from '../../src/services/signing/server-signer.ts';
import type { SigningEnv } from '../../src/services/signing/signing-env.ts';
import { revocationClient } from '../../src/signing/revocation/revocation-client.ts';
import { tsaClient } from '../../src/signing/tsa/tsa-client.ts';

export interface CrashChildConfig {
  dataDir?: string;
  url?: string;
  schoolId: string;
  userId: string;
  classId: string;
  step: SigningStep;
  /** base64 DER */
  rootDer: string;
  issuingDer: string;
  tsaUrl: string;
}

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as CrashChildConfig;
const say = (line: string) => process.stdout.write(`${line}\n`);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const database = await openDatabase(config.url ? { url: config.url, poolSize: 2 } : { dataDir: config.dataDir });
const { db } = database;
const env: SigningEnv = {
  trust: { trustAnchors: [Buffer.from(config.rootDer, 'base64')], intermediates: [Buffer.from(config.issuingDer, 'base64')], revocation: revocationClient() },
  timestamp: tsaClient(config.tsaUrl),
  publicUrl: 'http://127.0.0.1:8080',
  dataDir: null,
};
const actor = await loadActor(db, config.userId, config.schoolId);
const who = { userId: config.userId, label: 'crash-child' };
const batch = await prepareSigningBatch({ db, actor, who, schoolId: config.schoolId, step: config.step, target: { classId: config.classId }, env });
say(`prepared ${batch.batchId} ${batch.items.length} ${batch.refused.length}`);

// The same key the server would use (the certificate's keyRef file), all digests at once.
const cert = await inSchool(db, config.schoolId, (tx) => activeCertificate(tx, config.schoolId, certificateOwner(config.step, config.userId)));
if (!cert) throw new Error(`no active certificate for step ${config.step}`);
const signer = await serverSigner(cert, env);
const values = await signer.signDigests({ algorithm: batch.algorithm, items: batch.items.map((i) => ({ digest: new Uint8Array(Buffer.from(i.digest, 'base64')) })) });

for (const [k, item] of batch.items.entries()) {
  say(`start ${k + 1} ${item.versionId}`);
  const r = await completeSigningItems({ db, actor, who, schoolId: config.schoolId, batchId: batch.batchId, values: [{ itemId: item.itemId, signatureValue: values[k]! }], env });
  const res = r.results[0]!;
  if (res.status !== 'signed') throw new Error(`item ${k + 1} (${item.versionId}): ${res.status} ${res.error?.code ?? ''} ${res.error?.message ?? ''}`);
  say(`signed ${k + 1} ${item.versionId}`);
  if (process.env.HOCBA_CRASH_PAUSE === '1') await lines.next();
}
say('done');
await database.close();
process.exit(0);
