/**
 * Fuzzing the signed-document validator (validateDocument) with mutated sealed records.
 * Property: never an accepted forgery.
 *  - PDF: any change to the bytes a signature covers (its /ByteRange outside /Contents) is
 *    never "passed".
 *  - XML: whatever the mutation, a "passed" report vouches only for the original record —
 *    the record read back from the mutated document equals the signed one (XML
 *    canonicalisation legitimately ignores some changes, such as CRLF line ends).
 * And never a crash: validateDocument always answers with a report.
 * Longer runs: HOCBA_FUZZ_CASES=400 npm test -- test/fuzz/signed-documents
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sharedTestPki } from '../helpers/test-pki.ts';
import { hbsV1, parseHbsV1, serializeHbsV1 } from '../../src/documents/hbs-xml/hbs-v1.ts';
import { fullSnapshot } from '../../src/documents/hbs-xml/test-snapshots.ts';
import { renderRecordPdf } from '../../src/documents/pdf/render-record.ts';
import { longSnapshot } from '../../src/documents/pdf/test-snapshots.ts';
import { readPdfSignatures, signPdf } from '../../src/signing/pades/index.ts';
import { revocationClient, type RevocationClient } from '../../src/signing/revocation/revocation-client.ts';
import { softwareSigner } from '../../src/signing/signers/software-signer.ts';
import { tsaClient } from '../../src/signing/tsa/tsa-client.ts';
import { validateDocument, type ValidateDocumentOptions, type ValidationReport } from '../../src/signing/validation/index.ts';
import { addValidationDataForAll, signXmlInOrder } from '../../src/signing/validation/testing.ts';
import { fuzz, HOSTILE_TEXT, mutate, type Rand } from './mutator.ts';

const MINUTE = 60_000;
const failing = (r: ValidationReport) => JSON.stringify(r.signatures.map((s) => [s.id, Object.fromEntries(Object.entries(s.checks).filter(([, c]) => c.status !== 'passed'))]));

/** One change at a position the signature covers: bit flips, an overwrite, an insertion or a deletion. */
function mutateCovered(r: Rand, pdf: Buffer, ranges: Array<[number, number]>): { out: Buffer; how: string } | null {
  const [from, to] = r.pick(ranges);
  const at = from + r.int(to - from);
  const kind = r.int(4);
  if (kind === 0) {
    const out = Buffer.from(pdf);
    out[at] = out[at]! ^ (1 << r.int(8));
    return { out, how: `flip a bit at ${at}` };
  }
  if (kind === 1) {
    const text = Buffer.from(r.pick(HOSTILE_TEXT) || 'x', 'utf8').subarray(0, Math.max(1, to - at));
    const out = Buffer.from(pdf);
    text.copy(out, at);
    return out.equals(pdf) ? null : { out, how: `overwrite ${text.length} bytes at ${at}` };
  }
  if (kind === 2) return { out: Buffer.concat([pdf.subarray(0, at), Buffer.from(r.pick(HOSTILE_TEXT) || 'x', 'utf8'), pdf.subarray(at)]), how: `insert at ${at}` };
  const len = 1 + r.int(Math.min(32, to - at));
  return { out: Buffer.concat([pdf.subarray(0, at), pdf.subarray(at + len)]), how: `delete ${len} bytes at ${at}` };
}

describe('fuzz: signed documents are never accepted once tampered with', () => {
  let revocation: RevocationClient;
  let trust: Uint8Array[];

  before(async () => {
    const shared = await sharedTestPki();
    trust = [shared.pki.root.certificate];
    revocation = revocationClient(); // cached: the statuses do not change during this suite
  });

  test('sealed XML (four XAdES signatures, the seal with a timestamp): passed ⇒ the original record', async () => {
    const shared = await sharedTestPki();
    const doc0 = serializeHbsV1(fullSnapshot());
    const ids = hbsV1.dataElementIds(doc0);
    const T0 = Date.now() - 20 * MINUTE;
    const signed = await signXmlInOrder(
      doc0,
      [
        { id: 'sig-subject-TOAN', who: await shared.signer('Phạm Văn Bình'), role: 'Giáo viên bộ môn', references: ['subject-TOAN'], signingTime: new Date(T0) },
        { id: 'sig-homeroom', who: await shared.signer('Bùi Thị Hạnh'), role: 'Giáo viên chủ nhiệm', references: [ids.year], signatureReferences: ['sig-subject-TOAN'], signingTime: new Date(T0 + MINUTE) },
        { id: 'sig-principal', who: await shared.signer('Trần Văn Hiệu'), role: 'Hiệu trưởng', references: [ids.record], signatureReferences: ['sig-subject-TOAN', 'sig-homeroom'], signingTime: new Date(T0 + 2 * MINUTE) },
        { id: 'sig-seal', who: await shared.seal('Trường THPT Chu Văn An TEST'), role: 'Văn thư', references: [ids.record], signatureReferences: ['sig-subject-TOAN', 'sig-homeroom', 'sig-principal'], signingTime: new Date(T0 + 3 * MINUTE), timestamp: tsaClient(`${shared.url}/tsa`) },
      ],
      hbsV1.signatureContainer,
    );
    const opts: ValidateDocumentOptions = { trustAnchors: trust, revocation, xmlContainer: hbsV1.signatureContainer };
    const original = serializeHbsV1(parseHbsV1(signed));
    const base = await validateDocument(Buffer.from(signed, 'utf8'), opts);
    assert.equal(base.status, 'passed', `the unmutated document passes: ${failing(base)}`);
    const bytes = Buffer.from(signed, 'utf8');
    let refused = 0;
    const cases = await countingFuzz('signed-xml', 40, async (r) => {
      const m = mutate(r, bytes, 2);
      const report = await validateDocument(m.out, opts);
      assert.ok(['passed', 'failed', 'indeterminate'].includes(report.status));
      if (report.status !== 'passed') {
        refused++;
        return;
      }
      let claimed: string;
      try {
        claimed = serializeHbsV1(parseHbsV1(m.out.toString('utf8')));
      } catch (err) {
        throw new Error(`passed, but the record cannot be read back (${(err as Error).message}); mutation: ${m.how.join('; ')}`);
      }
      assert.equal(claimed, original, `accepted forgery: ${m.how.join('; ')}`);
    });
    assert.ok(refused >= cases / 2, `most mutations are refused (${refused}/${cases})`);
  });

  test('sealed PDF (principal + seal with timestamp + DSS): a change to signed bytes is never passed', async () => {
    const shared = await sharedTestPki();
    const T0 = Date.now() - 20 * MINUTE;
    const sign = (pdf: Uint8Array, who: Awaited<ReturnType<typeof shared.signer>>, fieldName: string, signingTime: Date, timestamp = false) =>
      signPdf({ pdf, signer: softwareSigner({ privateKey: who.privateKey, chain: who.chain }), fieldName, signingTime, ...(timestamp ? { timestamp: tsaClient(`${shared.url}/tsa`) } : {}) });
    const record = new Uint8Array(await renderRecordPdf(longSnapshot()));
    const approved = await sign(record, await shared.signer('Nguyễn Văn Hiệu'), 'Hiệu trưởng', new Date(T0));
    const sealed = await sign(approved, await shared.seal('Trường THPT Chu Văn An TEST'), 'Văn thư – đóng dấu', new Date(T0 + MINUTE), true);
    const withDss = Buffer.from(await addValidationDataForAll(sealed, revocation, trust));
    const opts: ValidateDocumentOptions = { trustAnchors: trust, revocation: 'offline' };
    const base = await validateDocument(withDss, opts);
    assert.equal(base.status, 'passed', `the unmutated PDF passes: ${failing(base)}`);
    // Covered bytes of every signature: its byte ranges (the /Contents gap is not covered).
    const ranges: Array<[number, number]> = [];
    for (const s of readPdfSignatures(withDss)) {
      const br = s.byteRange as [number, number, number, number];
      ranges.push([br[0], br[0] + br[1]], [br[2], br[2] + br[3]]);
    }
    assert.ok(ranges.length >= 4);
    await countingFuzz('signed-pdf', 40, async (r) => {
      const m = mutateCovered(r, withDss, ranges);
      if (!m) return;
      const report = await validateDocument(m.out, opts);
      assert.notEqual(report.status, 'passed', `accepted forgery: ${m.how}`);
    });
  });
});

/** fuzz() that also returns how many cases ran. */
async function countingFuzz(name: string, n: number, body: (r: Rand) => Promise<void>): Promise<number> {
  let count = 0;
  await fuzz(name, n, async (r) => {
    count++;
    await body(r);
  });
  return count;
}
