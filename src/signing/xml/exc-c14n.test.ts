/**
 * Our exclusive c14n against two other implementations: xmllint --exc-c14n (libxml2, the
 * library under xmlsec1) on whole documents, and xml-crypto's ExclusiveCanonicalization on
 * every subtree. The cases are the ones that break canonicalisers: namespace declarations
 * (unused, redundant, default undeclared), attribute order across namespaces, escaping in
 * text and attributes, CDATA, comments, processing instructions and U+2028.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { missingTool, run } from '../xades/testing.ts';
import { excC14n } from './exc-c14n.ts';
import { allElements, parseXmlSafely } from './safe-parse.ts';

const CASES: Record<string, string> = {
  namespaces: `<?xml version="1.0" encoding="UTF-8"?>
<a:Root xmlns:a="urn:a" xmlns:b="urn:b" xmlns:unused="urn:unused" xmlns="urn:default">
  <Child b:z="1" a:y="2" x="3" w="4"><b:Leaf xmlns:b="urn:b">same prefix again</b:Leaf></Child>
  <a:Other xmlns=""><Plain/></a:Other>
  <b:Re xmlns:b="urn:b2"><b:In b:attr="v"/></b:Re>
</a:Root>`,
  escaping: `<?xml version="1.0" encoding="UTF-8"?>
<r xmlns="urn:r" t="tab&#9;lf&#10;cr&#13;quote&quot;lt&lt;gt&gt;amp&amp;apos'" n="line
break	tab">text &amp; &lt;tag&gt; "quotes" 'apos' cr&#13;here &#x1F600; tiếng Việt<![CDATA[ <cdata> & ]]> ]]&gt;</r>`,
  misc: `<?xml version="1.0"?>
<r xmlns:p="urn:p" xml:lang="vi"><?pi-target some data?><?empty?><e xml:space="preserve">  spaced  </e><p:e/><sep>a\u2028b\u2029c\u0085d</sep></r>`,
  hbsLike: `<?xml version="1.0" encoding="UTF-8"?>
<HocBa xmlns="urn:hocba:hbs:1" version="1">
  <Data Id="data">
    <Subjects/>
    <Subject Id="subject-TOAN" code="TOAN" form="score"><Name>Toán</Name></Subject>
  </Data>
  <Signatures><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="s"><ds:SignedInfo/></ds:Signature></Signatures>
</HocBa>`,
};

describe('exclusive c14n', () => {
  const skip = missingTool('xmllint');
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hocba-c14n-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const [name, xml] of Object.entries(CASES)) {
    test(`${name}: the whole document matches xmllint --exc-c14n`, { skip }, async () => {
      const file = join(dir, `${name}.xml`);
      await writeFile(file, xml);
      const r = await run('xmllint', ['--exc-c14n', file]);
      assert.equal(r.status, 0, r.output);
      assert.equal(excC14n(parseXmlSafely(xml).documentElement!), r.output);
    });

    // xml-crypto cannot canonicalise processing instructions: the PI case is xmllint's alone.
    if (name === 'misc') continue;
    test(`${name}: every subtree matches xml-crypto's ExclusiveCanonicalization`, () => {
      const doc = parseXmlSafely(xml);
      const theirs = new ExclusiveCanonicalization();
      for (const el of allElements(doc)) {
        // xml-crypto types its input as the DOM lib's Node; xmldom's is structurally the same.
        assert.equal(excC14n(el), theirs.process(el as unknown as Parameters<typeof theirs.process>[0], {}), `<${el.tagName}>`);
      }
    });
  }

  test('a subtree declares only the namespaces it uses, wherever it sits', () => {
    const doc = parseXmlSafely(CASES.namespaces!);
    const [, child, leaf, other, plain, re, inner] = allElements(doc);
    assert.equal(excC14n(child!), '<Child xmlns="urn:default" xmlns:a="urn:a" xmlns:b="urn:b" w="4" x="3" a:y="2" b:z="1"><b:Leaf>same prefix again</b:Leaf></Child>');
    assert.equal(excC14n(leaf!), '<b:Leaf xmlns:b="urn:b">same prefix again</b:Leaf>');
    assert.equal(excC14n(other!), '<a:Other xmlns:a="urn:a"><Plain></Plain></a:Other>');
    assert.equal(excC14n(plain!), '<Plain></Plain>');
    assert.equal(excC14n(re!), '<b:Re xmlns:b="urn:b2"><b:In b:attr="v"></b:In></b:Re>');
    assert.equal(excC14n(inner!), '<b:In xmlns:b="urn:b2" b:attr="v"></b:In>');
  });

  test('comments are dropped (xmllint --exc-c14n keeps them: it is the with-comments variant), as xml-crypto does', () => {
    const doc = parseXmlSafely('<r xmlns="urn:r"><!-- top --><a>x<!-- in -->y</a></r>');
    assert.equal(excC14n(doc.documentElement!), '<r xmlns="urn:r"><a>xy</a></r>');
    assert.equal(new ExclusiveCanonicalization().process(doc.documentElement as unknown as Parameters<ExclusiveCanonicalization['process']>[0], {}), '<r xmlns="urn:r"><a>xy</a></r>');
  });

  test('line separators U+2028/U+2029/U+0085 stay as they are (XML 1.0), CR LF becomes LF', () => {
    const doc = parseXmlSafely('<r>a\u2028b\u2029c\u0085d\r\ne\rf</r>');
    assert.equal(excC14n(doc.documentElement!), '<r>a\u2028b\u2029c\u0085d\ne\nf</r>');
  });
});
