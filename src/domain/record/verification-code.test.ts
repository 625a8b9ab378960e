import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseVerificationCode, verificationCode } from './verification-code.ts';

const digest = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

test('the code is 10 Crockford base32 characters from the digest, grouped 4-4-2, stable', () => {
  const c = verificationCode(digest);
  assert.match(c, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/);
  assert.equal(verificationCode(digest), c);
  assert.notEqual(verificationCode(`f${digest.slice(1)}`), c);
});

const typed: Array<[string, string | null]> = [
  ['  7cr6-4ak6-xt  ', '7CR6-4AK6-XT'],
  ['7CR64AK6XT', '7CR6-4AK6-XT'],
  ['7CR6 4AK6 XT', '7CR6-4AK6-XT'],
  ['OCR6-4AK6-XT', '0CR6-4AK6-XT'],
  ['LCR6-4AK6-XT', '1CR6-4AK6-XT'],
  ['7CR6-4AK6', null],
  ['7CR6-4AK6-XU', null],
];
for (const [input, expected] of typed) test(`typed code "${input}"`, () => assert.equal(normaliseVerificationCode(input), expected));

test('a digest that is not sha256 hex is refused', () => assert.throws(() => verificationCode('abc'), RangeError));
