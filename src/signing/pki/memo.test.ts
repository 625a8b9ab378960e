import assert from 'node:assert/strict';
import { test } from 'node:test';
import { digestKey, memo } from './memo.ts';

test('memo computes once per key and drops the least recently used past its bound', () => {
  const m = memo<number>(2);
  let calls = 0;
  const f = (k: string, v: number) => m.get(k, () => (calls++, v));
  assert.equal(f('a', 1), 1);
  assert.equal(f('a', 99), 1);
  assert.equal(calls, 1);
  f('b', 2);
  f('a', 0); // touch a: b becomes the oldest
  f('c', 3);
  assert.equal(m.size, 2);
  assert.equal(f('b', 20), 20, 'b was evicted and recomputed');
  assert.equal(f('c', 30), 3);
});

test('digestKey separates parts, kinds and absence', () => {
  const b = (s: string) => new TextEncoder().encode(s);
  assert.notEqual(digestKey(b('ab'), b('c')), digestKey(b('a'), b('bc')));
  assert.notEqual(digestKey('ab'), digestKey(b('ab')));
  assert.notEqual(digestKey(b('a'), undefined), digestKey(b('a')));
  assert.equal(digestKey(b('x'), 'y'), digestKey(b('x'), 'y'));
});
