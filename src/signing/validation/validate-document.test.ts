/**
 * What validateDocument does with input that is not a signed XML or PDF: every refusal is a
 * failed report whose document check names the problem (code document_invalid), and a
 * document without signatures is indeterminate ("no signatures"), never passed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { serializeHbsV1 } from '../../documents/hbs-xml/hbs-v1.ts';
import { fullSnapshot } from '../../documents/hbs-xml/test-snapshots.ts';
import { renderRecordPdf } from '../../documents/pdf/render-record.ts';
import { combine, detectDocumentType, validateDocument, type ValidationReport } from './index.ts';

const opts = { trustAnchors: [] as Uint8Array[] };
const utf8 = (s: string) => new TextEncoder().encode(s);

function refused(r: ValidationReport, type: ValidationReport['documentType'], reason: RegExp): void {
  assert.equal(r.status, 'failed');
  assert.equal(r.documentType, type);
  assert.deepEqual(r.signatures, []);
  assert.equal(r.documentChecks.format?.status, 'failed');
  assert.equal(r.documentChecks.format?.code, 'document_invalid');
  assert.match(r.documentChecks.format!.reason, reason);
}

describe('validateDocument: what is not a signed document', () => {
  test('detects XML (BOM, leading white space) and PDF; anything else is unknown', () => {
    assert.equal(detectDocumentType(utf8('<a/>')), 'xml');
    assert.equal(detectDocumentType(utf8('\uFEFF \n<?xml version="1.0"?><a/>')), 'xml');
    assert.equal(detectDocumentType(utf8('%PDF-1.7\n')), 'pdf');
    assert.equal(detectDocumentType(utf8('hello')), 'unknown');
    assert.equal(detectDocumentType(new Uint8Array(0)), 'unknown');
  });

  test('neither XML nor PDF: refused, naming the first bytes', async () => {
    refused(await validateDocument(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]), opts), 'unknown', /neither an XML document nor a PDF \(it starts with bytes 50 4b 03 04 01 02 03 04\)/);
    refused(await validateDocument(new Uint8Array(0), opts), 'unknown', /empty/);
    refused(await validateDocument(new Uint8Array([0xff, 0xfe, 0x3c, 0x00]), opts), 'unknown', /UTF-16/);
  });

  test('a DOCTYPE, an entity (XXE) or a processing trick is refused before parsing', async () => {
    refused(await validateDocument(utf8('<?xml version="1.0"?>\n<!DOCTYPE HocBa [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<HocBa>&x;</HocBa>'), opts), 'xml', /line 2: a DOCTYPE declaration is not allowed/);
    refused(await validateDocument(utf8('<a><!ENTITY y "z"></a>'), opts), 'xml', /ENTITY declaration is not allowed/);
  });

  test('garbage: malformed XML, invalid UTF-8, a broken PDF', async () => {
    refused(await validateDocument(utf8('<HocBa><Data></HocBa>'), opts), 'xml', /XML document: .*/);
    refused(await validateDocument(new Uint8Array([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e]), opts), 'xml', /not valid UTF-8/);
    refused(await validateDocument(utf8('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ngarbage garbage garbage'), opts), 'pdf', /^PDF: .*%%EOF/);
    refused(await validateDocument(utf8(`%PDF-1.7\n${'x'.repeat(100)}\nstartxref\n99999\n%%EOF\n`), opts), 'pdf', /^PDF: cross-reference offset 99999 is outside the file/);
  });

  test('size limits: refused above maxBytes, naming the size and the limit', async () => {
    const xml = serializeHbsV1(fullSnapshot());
    refused(await validateDocument(utf8(xml), { ...opts, maxBytes: 1000 }), 'xml', new RegExp(`is ${Buffer.byteLength(xml)} bytes, above the 1000-byte limit`));
  });

  test('an unsigned record, XML or PDF, is indeterminate: "no signatures"', async () => {
    const xml = await validateDocument(utf8(serializeHbsV1(fullSnapshot())), opts);
    assert.equal(xml.status, 'indeterminate');
    assert.equal(xml.documentChecks.format?.status, 'passed');
    assert.match(xml.documentChecks.signatures!.reason, /^no signatures/);
    const pdf = await validateDocument(new Uint8Array(await renderRecordPdf(fullSnapshot())), opts);
    assert.equal(pdf.documentType, 'pdf');
    assert.equal(pdf.status, 'indeterminate');
    assert.match(pdf.documentChecks.signatures!.reason, /^no signatures/);
    assert.ok(!Number.isNaN(Date.parse(pdf.validatedAt)));
  });

  test('combine: failed beats indeterminate beats passed', () => {
    assert.equal(combine([]), 'passed');
    assert.equal(combine(['passed', 'indeterminate', 'passed']), 'indeterminate');
    assert.equal(combine(['indeterminate', 'failed', 'passed']), 'failed');
  });
});
