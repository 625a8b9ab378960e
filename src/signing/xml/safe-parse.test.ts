/**
 * The XML gate (no DTD, size and depth limits, every parser complaint fatal) and the source
 * splice that inserts a signature without re-serialising the document.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SigningError } from '../signer.ts';
import { documentOrderIndex, elementsByName, indexIds, resolveId } from './ids.ts';
import { parseXmlSafely } from './safe-parse.ts';
import { appendChildMarkup, locateElement } from './source-splice.ts';

const refused = (xml: string, message: RegExp, opts = {}) =>
  assert.throws(() => parseXmlSafely(xml, opts), (e: unknown) => e instanceof SigningError && e.code === 'document_invalid' && message.test(e.message));

describe('safe XML parsing', () => {
  test('any DOCTYPE or markup declaration is refused before parsing, with its line', () => {
    refused('<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd">\n<r/>', /line 2: a DOCTYPE declaration is not allowed/);
    refused('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', /DOCTYPE/);
    refused('<!doctype r><r/>', /DOCTYPE/);
    refused('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>', /DOCTYPE/);
    refused('<r><!ATTLIST r Id ID #IMPLIED></r>', /ATTLIST declaration/);
  });

  test('entities other than the predefined ones and character references are errors', () => {
    refused('<r>&nbsp;</r>', /entity not found/);
    assert.equal(parseXmlSafely('<r>&lt;&#x1F600;&amp;</r>').documentElement!.textContent, '<😀&');
  });

  test('malformed documents are refused with the parser’s reason', () => {
    refused('<a><b></a>', /mismatch/);
    refused('<p:a/>', /prefix/);
    refused('<a/><b/>', /one element|Extra content/);
    refused('', /root element/);
    refused('<a x="1" x="2"/>', /redefined/);
  });

  test('size is counted in UTF-8 bytes and depth is bounded', () => {
    const vi = `<r>${'ệ'.repeat(400)}</r>`; // 407 characters, 1,207 bytes
    assert.ok(parseXmlSafely(vi, { maxBytes: 1207 }));
    refused(vi, /larger than the 1206-byte limit \(1207 bytes\)/, { maxBytes: 1206 });
    assert.ok(parseXmlSafely(`${'<a>'.repeat(10)}${'</a>'.repeat(10)}`, { maxDepth: 10 }));
    refused(`${'<a>'.repeat(11)}${'</a>'.repeat(11)}`, /nested deeper than 10 levels/, { maxDepth: 10 });
  });

  test('the Id index counts Id, ID, id and xml:id, so a lookalike cannot shadow the signed element', () => {
    const doc = parseXmlSafely('<r><a Id="x"/><b ID="y"/><c id="x"/><d xml:id="z"/><e Id="z"/></r>');
    const ids = indexIds(doc);
    assert.throws(() => resolveId(ids, 'x', 'reference #x'), /reference #x: Id "x" is carried by 2 elements \(<a> line 1, <c> line 1\)/);
    assert.equal(resolveId(ids, 'y', 'ref').tagName, 'b');
    assert.throws(() => resolveId(ids, 'z', 'ref'), /2 elements/);
    assert.throws(() => resolveId(ids, 'w', 'ref'), (e: unknown) => e instanceof SigningError && e.code === 'reference_invalid');
  });
});

describe('splicing into the source text', () => {
  const spanOf = (xml: string, ns: string, local: string) => {
    const doc = parseXmlSafely(xml);
    return locateElement(xml, documentOrderIndex(doc, elementsByName(doc, ns, local)[0]!));
  };

  test('tags inside comments, CDATA, PIs and attribute values do not confuse the scanner', () => {
    const xml = `<?xml version="1.0"?>
<r xmlns="urn:r" note="a > b"><!-- <S> not a tag --><x><![CDATA[<S>also not</S>]]></x><?pi <S>?><S k='1>2'><S/><!--</S>--></S><t/></r>`;
    const span = spanOf(xml, 'urn:r', 'S');
    assert.equal(xml.slice(span.start, span.startTagEnd), `<S k='1>2'>`);
    assert.equal(xml.slice(span.endTagStart, span.end), '</S>');
    assert.equal(span.selfClosing, false);
    const out = appendChildMarkup(xml, span, '<new/>');
    assert.equal(out, xml.replace("<!--</S>--></S>", '<!--</S>-->  <new/>\n</S>'));
    assert.equal(elementsByName(parseXmlSafely(out), 'urn:r', 'new').length, 1);
  });

  test('a self-closing container is opened; everything else keeps its bytes', () => {
    const xml = '<?xml version="1.0"?>\r\n<h:Doc xmlns:h="urn:h">\r\n  <h:Data Id="d">x</h:Data>\r\n  <h:Sigs a="/" />\r\n</h:Doc>\r\n';
    const span = spanOf(xml, 'urn:h', 'Sigs');
    assert.equal(span.selfClosing, true);
    assert.equal(span.qname, 'h:Sigs');
    const out = appendChildMarkup(xml, span, '<z:S xmlns:z="urn:z"/>');
    assert.equal(out, xml.replace('<h:Sigs a="/" />', '<h:Sigs a="/">\n    <z:S xmlns:z="urn:z"/>\n  </h:Sigs>'));
  });

  test('an element index past the end is an error, not a wrong splice', () => {
    assert.throws(() => locateElement('<r><a/></r>', 2), /element number 2 not found/);
    assert.deepEqual(locateElement('<r><a/></r>', 1), { start: 3, startTagEnd: 7, selfClosing: true, endTagStart: 7, end: 7, qname: 'a' });
  });
});
