/**
 * The change analysis behind the PDF scope check, on the rendered record and incremental
 * updates written with the PAdES update writer: what later signatures and the DSS add is
 * allowed; anything else that alters what a reader sees is reported, naming the object.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sharedTestPki } from '../../../test/helpers/test-pki.ts';
import { fullSnapshot } from '../../documents/hbs-xml/test-snapshots.ts';
import { renderRecordPdf } from '../../documents/pdf/render-record.ts';
import { addDss, preparePadesSignature } from '../pades/index.ts';
import { openPdf } from '../pades/pdf-document.ts';
import { acroForm, lastPageRef } from '../pades/pdf-form.ts';
import { PdfDict, PdfRef, PdfString, makeStream, name, type PdfValue } from '../pades/pdf-objects.ts';
import { ObjectAllocator, writeUpdate, type UpdateObject } from '../pades/pdf-update.ts';
import { changesAfter } from './pdf-changes.ts';

describe('changes after a signed revision', () => {
  let base: Uint8Array;
  let signedOnce: Uint8Array;

  /** Applies one incremental update built from the current document. */
  function update(pdf: Uint8Array, build: (doc: ReturnType<typeof openPdf>, alloc: ObjectAllocator) => UpdateObject[]): Uint8Array {
    const doc = openPdf(pdf);
    const alloc = new ObjectAllocator(doc);
    return writeUpdate(doc, build(doc, alloc), alloc).pdf;
  }
  const diff = (before: Uint8Array, after: Uint8Array) => changesAfter(openPdf(before), openPdf(after));

  before(async () => {
    base = new Uint8Array(await renderRecordPdf(fullSnapshot()));
    const who = await (await sharedTestPki()).signer('Nguyễn Văn Hiệu');
    signedOnce = preparePadesSignature({ pdf: base, chain: who.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256', fieldName: 'Hiệu trưởng', signingTime: new Date() }).preparedPdf;
  });

  test('a signature field (AcroForm created, widget on the last page) and a DSS are allowed', () => {
    const r = diff(base, signedOnce);
    assert.deepEqual(r.disallowed, []);
    assert.deepEqual(r.allowed.map((a) => a.replace(/\d+/g, 'N')), ['the AcroForm /Fields: N signature field added', 'page object N /Annots: N signature widget added']);
    const withDss = addDss({ pdf: signedOnce, certificates: [new Uint8Array([0x30, 0x00])] });
    const d = diff(signedOnce, withDss);
    assert.deepEqual(d.disallowed, []);
    assert.deepEqual(d.allowed, ['validation data (/DSS) added or updated']);
    assert.deepEqual(diff(base, withDss).disallowed, []);
  });

  test('a second signature extends /Fields and /Annots: allowed, and said so', async () => {
    const who = await (await sharedTestPki()).signer('Trường THPT Chu Văn An TEST');
    const twice = preparePadesSignature({ pdf: signedOnce, chain: who.chain, algorithm: 'RSASSA-PKCS1-v1_5-SHA256', fieldName: 'Văn thư', signingTime: new Date() }).preparedPdf;
    const r = diff(signedOnce, twice);
    assert.deepEqual(r.disallowed, []);
    assert.ok(r.allowed.some((a) => /\/Annots: 1 signature widget added/.test(a)), r.allowed.join('; '));
    assert.ok(r.allowed.some((a) => /\/Fields: 1 signature field added/.test(a)), r.allowed.join('; '));
  });

  test('a text field added next to the signatures is reported (not a signature field / widget)', () => {
    const changed = update(signedOnce, (doc, alloc) => {
      const widget = alloc.ref();
      const page = lastPageRef(doc);
      const pageDict = (doc.get(page) as PdfDict).clone();
      const annots = doc.resolve(pageDict.get('Annots') ?? null) as PdfValue[];
      const form = acroForm(doc)!;
      const formRef = doc.catalog().get('AcroForm') as PdfRef;
      return [
        { num: widget.num, value: new PdfDict().set('Type', name('Annot')).set('Subtype', name('Widget')).set('FT', name('Tx')).set('T', new PdfString(Buffer.from('Điểm'), false)).set('Rect', [100, 100, 300, 130]).set('P', page) },
        { num: page.num, value: pageDict.set('Annots', [...annots, widget]) },
        { num: formRef.num, value: form.clone().set('Fields', [...(doc.resolve(form.get('Fields')!) as PdfValue[]), widget]) },
      ];
    });
    const r = diff(signedOnce, changed);
    assert.equal(r.disallowed.length, 2, r.disallowed.join('\n'));
    assert.match(r.disallowed.join('\n'), /\/Annots: added object \d+, which is not signature widget/);
    assert.match(r.disallowed.join('\n'), /\/Fields: added object \d+, which is not signature field/);
  });

  test('a visible signature widget added after signing is reported (its appearance could overlay the signed page)', () => {
    // Shadow attack "overlay": an unsigned signature field whose widget draws new text over the page.
    const changed = update(signedOnce, (doc, alloc) => {
      const widget = alloc.ref();
      const ap = alloc.ref();
      const page = lastPageRef(doc);
      const pageDict = (doc.get(page) as PdfDict).clone();
      const annots = doc.resolve(pageDict.get('Annots') ?? null) as PdfValue[];
      const form = acroForm(doc)!;
      const formRef = doc.catalog().get('AcroForm') as PdfRef;
      const appearance = makeStream(new PdfDict().set('Type', name('XObject')).set('Subtype', name('Form')).set('BBox', [0, 0, 200, 30]), Buffer.from('BT /F1 24 Tf 0 0 Td (10) Tj ET'));
      return [
        { num: ap.num, value: appearance },
        { num: widget.num, value: new PdfDict().set('Type', name('Annot')).set('Subtype', name('Widget')).set('FT', name('Sig')).set('T', new PdfString(Buffer.from('Overlay'), false)).set('Rect', [100, 100, 300, 130]).set('P', page).set('AP', new PdfDict().set('N', ap)) },
        { num: page.num, value: pageDict.set('Annots', [...annots, widget]) },
        { num: formRef.num, value: form.clone().set('Fields', [...(doc.resolve(form.get('Fields')!) as PdfValue[]), widget]) },
      ];
    });
    const r = diff(signedOnce, changed);
    assert.equal(r.disallowed.length, 1, r.disallowed.join('\n'));
    assert.match(r.disallowed[0]!, /\/Annots: added object \d+, a signature widget with a visible area/);
  });

  test('catalog, page tree, page and /Info changes are reported by name and object', () => {
    const opened = update(signedOnce, (doc) => [{ num: doc.catalogRef.num, value: doc.catalog().clone().set('OpenAction', [lastPageRef(doc), name('Fit')]) }]);
    assert.deepEqual(diff(signedOnce, opened).disallowed, ['the catalog: /OpenAction changed']);

    const pagesRef = openPdf(signedOnce).catalog().get('Pages') as PdfRef;
    const recounted = update(signedOnce, (doc) => [{ num: pagesRef.num, value: (doc.get(pagesRef) as PdfDict).clone().set('Count', 99) }]);
    assert.deepEqual(diff(signedOnce, recounted).disallowed, [`object ${pagesRef.num} (/Pages) was changed`]);

    const page = lastPageRef(openPdf(signedOnce));
    const rotated = update(signedOnce, (doc) => [{ num: page.num, value: (doc.get(page) as PdfDict).clone().set('Rotate', 90) }]);
    assert.deepEqual(diff(signedOnce, rotated).disallowed, [`page object ${page.num}: /Rotate changed`]);

    const formRef = openPdf(signedOnce).catalog().get('AcroForm') as PdfRef;
    const xfa = update(signedOnce, (doc) => [{ num: formRef.num, value: acroForm(doc)!.clone().set('XFA', new PdfString(Buffer.from('<xdp/>'), false)) }]);
    assert.deepEqual(diff(signedOnce, xfa).disallowed, [`the AcroForm (object ${formRef.num}): /XFA changed`]);

    // /DSS aimed at the page's content stream does not make rewriting that stream "validation data".
    const contents = (openPdf(signedOnce).get(page) as PdfDict).get('Contents') as PdfRef;
    const hijack = update(signedOnce, (doc) => [
      { num: doc.catalogRef.num, value: doc.catalog().clone().set('DSS', contents) },
      { num: contents.num, value: new PdfDict().set('Certs', []) },
    ]);
    assert.deepEqual(diff(signedOnce, hijack).disallowed, [`object ${contents.num} (a stream) was changed`]);

    const info = update(signedOnce, (doc, alloc) => {
      const ref = alloc.ref();
      doc.trailer.set('Info', ref); // the writer copies /Info from the previous trailer
      return [{ num: ref.num, value: new PdfDict().set('Title', new PdfString(Buffer.from('Học bạ giả'), false)) }];
    });
    assert.deepEqual(diff(signedOnce, info).disallowed, ['the document information dictionary (/Info) was replaced']);
  });

  test('an object written again with the same content is no change', () => {
    const same = update(signedOnce, (doc) => [{ num: doc.catalogRef.num, value: doc.catalog() }]);
    assert.deepEqual(diff(signedOnce, same), { disallowed: [], allowed: [] });
  });
});
