import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hbsV1, HBS_V1_NAMESPACE } from './hbs-v1.ts';
import { findRecordFormat, recordFormatForNamespace, RecordFormatError } from './index.ts';
import { fullSnapshot, reorderedKeys, sparseSnapshot, trickySnapshot } from './test-snapshots.ts';

const XSD = fileURLToPath(new URL('../schema/hbs-v1.xsd', import.meta.url));
const cases = { full: fullSnapshot, sparse: sparseSnapshot, tricky: trickySnapshot };

const SIGNATURE = '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="sig-subject-TOAN"><ds:SignedInfo><ds:Reference URI="#subject-TOAN"/></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>';
const withSignature = (xml: string) => xml.replace('<Signatures/>', `<Signatures>\n    ${SIGNATURE}\n  </Signatures>`);

describe('HBS v1 canonical output', () => {
  for (const [name, make] of Object.entries(cases)) {
    it(`${name}: the same snapshot gives byte-identical output, whatever the key order`, () => {
      const a = Buffer.from(hbsV1.serialize(make()), 'utf8');
      const b = Buffer.from(hbsV1.serialize(make()), 'utf8');
      const c = Buffer.from(hbsV1.serialize(reorderedKeys(make())), 'utf8');
      assert.ok(a.equals(b));
      assert.ok(a.equals(c));
    });
  }

  it('uses the documented layout: declaration, namespace, version, LF only, final LF, empty signature container', () => {
    const xml = hbsV1.serialize(fullSnapshot());
    assert.ok(xml.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<HocBa xmlns="${HBS_V1_NAMESPACE}" version="1">\n  <Data Id="data">\n`));
    assert.ok(xml.endsWith('  </Data>\n  <Signatures/>\n</HocBa>\n'));
    assert.ok(!xml.includes('\r'));
    assert.match(xml, /<Identity Id="identity">/);
    assert.match(xml, /<Year Id="year-2025-2026" schoolYear="2025-2026">/);
    assert.match(xml, /<Subject Id="subject-TOAN" code="TOAN" form="score">/);
  });

  it('escapes &, <, > in text and CR as a character reference', () => {
    const xml = hbsV1.serialize(trickySnapshot());
    assert.ok(xml.includes('<Comment>Điểm &lt; 5 &amp; &gt; 3: "cần cố gắng"\nDòng hai\tcó tab&#xD;\nvà CRLF ]]&gt; cuối.</Comment>'));
    assert.ok(xml.includes('<Address>Số 5 "Ngõ Trạm" &amp; &lt;Hàng Bông&gt;, Phường Hoàn Kiếm</Address>'));
  });

  it('refuses a malformed snapshot (non-NFC text, bad average, form mismatch, duplicate subject)', () => {
    const nfd = fullSnapshot();
    nfd.identity.fullName = 'Nguyễn'.normalize('NFD');
    assert.throws(() => hbsV1.serialize(nfd), (e: unknown) => e instanceof RecordFormatError && /identity\.fullName is not in Unicode NFC/.test(e.message));
    const avg = fullSnapshot();
    avg.year.subjects[0]!.year = { kind: 'score', average: '8.30' };
    assert.throws(() => hbsV1.serialize(avg), /year\.subjects\[0\]\.year\.average/);
    const mismatch = fullSnapshot();
    mismatch.year.subjects[3]!.semesterI = { kind: 'score', average: '5.0' };
    assert.throws(() => hbsV1.serialize(mismatch), /a score in a comment subject/);
    const dup = fullSnapshot();
    dup.year.subjects[1]!.code = 'NV';
    assert.throws(() => hbsV1.serialize(dup), /duplicate subject NV/);
  });
});

describe('HBS v1 round trip', () => {
  for (const [name, make] of Object.entries(cases)) {
    it(`${name}: parse(serialize(s)) deep-equals s and re-serialises to the same bytes`, () => {
      const s = make();
      const xml = hbsV1.serialize(s);
      const back = hbsV1.parse(xml);
      assert.deepStrictEqual(back, s);
      assert.equal(hbsV1.serialize(back), xml);
    });
  }

  it('reads a signed document: signatures in the container are skipped, the data is unchanged', () => {
    const s = fullSnapshot();
    assert.deepStrictEqual(hbsV1.parse(withSignature(hbsV1.serialize(s))), s);
  });

  it('reads CRLF line ends and a BOM as the same document', () => {
    const s = fullSnapshot();
    const xml = `\uFEFF${hbsV1.serialize(s).replace(/\n/g, '\r\n')}`;
    assert.deepStrictEqual(hbsV1.parse(xml), s);
  });

  it('lists the Ids signatures reference, from a snapshot and from a document alike', () => {
    const s = fullSnapshot();
    const ids = hbsV1.dataElementIds(s);
    assert.deepStrictEqual(ids, {
      record: 'data',
      identity: 'identity',
      year: 'year-2025-2026',
      subjects: ['NV', 'TOAN', 'NN1', 'GDTC', 'HDTN', 'GDQPAN'].map((code) => ({ code, id: `subject-${code}` })),
    });
    assert.deepStrictEqual(hbsV1.dataElementIds(hbsV1.serialize(s)), ids);
  });

  it('is found in the format registry by id/version and by namespace', () => {
    assert.equal(findRecordFormat('hbs', '1'), hbsV1);
    assert.equal(recordFormatForNamespace('urn:hocba:hbs:1'), hbsV1);
    assert.equal(findRecordFormat('hbs', '2'), null);
  });
});

describe('HBS v1 schema (xmllint)', () => {
  const xmllint = spawnSync('xmllint', ['--version']);
  const available = xmllint.status === 0;
  if (!available) {
    it('xmllint is required in CI', () => {
      assert.ok(!process.env.CI, 'xmllint (Debian libxml2-utils) is missing: the XSD check cannot run');
    });
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'hbs-xsd-'));
  const validate = (xml: string, file: string) => {
    const path = join(dir, file);
    writeFileSync(path, xml, 'utf8');
    return spawnSync('xmllint', ['--noout', '--nonet', '--schema', XSD, path], { encoding: 'utf8' });
  };
  const docs: [string, string][] = [
    ...Object.entries(cases).map(([name, make]) => [name, hbsV1.serialize(make())] as [string, string]),
    ['signed', withSignature(hbsV1.serialize(fullSnapshot()))],
  ];
  for (const [name, xml] of docs) {
    it(`${name}: every generated document validates against hbs-v1.xsd`, () => {
      const r = validate(xml, `${name}.xml`);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /validates/);
    });
  }
  it('the schema rejects what the format forbids (a non-canonical average, a bad personal ID, a wrong Id)', () => {
    const xml = hbsV1.serialize(fullSnapshot());
    for (const [bad, file] of [
      [xml.replace('<SemesterI>7.9</SemesterI>', '<SemesterI>7.90</SemesterI>'), 'avg.xml'],
      [xml.replace('<PersonalId>001310012345</PersonalId>', '<PersonalId>00131001234</PersonalId>'), 'pid.xml'],
      [xml.replace('Id="subject-TOAN"', 'Id="toan"'), 'id.xml'],
      [xml.replace('Id="subject-NV"', 'Id="identity"'), 'dup-id.xml'],
    ] as const) {
      assert.notEqual(validate(bad, file).status, 0, file);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
});
