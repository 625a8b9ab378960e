/**
 * The học bạ documents at school size: for 1,500 records, the canonical HBS XML and the
 * PDF/A-3 with the XML embedded (both from the snapshot). Prints records per second and peak
 * memory. (Freezing itself — reading the grade book — is measured with the assessment and
 * import benchmarks' data paths; this one measures the documents.)
 */
import { hbsV1 } from '../src/documents/hbs-xml/hbs-v1.ts';
import { fullSnapshot } from '../src/documents/hbs-xml/test-snapshots.ts';
import { renderRecordPdf } from '../src/documents/pdf/render-record.ts';

export async function run(): Promise<void> {
  const N = 1500;
  const base = fullSnapshot();
  const snapshots = Array.from({ length: N }, (_, i) => ({ ...base, identity: { ...base.identity, fullName: `${base.identity.fullName} ${String.fromCharCode(65 + (i % 26))}`, studentCode: String(3800000000 + i) } }));
  let peak = 0;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  let t0 = performance.now();
  const xmls = snapshots.map((s) => hbsV1.serialize(s));
  const xmlMs = performance.now() - t0;
  sample();
  t0 = performance.now();
  let bytes = 0;
  for (let i = 0; i < N; i++) {
    bytes += (await renderRecordPdf(snapshots[i]!, { xml: xmls[i]! })).length;
    if (i % 100 === 0) sample();
  }
  const pdfMs = performance.now() - t0;
  sample();
  console.log(`${N} records: XML ${xmlMs.toFixed(0)} ms (${Math.round(N / (xmlMs / 1000))} records/s); PDF/A-3 with embedded XML ${(pdfMs / 1000).toFixed(1)} s (${(N / (pdfMs / 1000)).toFixed(1)} records/s, ${Math.round(bytes / N / 1024)} KiB each); peak RSS ${Math.round(peak / 2 ** 20)} MB`);
}
