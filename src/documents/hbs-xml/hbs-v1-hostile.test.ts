import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hbsV1 } from './hbs-v1.ts';
import { RecordFormatError } from './format-adapter.ts';
import { fullSnapshot } from './test-snapshots.ts';

const good = hbsV1.serialize(fullSnapshot());

/** Asserts `xml` is refused with a RecordFormatError whose message matches and that names `element`. */
function refused(xml: string, message: RegExp, element?: string) {
  assert.throws(
    () => hbsV1.parse(xml),
    (e: unknown) => {
      assert.ok(e instanceof RecordFormatError, `expected RecordFormatError, got ${String(e)}`);
      assert.match(e.message, message);
      if (element !== undefined) assert.equal(e.element, element, e.message);
      return true;
    },
  );
}

describe('HBS v1 refuses hostile or malformed input', () => {
  it('a DOCTYPE with an external entity (XXE)', () => {
    const xxe = good.replace('<HocBa', '<!DOCTYPE HocBa [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<HocBa').replace('<Name>Toán</Name>', '<Name>&xxe;</Name>');
    refused(xxe, /DOCTYPE is not allowed/);
  });

  it('an entity reference other than the five predefined ones', () => {
    refused(good.replace('<Name>Toán</Name>', '<Name>&nbsp;Toán</Name>'), /entity "&nbsp;" is not allowed/, 'Name');
  });

  it('a bare "&"', () => {
    refused(good.replace('<Name>Toán</Name>', '<Name>Toán & Tin</Name>'), /"&" that does not start a reference/, 'Name');
  });

  it('processing instructions, comments and CDATA', () => {
    refused(good.replace('<Data Id="data">', '<Data Id="data"><?php evil ?>'), /processing instructions are not allowed/, 'Data');
    refused(good.replace('<Data Id="data">', '<Data Id="data"><!-- x -->'), /comments are not allowed/, 'Data');
    refused(good.replace('<Name>Toán</Name>', '<Name><![CDATA[Toán]]></Name>'), /CDATA sections are not allowed/, 'Name');
  });

  it('an unknown element, naming it', () => {
    refused(good.replace('<Teacher>Phạm Văn Bình</Teacher>', '<Teacher>Phạm Văn Bình</Teacher>\n<Extra>1</Extra>'), /expected <SemesterI>, found <Extra>/, 'Subject');
    refused(good.replace('</Homeroom>', '</Homeroom><Extra/>'), /unexpected element <Extra>/, 'Extra');
  });

  it('an unknown attribute', () => {
    refused(good.replace('<Subject Id="subject-TOAN"', '<Subject evil="1" Id="subject-TOAN"'), /unexpected attribute evil/, 'Subject');
  });

  it('a missing or wrong Id', () => {
    refused(good.replace('<Identity Id="identity">', '<Identity>'), /missing attribute Id/, 'Identity');
    refused(good.replace('Id="subject-TOAN"', 'Id="subject-NV"'), /Id "subject-NV" should be "subject-TOAN"/, 'Subject');
    refused(good.replace('Id="year-2025-2026"', 'Id="year-2024-2025"'), /should be "year-2025-2026"/, 'Year');
  });

  it('a wrong namespace or version', () => {
    refused(good.replace('xmlns="urn:hocba:hbs:1"', 'xmlns="urn:example:other"'), /namespace "urn:example:other", expected "urn:hocba:hbs:1"/, 'HocBa');
    refused(good.replace('version="1"', 'version="2"'), /version "2" is not supported/, 'HocBa');
    refused(good.replace('<Name>Toán</Name>', '<Name xmlns="urn:x">Toán</Name>'), /expected <Name>, found <Name>/, 'Subject');
  });

  it('a truncated document', () => {
    refused(good.slice(0, good.length / 2), /ends before <\/|ends inside a start tag/);
    refused(good.slice(0, good.indexOf('</HocBa>')), /ends before <\/HocBa>/, 'HocBa');
    refused('', /empty/);
  });

  it('mismatched tags, duplicate attributes, undeclared prefixes, trailing content', () => {
    refused(good.replace('<Name>Toán</Name>', '<Name>Toán</Nam>'), /end tag <\/Nam> does not match <Name>/, 'Name');
    refused(good.replace('<Data Id="data">', '<Data Id="data" Id="x">'), /attribute Id appears twice/, 'Data');
    refused(good.replace('<Signatures/>', '<Signatures><ds:Signature/></Signatures>'), /prefix "ds" is not declared/, 'ds:Signature');
    refused(`${good}<x/>`, /content after the root element/);
  });

  it('values outside the format', () => {
    refused(good.replace('<SemesterI>7.9</SemesterI>', '<SemesterI>7,9</SemesterI>'), /"7,9" is not a canonical average/, 'SemesterI');
    refused(good.replace('<Promotion>promoted_after_reassessment</Promotion>', '<Promotion>yes</Promotion>'), /"yes" is not one of/, 'Promotion');
    refused(good.replace('<PersonalId>001310012345</PersonalId>', '<PersonalId>12345</PersonalId>'), /identity\.personalId must be 12 digits/, 'PersonalId');
    refused(good.replace('<Comment>Xuất sắc.</Comment>', '<Comment></Comment>'), /empty value/, 'Comment');
    refused(good.replace('<Comment>Xuất sắc.</Comment>', `<Comment>${'Xuất sắc.'.normalize('NFD')}</Comment>`), /not in Unicode NFC/, 'Comment');
    refused(good.replace('<Name>Toán</Name>', '<Name>To&#0;án</Name>'), /not an XML character/, 'Name');
    refused(good.replace('<Name>Toán</Name>', '<Name>To\u0001án</Name>'), /U\+0001 is not allowed/);
  });

  it('signature content that is not a signature element', () => {
    refused(good.replace('<Signatures/>', '<Signatures><Subject/></Signatures>'), /does not belong in <Signatures>/, 'Subject');
    refused(good.replace('<Signatures/>', '<Signatures>text</Signatures>'), /unexpected text/, 'Signatures');
  });

  it('documents that are too deep or too large', () => {
    const deep = `${'<a>'.repeat(100)}${'</a>'.repeat(100)}`;
    refused(good.replace('<Signatures/>', `<Signatures><x:s xmlns:x="urn:x">${deep}</x:s></Signatures>`), /nested deeper than 32/);
    refused(good + ' '.repeat(5 * 1024 * 1024), /larger than/);
  });
});
