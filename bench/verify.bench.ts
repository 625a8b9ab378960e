/**
 * Verification speed of the public verification service (verifyRecord: what POST
 * /api/public/verify and `hocba verify` run): sealed records made through the real signing
 * chain on PGlite — the record XML (9 signatures: six subject rows, homeroom, principal,
 * seal XAdES-T) and the sealed PDF (PAdES seal B-LT plus the embedded XML's 9 signatures
 * and the comparison with the stored XML) — and a synthetic 15-signature record XML (12
 * subject rows). Revocation online through one caching OCSP client against the local test
 * responder (answers reused until nextUpdate, as on the server). Side by side, xmlsec1
 * verifying the same 15 XML signatures (one process per signature, as a script would).
 */
import { spawnSync } from 'node:child_process';
import { hbsV1, serializeHbsV1 } from '../src/documents/hbs-xml/hbs-v1.ts';
import { fullSnapshot } from '../src/documents/hbs-xml/test-snapshots.ts';
import { currentXmlOf, sealedPdfOf } from '../src/services/records/document-store.ts';
import { localRecordByDigest } from '../src/services/verification/local-status.ts';
import { sealedSchool } from '../src/services/verification/testing.ts';
import { verifyRecord, type VerifyRecordOptions } from '../src/services/verification/verify-record.ts';
import { revocationClient } from '../src/signing/revocation/revocation-client.ts';
import { tsaClient } from '../src/signing/tsa/tsa-client.ts';
import { signXmlInOrder, type XmlSigningStep } from '../src/signing/validation/testing.ts';
import { xmlsec1Verifier } from '../src/signing/xades/testing.ts';
import { freshDatabase } from '../test/helpers/db.ts';
import { sharedTestPki } from '../test/helpers/test-pki.ts';
import type { Figure } from './results.ts';

async function measure(label: string, doc: Uint8Array, opts: VerifyRecordOptions, signatures: number, expect: string, rounds = 10): Promise<Figure> {
  const first = await verifyRecord(doc, opts); // warm-up (JIT, OCSP cache)
  if (first.verdict !== expect) throw new Error(`bench: ${label} is ${first.verdict}, expected ${expect}`);
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) await verifyRecord(doc, opts);
  const ms = (performance.now() - t0) / rounds;
  console.log(`  ${label.padEnd(48)} ${(1000 / ms).toFixed(1).padStart(6)} verifications/s  ${((signatures * 1000) / ms).toFixed(0).padStart(5)} signatures/s  (${ms.toFixed(0)} ms each, ${Math.round(doc.length / 1024)} KiB)`);
  return { name: `verifyRecord: ${label}`, value: 1000 / ms, unit: 'verifications/s', scale: `${rounds} rounds` };
}

export async function run(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const database = await freshDatabase('pglite');
  const fx = await sealedSchool(database, 'bench', 1);
  try {
    const id = fx.versionIds[0]!;
    // Documents live in the content-addressed store (sealed PDF blob, XML rebuilt from its splices).
    const pdf = (await sealedPdfOf(database.db, id))?.pdf;
    const xml = await currentXmlOf(database.db, id);
    if (!pdf || !xml) throw new Error(`bench: sealed version ${id} has no ${pdf ? 'XML' : 'PDF'}`);
    const shared = await sharedTestPki();
    const opts: VerifyRecordOptions = {
      trust: { trustAnchors: [shared.pki.root.certificate], intermediates: [shared.pki.issuing.certificate], revocation: revocationClient() },
      local: async (rec) => localRecordByDigest(database.db, rec.digest, 'http://127.0.0.1:8080'),
    };
    const n = (await verifyRecord(Buffer.from(xml), opts)).validation.signatures.length;
    figures.push(await measure(`sealed record XML (${n} signatures)`, Buffer.from(xml), opts, n, 'valid'));
    figures.push(await measure(`sealed record PDF (seal + embedded XML, ${n + 1} sig.)`, new Uint8Array(pdf), opts, n + 1, 'valid'));

    // 15 signatures: 12 subject rows, homeroom, principal, seal (XAdES-T), as a full year has.
    const [teacher, homeroom, principal, seal] = await Promise.all([shared.signer('Giáo viên BENCH'), shared.signer('Chủ nhiệm BENCH'), shared.signer('Hiệu trưởng BENCH'), shared.seal('Trường BENCH')]);
    const snapshot = fullSnapshot();
    const base = snapshot.year.subjects;
    snapshot.year.subjects = Array.from({ length: 12 }, (_, i) => ({ ...base[i % base.length]!, code: `${base[i % base.length]!.code}${i}` }));
    const ids = hbsV1.dataElementIds(snapshot);
    const t = Date.now() - 30 * 60_000;
    const subjectSigs = ids.subjects.map((s) => `sig-${s.id}`);
    const steps: XmlSigningStep[] = [
      ...ids.subjects.map((s, i) => ({ id: `sig-${s.id}`, who: teacher, role: 'Giáo viên bộ môn', references: [s.id], signingTime: new Date(t + i * 1000) })),
      { id: 'sig-homeroom', who: homeroom, role: 'Giáo viên chủ nhiệm', references: [ids.year], signatureReferences: subjectSigs, signingTime: new Date(t + 60_000) },
      { id: 'sig-principal', who: principal, role: 'Hiệu trưởng', references: [ids.record], signatureReferences: [...subjectSigs, 'sig-homeroom'], signingTime: new Date(t + 120_000) },
      { id: 'sig-seal', who: seal, role: 'Văn thư', references: [ids.record], signatureReferences: [...subjectSigs, 'sig-homeroom', 'sig-principal'], signingTime: new Date(t + 180_000), timestamp: tsaClient(`${shared.url}/tsa`) },
    ];
    const big = await signXmlInOrder(serializeHbsV1(snapshot), steps, hbsV1.signatureContainer);
    figures.push(await measure('record XML, 15 signatures (other deployment)', Buffer.from(big), { trust: opts.trust }, 15, 'valid'));

    if (spawnSync('sh', ['-c', 'command -v xmlsec1']).status === 0) {
      const v = await xmlsec1Verifier({ rootPem: shared.pki.root.certificatePem, intermediatePems: [shared.pki.issuing.certificatePem], idElements: ['Data', 'Identity', 'Year', 'Subject'].map((e) => `urn:hocba:hbs:1:${e}`) });
      try {
        const sigIds = steps.map((s) => s.id);
        const rounds = 3;
        const t0 = performance.now();
        for (let r = 0; r < rounds; r++) for (const sid of sigIds) if (!(await v.verify(big, sid)).ok) throw new Error(`bench: xmlsec1 rejects ${sid}`);
        const ms = (performance.now() - t0) / rounds;
        figures.push({ name: 'xmlsec1, same 15 signatures (one process each)', value: 1000 / ms, unit: 'documents/s', scale: `${rounds} rounds`, notes: 'no revocation/timestamp check' });
        console.log(`  ${'xmlsec1, the same 15 signatures (15 processes)'.padEnd(48)} ${(1000 / ms).toFixed(1).padStart(6)} documents/s      ${((15 * 1000) / ms).toFixed(0).padStart(5)} signatures/s  (${ms.toFixed(0)} ms per document; no revocation, no timestamp check)`);
      } finally {
        await v.close();
      }
    } else console.log('  xmlsec1 not installed: side-by-side figure skipped');
  } finally {
    await fx.close();
    await database.close();
  }
  return figures;
}
