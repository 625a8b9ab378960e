/**
 * Id lookup against signature wrapping (review finding): an Id attribute in any namespace
 * (`wsu:Id`, `f:Id`, …) counts, because xml-crypto — the second verifier named in STACK.md —
 * resolves `#x` through `@*[local-name()='Id']` and would pick the attacker's element.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SigningError } from '../signer.ts';
import { indexIds, resolveId } from './ids.ts';
import { parseXmlSafely } from './safe-parse.ts';

describe('indexIds', () => {
  test('counts Id, ID, id and xml:id, each value once per element', () => {
    const doc = parseXmlSafely('<r><a Id="a"/><b ID="b"/><c id="c"/><d xml:id="d" Id="d"/></r>');
    const ids = indexIds(doc);
    for (const v of ['a', 'b', 'c', 'd']) assert.equal(ids.get(v)?.length, 1, v);
  });

  test('a namespaced Id attribute with the same value makes the reference ambiguous', () => {
    const doc = parseXmlSafely('<r xmlns:f="urn:evil"><Data Id="data">9.5</Data><f:Wrap><Data f:Id="data">2.0</Data></f:Wrap></r>');
    const ids = indexIds(doc);
    assert.equal(ids.get('data')?.length, 2);
    assert.throws(() => resolveId(ids, 'data', 'signature s1, reference 1'), (e: unknown) => e instanceof SigningError && e.code === 'reference_invalid' && /carried by 2 elements/.test(e.message));
  });

  test('other attributes never count as Ids', () => {
    const doc = parseXmlSafely('<r xmlns:f="urn:x"><a name="data" f:ref="data" Ident="data"/></r>');
    assert.equal(indexIds(doc).get('data'), undefined);
  });
});
