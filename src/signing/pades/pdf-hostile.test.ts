/**
 * Hostile PDFs found in the signing-engine review: inputs that must be refused with a
 * SigningError naming the problem (not hours of CPU and gigabytes of memory), and signature
 * layouts that must not count one CMS as two signatures.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sharedTestPki } from '../../../test/helpers/test-pki.ts';
import { fullSnapshot } from '../../documents/hbs-xml/test-snapshots.ts';
import { renderRecordPdf } from '../../documents/pdf/render-record.ts';
import { SigningError } from '../signer.ts';
import { softwareSigner } from '../signers/software-signer.ts';
import { openPdf } from './pdf-document.ts';
import { acroForm, formFields, lastPageRef } from './pdf-form.ts';
import { PdfDict, PdfRef, PdfString, name, type PdfValue } from './pdf-objects.ts';
import { ObjectAllocator, writeUpdate } from './pdf-update.ts';
import { readPdfSignatures } from './read-signatures.ts';
import { signPdf } from './sign-pdf.ts';

/** A one-object PDF whose only cross-reference section is the xref stream dictionary given. */
function withXrefStream(xrefDict: string, data = ''): Uint8Array {
  let s = '%PDF-1.7\n1 0 obj\n<</Type/Catalog>>\nendobj\n';
  const off = s.length;
  s += `2 0 obj\n<<${xrefDict}/Length ${data.length}>>\nstream\n${data}\nendstream\nendobj\nstartxref\n${off}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(s, 'latin1'));
}

const refused = (pdf: Uint8Array, re: RegExp) =>
  assert.throws(() => openPdf(pdf), (e: unknown) => e instanceof SigningError && e.code === 'document_invalid' && re.test(e.message));

describe('hostile cross-reference streams', () => {
  test('zero-width rows with a huge /Index are refused at once (no entry per claimed object)', () => {
    // Before the fix this 200-byte file made the reader create entries until a Map overflowed (≈9 s, 1.4 GB).
    refused(withXrefStream('/Type/XRef/W[0 0 0]/Size 3/Root 1 0 R/Index[0 100000000]'), /\/W/);
  });

  test('an /Index count or first object that is negative, fractional or beyond /Size is refused', () => {
    refused(withXrefStream('/Type/XRef/W[1 1 0]/Size 3/Root 1 0 R/Index[0 -1]'), /\/Index/);
    refused(withXrefStream('/Type/XRef/W[1 1 0]/Size 3/Root 1 0 R/Index[-5 1]', '\x01\x09'), /\/Index/);
    refused(withXrefStream('/Type/XRef/W[1 1 0]/Size 3/Root 1 0 R/Index[0.5 1]', '\x01\x09'), /\/Index/);
  });
});

describe('one signature dictionary claimed by two fields', () => {
  let signed: Uint8Array;
  before(async () => {
    const who = await (await sharedTestPki()).signer('Nguyễn Văn Hiệu');
    const pdf = new Uint8Array(await renderRecordPdf(fullSnapshot()));
    signed = await signPdf({ pdf, signer: softwareSigner({ privateKey: who.privateKey, chain: who.chain }), fieldName: 'Hiệu trưởng', signingTime: new Date('2026-06-01T02:30:00Z') });
  });

  test('a second field whose /V is the first field\'s signature is not a second valid signature', () => {
    const doc = openPdf(signed);
    const alloc = new ObjectAllocator(doc);
    const sigRef = formFields(doc).find((f) => f.type === 'Sig')!.dict.get('V') as PdfRef;
    const field = alloc.ref();
    const page = lastPageRef(doc);
    const pageDict = (doc.get(page) as PdfDict).clone();
    const annots = doc.resolve(pageDict.get('Annots') ?? null) as PdfValue[];
    const form = acroForm(doc)!;
    const formRef = doc.catalog().get('AcroForm') as PdfRef;
    const twice = writeUpdate(doc, [
      { num: field.num, value: new PdfDict().set('Type', name('Annot')).set('Subtype', name('Widget')).set('FT', name('Sig')).set('T', new PdfString(Buffer.from('Văn thư'), false)).set('Rect', [0, 0, 0, 0]).set('P', page).set('V', sigRef) },
      { num: page.num, value: pageDict.set('Annots', [...annots, field]) },
      { num: formRef.num, value: form.clone().set('Fields', [...(doc.resolve(form.get('Fields')!) as PdfValue[]), field]) },
    ], alloc).pdf;
    const sigs = readPdfSignatures(twice);
    assert.equal(sigs.length, 2);
    for (const s of sigs) {
      assert.equal(s.coversRevision, false, s.fieldName);
      assert.match(s.byteRangeProblems.join('; '), /signature dictionary .* is also the value of/);
    }
  });
});
