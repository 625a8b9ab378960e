/**
 * The PDF reader under signing: xref streams and object streams (files not made by pdfkit),
 * incremental updates written in the file's own xref style, and defensive parsing of broken,
 * hostile or oversized input — always SigningError('document_invalid') naming the problem.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { runTool, sharedTestPki, toolSkip } from '../../../test/helpers/test-pki.ts';
import { renderRecordPdf } from '../../documents/pdf/render-record.ts';
import { fullSnapshot } from '../../documents/hbs-xml/test-snapshots.ts';
import type { PkiIdentity } from '../pki/test-pki.ts';
import { SigningError } from '../signer.ts';
import { softwareSigner } from '../signers/software-signer.ts';
import { MAX_PDF_BYTES, openPdf } from './pdf-document.ts';
import { PdfDict, PdfLexer, PdfString } from './pdf-objects.ts';
import { decodeText, parsePdfDate, pdfDate, textString } from './pdf-text.ts';
import { preparePadesSignature } from './prepare-pades.ts';
import { readPdfSignatures } from './read-signatures.ts';
import { readDss } from './dss.ts';
import { signPdf } from './sign-pdf.ts';

const skipTools = toolSkip('pdfsig', 'certutil');
const invalid = (re: RegExp) => (e: unknown) => e instanceof SigningError && e.code === 'document_invalid' && re.test(e.message);

interface HandmadeOptions {
  /** Cross-reference as an xref stream (Flate + PNG Up predictor) instead of a table. */
  xrefStream?: boolean;
  /** Put the catalog and the page tree root in a compressed object stream (needs xrefStream). */
  objectStream?: boolean;
}

/** A small one-page PDF written by hand in the styles pdfkit never uses. */
function handmadePdf(o: HandmadeOptions = {}): Uint8Array {
  const plain = new Map<number, string>([
    [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << >> >>'],
    [4, '<< /Length 18 >>\nstream\n0 0 m 100 100 l S\nendstream'],
  ]);
  const packed = new Map<number, string>([
    [1, '<< /Type /Catalog /Pages 2 0 R >>'],
    [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
  ]);
  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let len = chunks[0]!.length;
  const offsets = new Map<number, number>();
  const put = (num: number, body: Buffer | string) => {
    offsets.set(num, len);
    const b = Buffer.concat([Buffer.from(`${num} 0 obj\n`), Buffer.from(body as string, 'latin1'), Buffer.from('\nendobj\n')]);
    chunks.push(b);
    len += b.length;
  };
  for (const [n, body] of plain) put(n, body);
  if (o.objectStream) {
    let header = '';
    let data = '';
    for (const [n, body] of packed) {
      header += `${n} ${data.length} `;
      data += `${body}\n`;
    }
    const payload = deflateSync(Buffer.from(header + data, 'latin1'));
    put(5, Buffer.concat([Buffer.from(`<< /Type /ObjStm /N ${packed.size} /First ${header.length} /Filter /FlateDecode /Length ${payload.length} >>\nstream\n`), payload, Buffer.from('\nendstream')]));
  } else for (const [n, body] of packed) put(n, body);
  const xrefAt = len;
  if (!o.xrefStream) {
    let t = 'xref\n0 6\n0000000000 65535 f\r\n';
    for (let n = 1; n <= 5; n++) t += offsets.has(n) ? `${String(offsets.get(n)).padStart(10, '0')} 00000 n\r\n` : '0000000000 65535 f\r\n';
    chunks.push(Buffer.from(`${t}trailer\n<< /Size 6 /Root 1 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>] >>\nstartxref\n${xrefAt}\n%%EOF\n`));
  } else {
    // Rows of W [1 4 2] for objects 0..6, PNG "Up" predicted (Predictor 12, Columns 7).
    const rows: number[][] = [];
    for (let n = 0; n <= 6; n++) {
      const r = Buffer.alloc(7);
      if (n === 6) r.writeUInt8(1, 0), r.writeUInt32BE(xrefAt, 1);
      else if (o.objectStream && packed.has(n)) r.writeUInt8(2, 0), r.writeUInt32BE(5, 1), r.writeUInt16BE([...packed.keys()].indexOf(n), 5);
      else if (offsets.has(n)) r.writeUInt8(1, 0), r.writeUInt32BE(offsets.get(n)!, 1);
      else r.writeUInt16BE(0xffff, 5);
      rows.push([...r]);
    }
    const predicted = rows.flatMap((r, i) => [2, ...r.map((b, k) => (b - (i ? rows[i - 1]![k]! : 0)) & 0xff)]);
    const payload = deflateSync(Buffer.from(predicted));
    put(6, Buffer.concat([Buffer.from(`<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >> /Length ${payload.length} >>\nstream\n`), payload, Buffer.from('\nendstream')]));
    chunks.push(Buffer.from(`startxref\n${xrefAt}\n%%EOF\n`));
  }
  return new Uint8Array(Buffer.concat(chunks));
}

let dir = '';
let person: PkiIdentity;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hocba-pdfdoc-'));
  person = await (await sharedTestPki()).signer('Vũ Thị Ngọc Ánh');
});
after(() => rm(dir, { recursive: true, force: true }));

describe('PDF reader: xref tables, xref streams and object streams', () => {
  test('finds the catalog and the last page in every cross-reference style', () => {
    for (const o of [{}, { xrefStream: true }, { xrefStream: true, objectStream: true }]) {
      const doc = openPdf(handmadePdf(o));
      assert.equal(doc.catalogRef.num, 1, JSON.stringify(o));
      assert.equal(doc.sections[0]!.kind, o.xrefStream ? 'stream' : 'table');
      assert.ok(doc.catalog() instanceof PdfDict);
    }
  });

  test('signatures are added in the file’s own xref style and pdfsig validates them (two on an object-stream PDF)', { skip: skipTools }, async () => {
    const { pki } = await sharedTestPki();
    await mkdir(join(dir, 'nss'));
    assert.equal((await runTool('certutil', ['-N', '-d', `sql:${dir}/nss`, '--empty-password'])).status, 0);
    await writeFile(join(dir, 'root.pem'), pki.root.certificatePem);
    assert.equal((await runTool('certutil', ['-A', '-d', `sql:${dir}/nss`, '-n', 'root', '-t', 'CT,C,C', '-i', join(dir, 'root.pem')])).status, 0);
    const signer = softwareSigner({ privateKey: person.privateKey, chain: person.chain });
    for (const [label, o] of Object.entries({ table: {}, stream: { xrefStream: true }, objstm: { xrefStream: true, objectStream: true } })) {
      const pdf = handmadePdf(o);
      const once = await signPdf({ pdf, signer, fieldName: 'Một', signingTime: new Date('2026-06-01T00:00:00Z') });
      const twice = await signPdf({ pdf: once, signer, fieldName: 'Hai', signingTime: new Date('2026-06-01T00:05:00Z') });
      assert.equal(openPdf(twice).sections[0]!.kind, o.xrefStream ? 'stream' : 'table', label);
      assert.deepEqual(readPdfSignatures(twice).map((s) => [s.fieldName, s.coversRevision]), [['Một', true], ['Hai', true]]);
      await writeFile(join(dir, `${label}.pdf`), twice);
      const r = await runTool('pdfsig', ['-nssdir', `sql:${dir}/nss`, join(dir, `${label}.pdf`)]);
      assert.equal((r.stdout.match(/Signature is Valid\./g) ?? []).length, 2, `${label}: ${r.stdout}${r.stderr}`);
      assert.doesNotMatch(r.stderr, /Syntax Error/, label);
    }
  });

  test('an unsigned PDF has no signatures and no DSS', async () => {
    const pdf = new Uint8Array(await renderRecordPdf(fullSnapshot()));
    assert.deepEqual(readPdfSignatures(pdf), []);
    assert.deepEqual(readDss(pdf), { present: false, certificates: [], ocspResponses: [], crls: [] });
  });
});

describe('PDF reader: hostile and broken input is refused with a reason', () => {
  const good = () => Buffer.from(handmadePdf());
  const replace = (b: Buffer, from: string, to: string) => {
    const s = b.toString('latin1');
    assert.ok(s.includes(from), from);
    return new Uint8Array(Buffer.from(s.replace(from, to), 'latin1'));
  };

  test('not a PDF, truncated, oversized, encrypted', () => {
    assert.throws(() => openPdf(new Uint8Array(Buffer.from('<html>not a pdf</html>'.repeat(4)))), invalid(/%PDF- header/));
    const g = good();
    assert.throws(() => openPdf(g.subarray(0, g.length - 40)), invalid(/truncated/));
    const big = Buffer.alloc(MAX_PDF_BYTES + 1);
    big.write('%PDF-1.7\n');
    assert.throws(() => openPdf(big), invalid(/above the .*-byte limit/));
    assert.throws(() => openPdf(replace(g, '/Size 6 /Root 1 0 R', '/Size 6 /Encrypt 9 0 R /Root 1 0 R')), invalid(/encrypted/));
  });

  test('bad startxref, a looping /Prev chain, an xref offset pointing at the wrong object', () => {
    const g = good();
    const at = g.toString('latin1').lastIndexOf('startxref\n') + 10;
    const xref = Number(/\d+/.exec(g.toString('latin1').slice(at))![0]);
    assert.throws(() => openPdf(replace(g, `startxref\n${xref}`, `startxref\n${xref + 999999}`)), invalid(/outside the file/));
    assert.throws(() => openPdf(replace(g, '/Size 6 /Root', `/Size 6 /Prev ${xref} /Root`)), invalid(/loops at byte/));
    // Point the xref entry of object 1 (the catalog) at object 2: the lookup must notice.
    const wrong = Buffer.from(g);
    const table = wrong.indexOf('xref\n0 6\n') + 'xref\n0 6\n'.length;
    wrong.copy(wrong, table + 20, table + 40, table + 60);
    assert.throws(() => openPdf(new Uint8Array(wrong)).catalog(), invalid(/expected object 1 but found object 2/));
  });

  test('deep nesting and unterminated tokens', () => {
    assert.throws(() => new PdfLexer(Buffer.from('['.repeat(500))).readValue(), invalid(/nested too deeply/));
    assert.throws(() => new PdfLexer(Buffer.from('(never closed')).readValue(), invalid(/unterminated string/));
    assert.throws(() => new PdfLexer(Buffer.from('<< /A 1')).readValue(), invalid(/unterminated dictionary/));
    assert.throws(() => new PdfLexer(Buffer.from('<12zz>')).readValue(), invalid(/hex string/));
  });

  test('random corruption of a real record never escapes as anything but document_invalid', async () => {
    const base = new Uint8Array(await signPdf({ pdf: new Uint8Array(await renderRecordPdf(fullSnapshot())), signer: softwareSigner({ privateKey: person.privateKey, chain: person.chain }), fieldName: 'X', signingTime: new Date('2026-06-01T00:00:00Z') }));
    let seed = 20260601;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) % 1_000_000) / 1_000_000;
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const b = new Uint8Array(base);
      // Damage the structure near the end (xref, trailer, signature) where parsing decisions are made.
      for (let k = 0; k < 4; k++) b[Math.floor(b.length - 1 - rand() * 30000)] = Math.floor(rand() * 256);
      try {
        readPdfSignatures(b);
        readDss(b);
      } catch (e) {
        assert.ok(e instanceof SigningError && e.code === 'document_invalid', `iteration ${i}: ${String(e)}`);
        refused++;
      }
    }
    assert.ok(refused > 0, 'some corruptions must be detected');
  });

  test('a /ByteRange that stops short of the revision end, or skips more than /Contents, is reported', async () => {
    const signed = Buffer.from(await signPdf({ pdf: handmadePdf(), signer: softwareSigner({ privateKey: person.privateKey, chain: person.chain }), fieldName: 'S', signingTime: new Date() }));
    const [sig] = readPdfSignatures(signed);
    const [a, b, c, d] = sig!.byteRange as [number, number, number, number];
    const rewrite = (br: number[]) => {
      const out = Buffer.from(signed);
      const at = out.indexOf('/ByteRange [') + 11;
      const width = out.indexOf('/Contents', at) - at - 1;
      out.write(`[${br.join(' ')}]`.padEnd(width), at, 'latin1');
      return readPdfSignatures(out)[0]!;
    };
    const short = rewrite([a, b, c, d - 10]);
    assert.equal(short.coversRevision, false);
    assert.match(short.byteRangeProblems.join(' '), /signature field "S" \(object \d+\): the signed bytes end at byte \d+, which is not the end of a revision/);
    const gap = rewrite([a, b - 20, c, d]);
    assert.match(gap.byteRangeProblems.join(' '), /is not exactly the \/Contents value/);
    assert.equal(rewrite([a, b, c, d]).coversWholeFile, true);
  });

  test('a PDF certified with "no changes" (DocMDP P=1) is not signed again', () => {
    const g = good();
    const pdf = replace(g, '<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Catalog /Pages 2 0 R /Perms << /DocMDP << /Type /Sig /Reference [<< /TransformMethod /DocMDP /TransformParams << /P 1 >> >>] >> >> >>');
    assert.throws(
      () => preparePadesSignature({ pdf: fixXref(pdf), chain: person.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256', fieldName: 'N', signingTime: new Date() }),
      invalid(/DocMDP P=1/),
    );
  });
});

/** Recomputes the classic xref offsets of a hand-edited one-section PDF. */
function fixXref(pdf: Uint8Array): Uint8Array {
  const s = Buffer.from(pdf).toString('latin1');
  const head = s.slice(0, s.indexOf('xref\n'));
  let t = 'xref\n0 6\n0000000000 65535 f\r\n';
  for (let n = 1; n <= 5; n++) {
    const k = head.indexOf(`\n${n} 0 obj`);
    t += k >= 0 ? `${String(k + 1).padStart(10, '0')} 00000 n\r\n` : '0000000000 65535 f\r\n';
  }
  const trailer = s.slice(s.indexOf('trailer'), s.indexOf('startxref'));
  return new Uint8Array(Buffer.from(`${head}${t}${trailer}startxref\n${head.length}\n%%EOF\n`, 'latin1'));
}

describe('PDF text strings and dates', () => {
  test('Vietnamese text round-trips as UTF-16BE; ASCII stays readable', () => {
    for (const s of ['Nguyễn Văn Hiệu', 'Phê duyệt học bạ', 'Văn thư – đóng dấu', 'Ha Noi (VN) \\ test']) {
      const t = textString(s);
      assert.equal(decodeText(t.bytes), s);
    }
    assert.equal(textString('ABC').hex, false);
    assert.deepEqual([...textString('Ễ').bytes.subarray(0, 2)], [0xfe, 0xff]);
    assert.ok(new PdfString(new Uint8Array([0xef, 0xbb, 0xbf, 0xc3, 0xa1]), false) && decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0xc3, 0xa1])) === 'á');
  });

  test('PDF dates: written in UTC, read with offsets', () => {
    const d = new Date('2026-06-01T02:30:05Z');
    assert.equal(pdfDate(d), "D:20260601023005+00'00'");
    assert.equal(parsePdfDate(pdfDate(d))?.toISOString(), d.toISOString());
    assert.equal(parsePdfDate("D:20260601093005+07'00'")?.toISOString(), d.toISOString());
    assert.equal(parsePdfDate('D:20260601023005Z')?.toISOString(), d.toISOString());
    assert.equal(parsePdfDate('D:2026')?.toISOString(), '2026-01-01T00:00:00.000Z');
    assert.equal(parsePdfDate('yesterday'), null);
  });
});
