import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applySplice, DocumentIntegrityError, rebuildChain, spliceBetween } from './document-store.ts';
import { createHash } from 'node:crypto';

const hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const roundTrip = (a: string, b: string) => {
  const s = spliceBetween(a, b);
  assert.equal(applySplice(Buffer.from(a, 'utf8'), s).toString('utf8'), b, JSON.stringify({ a, b, s }));
  assert.equal(Buffer.from(s.text, 'utf8').toString('utf8'), s.text, 'whole characters only');
  return s;
};

test('a splice is the inserted element only, and reapplies byte-exactly', () => {
  const prev = '<R><Sigs>\n  <ds:Signature Id="a"/>\n</Sigs></R>';
  const next = '<R><Sigs>\n  <ds:Signature Id="a"/>\n  <ds:Signature Id="b"/>\n</Sigs></R>';
  const s = roundTrip(prev, next);
  assert.equal(s.removed, 0);
  assert.equal(s.text.trim(), '<ds:Signature Id="b"/>');
});

test('splice offsets stay on UTF-8 character boundaries (Vietnamese letters sharing lead bytes)', () => {
  // ấ = E1 BA A5, ầ = E1 BA A7: a byte-level prefix would cut inside the character.
  const s = roundTrip('Trần Thị ấ', 'Trần Thị ầ');
  assert.equal(s.text, 'ầ');
  roundTrip('', 'Nguyễn');
  roundTrip('Nguyễn', '');
  roundTrip('same', 'same');
  roundTrip('ẫẫẫ', 'ẫẫẫẫ');
  // Random edits over a multibyte alphabet.
  const alphabet = ['a', 'ă', 'â', 'ấ', 'ầ', 'ẫ', '<', '>', '😀', 'đ'];
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const word = (n: number) => Array.from({ length: n }, () => alphabet[rnd(alphabet.length)]).join('');
  for (let i = 0; i < 500; i++) {
    const a = word(rnd(20));
    const at = rnd(a.length + 1);
    const b = a.slice(0, at) + word(rnd(5)) + a.slice(at + rnd(3));
    // A slice inside a surrogate pair is not a string a document could hold: skip it.
    if (!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(b)) roundTrip(a, b);
  }
});

test('rebuildChain re-hashes every step and names the broken signature', () => {
  const d0 = '<R><S/></R>';
  const d1 = '<R><S><x Id="s1"/></S></R>';
  const d2 = '<R><S><x Id="s1"/><x Id="s2"/></S></R>';
  const s1 = spliceBetween(d0, d1);
  const s2 = spliceBetween(d1, d2);
  const steps = [
    { seq: 2, signatureId: 'sig-2', deltaAt: s2.at, deltaRemoved: s2.removed, delta: s2.text, xmlSha256: hex(d2) },
    { seq: 1, signatureId: 'sig-1', deltaAt: s1.at, deltaRemoved: s1.removed, delta: s1.text, xmlSha256: hex(d1) },
  ];
  assert.deepEqual(rebuildChain(d0, steps, 'version v'), [d1, d2]);
  const tampered = steps.map((s) => (s.seq === 2 ? { ...s, delta: s.delta.replace('s2', 's3') } : s));
  assert.throws(() => rebuildChain(d0, tampered, 'version v'), (e: unknown) => e instanceof DocumentIntegrityError && /version v, signature #2 \(sig-2\)/.test(e.message) && e.message.includes(hex(d2)));
  const outside = steps.map((s) => (s.seq === 1 ? { ...s, deltaAt: 10_000 } : s));
  assert.throws(() => rebuildChain(d0, outside, 'version v'), (e: unknown) => e instanceof DocumentIntegrityError && /signature #1 \(sig-1\).*outside/.test(e.message));
});
