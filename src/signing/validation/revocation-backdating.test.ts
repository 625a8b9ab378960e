/**
 * Revocation without a trusted time (review finding): a signer whose key was revoked signs
 * now, claims an old signing time and embeds an old, genuine "good" OCSP response from that
 * time. The claimed time is the signer's own word, so evidence fresh only at the claimed time
 * proves nothing: the status must come from evidence fresh at the validation time (or at a
 * trusted proof of existence), and a revocation after the claim is then indeterminate.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sharedTestPki, type SharedTestPki } from '../../../test/helpers/test-pki.ts';
import { x509 } from '../pki/cert-builder.ts';
import { toArrayBuffer } from '../pki/der.ts';
import { importPrivateKey } from '../pki/keys.ts';
import { respondOcsp } from '../pki/ocsp-responder.ts';
import type { PkiIdentity } from '../pki/test-pki.ts';
import { buildOcspRequest } from '../revocation/ocsp.ts';
import type { RevocationProvider } from '../signer.ts';
import { revocationCheck, revocationContext } from './revocation.ts';

const HOUR = 3_600_000;
const xc = (der: Uint8Array) => new x509.X509Certificate(toArrayBuffer(der));

describe('revocation at an untrusted (claimed) signing time', () => {
  let s: SharedTestPki;
  let victim: PkiIdentity;
  const t0 = new Date(Math.floor(Date.now() / 1000) * 1000 - 2 * HOUR);
  const revokedAt = new Date(t0.getTime() + 30 * 60_000);
  const now = new Date(t0.getTime() + 2 * HOUR);
  /** A genuine response from the real delegated responder, as of `at`. */
  const ocspAt = async (at: Date, revoked: boolean) =>
    respondOcsp(buildOcspRequest(victim.certificate, s.pki.issuing.certificate).der, {
      authorities: [{ name: 'issuing', ca: xc(s.pki.issuing.certificate), signer: xc(s.pki.ocspResponder.certificate), signerKey: await importPrivateKey(s.pki.ocspResponder.privateKey, 'rsa-2048') }],
      revocations: revoked ? [{ issuer: 'issuing', serial: xc(victim.certificate).serialNumber, date: revokedAt.toISOString(), reason: 1 }] : [],
      now: at,
    });

  before(async () => {
    s = await sharedTestPki();
    victim = await s.pki.issue({ commonName: 'Khóa Bị Lộ' });
  });

  const check = async (opts: { provider: RevocationProvider | null; trustedTime: boolean; poe?: Date }) => {
    const oldGood = await ocspAt(t0, false);
    const ctx = revocationContext({ ocspResponses: [oldGood], crls: [] }, opts.provider, now);
    // The issuing CA plays the anchor so that only the signer's certificate is in question.
    return revocationCheck({ ctx, path: [victim.certificate, s.pki.issuing.certificate], anchored: true, atTime: new Date(t0.getTime() + 60_000), trustedTime: opts.trustedTime, poe: opts.poe ? { time: opts.poe, source: 'test' } : null });
  };

  test('an old embedded "good" does not pass a signature whose time is only claimed (offline)', async () => {
    const r = await check({ provider: null, trustedTime: false });
    assert.equal(r.status, 'indeterminate', r.reason);
    assert.match(r.reason, /stale/);
  });

  test('with the responder online, the revocation after the claimed time is found: indeterminate, not passed', async () => {
    const fresh = await ocspAt(now, true);
    const r = await check({ provider: async () => ({ ocspResponses: [fresh], crls: [] }), trustedTime: false });
    assert.equal(r.status, 'indeterminate', r.reason);
    assert.match(r.reason, /no timestamp proves the signature existed before the revocation/);
  });

  test('a timestamped signing time still accepts evidence that was fresh at that time', async () => {
    const r = await check({ provider: null, trustedTime: true });
    assert.equal(r.status, 'passed', r.reason);
  });
});
