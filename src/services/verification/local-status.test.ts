/**
 * The code → digest-prefix inversion the public lookup relies on: every digest whose code is
 * C starts with digestPrefixOf(C), so the indexed `left(digest, 12)` query finds it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { verificationCode } from '../../domain/record/verification-code.ts';
import { digestPrefixOf } from './local-status.ts';

test('digestPrefixOf(code) is the first 12 hex digits of every digest with that code', () => {
  for (let i = 0; i < 500; i++) {
    const digest = createHash('sha256').update(`record ${i}`).digest('hex');
    assert.equal(digestPrefixOf(verificationCode(digest)), digest.slice(0, 12), digest);
  }
  // The extremes of the alphabet.
  assert.equal(digestPrefixOf(verificationCode('f'.repeat(64))), 'f'.repeat(12));
  assert.equal(digestPrefixOf(verificationCode('0'.repeat(64))), '0'.repeat(12));
});
