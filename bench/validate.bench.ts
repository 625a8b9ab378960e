/**
 * Validation speed: validateDocument on a record XML with 15 XAdES signatures (12 subject
 * teachers, homeroom, principal, seal with XAdES-T) and on the record PDF with 2 PAdES
 * signatures (principal, seal B-T) plus /DSS, offline (embedded data only). The XML is also
 * measured online with a caching OCSP client against the local test responder (what the
 * public page does: answers are reused until their nextUpdate). RSA-2048 software keys.
 */
import { hbsV1, serializeHbsV1 } from '../src/documents/hbs-xml/hbs-v1.ts';
import { fullSnapshot } from '../src/documents/hbs-xml/test-snapshots.ts';
import { renderRecordPdf } from '../src/documents/pdf/render-record.ts';
import { signPdf } from '../src/signing/pades/index.ts';
import { listenPkiServices } from '../src/signing/pki/pki-services.ts';
import { createTestPki } from '../src/signing/pki/test-pki.ts';
import { revocationClient } from '../src/signing/revocation/revocation-client.ts';
import { softwareSigner } from '../src/signing/signers/software-signer.ts';
import { tsaClient } from '../src/signing/tsa/tsa-client.ts';
import { validateDocument, type ValidateDocumentOptions } from '../src/signing/validation/index.ts';
import { addValidationDataForAll, signXmlInOrder, type XmlSigningStep } from '../src/signing/validation/testing.ts';
import type { Figure } from './results.ts';

async function measure(label: string, doc: Uint8Array, opts: ValidateDocumentOptions, signatures: number, expect: string): Promise<Figure> {
  const first = await validateDocument(doc, opts); // warm-up (JIT, caches)
  if (first.status !== expect) throw new Error(`bench: ${label} is ${first.status}, expected ${expect}`);
  const rounds = 20;
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) await validateDocument(doc, opts);
  const ms = (performance.now() - t0) / rounds;
  console.log(`  ${label.padEnd(44)} ${(1000 / ms).toFixed(1).padStart(6)} validations/s  ${((signatures * 1000) / ms).toFixed(0).padStart(5)} signatures/s  (${ms.toFixed(0)} ms each, ${Math.round(doc.length / 1024)} KiB, report ${first.status})`);
  return { name: `validateDocument: ${label}`, value: 1000 / ms, unit: 'documents/s', scale: `${rounds} rounds`, notes: `${signatures} sig.` };
}

export async function run(): Promise<Figure[]> {
  const services = await listenPkiServices();
  try {
    const pki = await createTestPki({ baseUrl: services.url, label: 'hocba BENCH' });
    services.attach(pki);
    const [teacher, homeroom, principal, seal] = await Promise.all([
      pki.issue({ commonName: 'Giáo viên BENCH' }),
      pki.issue({ commonName: 'Chủ nhiệm BENCH' }),
      pki.issue({ commonName: 'Hiệu trưởng BENCH' }),
      pki.issue({ commonName: 'Trường BENCH', kind: 'seal' }),
    ]);
    const tsa = tsaClient(`${services.url}/tsa`);
    const anchors = { trustAnchors: [pki.root.certificate] };

    // XML: 12 subject rows, 15 signatures in the legal order.
    const snapshot = fullSnapshot();
    const base = snapshot.year.subjects;
    snapshot.year.subjects = Array.from({ length: 12 }, (_, i) => ({ ...base[i % base.length]!, code: `${base[i % base.length]!.code}${i}` }));
    const ids = hbsV1.dataElementIds(snapshot);
    const t = Date.now() - 30 * 60_000;
    const done: string[] = [];
    const steps: XmlSigningStep[] = [
      ...ids.subjects.map((s) => ({ id: `sig-${s.id}`, who: teacher!, role: 'Giáo viên bộ môn', references: [s.id] })),
      { id: 'sig-homeroom', who: homeroom!, role: 'Giáo viên chủ nhiệm', references: [ids.year] },
      { id: 'sig-principal', who: principal!, role: 'Hiệu trưởng', references: [ids.record] },
      { id: 'sig-seal', who: seal!, role: 'Văn thư', references: [ids.record], timestamp: tsa },
    ].map((s, i) => {
      const step = { ...s, signingTime: new Date(t + i * 60_000), signatureReferences: i >= 12 ? [...done] : [] };
      done.push(s.id);
      return step;
    });
    const xml = new TextEncoder().encode(await signXmlInOrder(serializeHbsV1(snapshot), steps, hbsV1.signatureContainer));

    // PDF: principal, then the seal with a timestamp, then the DSS for both.
    const record = new Uint8Array(await renderRecordPdf(snapshot));
    const signed1 = await signPdf({ pdf: record, signer: softwareSigner({ privateKey: principal!.privateKey, chain: principal!.chain }), fieldName: 'Hiệu trưởng', signingTime: new Date(t) });
    const signed2 = await signPdf({ pdf: signed1, signer: softwareSigner({ privateKey: seal!.privateKey, chain: seal!.chain }), fieldName: 'Văn thư', signingTime: new Date(t + 60_000), timestamp: tsa });
    const pdf = await addValidationDataForAll(signed2, revocationClient(), [pki.root.certificate]);

    console.log('validateDocument (every check: format, integrity, certificate, chain, key usage, revocation, timestamp, scope):');
    return [
      await measure('XML, 15 XAdES signatures, offline', xml, { ...anchors, revocation: 'offline' }, 15, 'indeterminate'),
      await measure('XML, 15 XAdES signatures, OCSP (cached)', xml, { ...anchors, revocation: revocationClient() }, 15, 'passed'),
      await measure('PDF, 2 PAdES signatures + DSS, offline', pdf, { ...anchors, revocation: 'offline' }, 2, 'passed'),
    ];
  } finally {
    await services.close();
  }
}
