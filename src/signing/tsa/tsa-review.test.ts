/**
 * Second security review of the TSA client and timestamp verification: a token whose genTime
 * is far from our clock, the policy check on verification, the ESS binding of the token's
 * signer, and a huge response body.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, test } from 'node:test';
import * as pkijs from 'pkijs';
import { sharedTestPki, type SharedTestPki } from '../../../test/helpers/test-pki.ts';
import { x509 } from '../pki/cert-builder.ts';
import { toArrayBuffer } from '../pki/der.ts';
import { importPrivateKey } from '../pki/keys.ts';
import { respondTimestamp } from '../pki/tsa-responder.ts';
import { SigningError } from '../signer.ts';
import { verifyTimestampToken } from './timestamp-token.ts';
import { tsaClient } from './tsa-client.ts';

const digest = new Uint8Array(createHash('sha256').update('chữ ký cần dấu thời gian').digest());
const HOUR = 3_600_000;

describe('TSA review', () => {
  let s: SharedTestPki;
  let tsaKey: CryptoKey;
  before(async () => {
    s = await sharedTestPki();
    tsaKey = await importPrivateKey(s.pki.tsa.privateKey, s.pki.tsa.keyType);
  });

  /** A fetch answering like the test TSA, but with the TSA clock at `now`. */
  const tsaAt = (now: Date) =>
    (async (_url: string, init: RequestInit) => {
      const resp = await respondTimestamp(new Uint8Array(init.body as Buffer), { certificate: new x509.X509Certificate(toArrayBuffer(s.pki.tsa.certificate)), privateKey: tsaKey, policy: s.pki.tsaPolicy, now });
      return new Response(Buffer.from(resp), { status: 200 });
    }) as unknown as typeof fetch;

  test('control: a TSA whose clock agrees with ours is accepted', async () => {
    const token = await tsaClient('http://tsa.invalid/', { fetch: tsaAt(new Date()) })({ digest, algorithm: 'SHA-256' });
    assert.ok(token.length > 0);
  });

  test('a token whose genTime is hours away from our clock is refused (beyond skew + accuracy)', async () => {
    for (const offset of [-2 * HOUR, 2 * HOUR]) {
      await assert.rejects(
        tsaClient('http://tsa.invalid/', { fetch: tsaAt(new Date(Date.now() + offset)) })({ digest, algorithm: 'SHA-256' }),
        (e: unknown) => e instanceof SigningError && e.code === 'timestamp_failed' && /genTime .* differs from the local clock/.test(e.message),
      );
    }
  });

  test('verification checks the policy when accepted policies are configured', async () => {
    const token = await tsaClient(`${s.url}/tsa`)({ digest, algorithm: 'SHA-256' });
    const base = { digest, algorithm: 'SHA-256' as const, trustAnchors: [s.pki.root.certificate], intermediates: [s.pki.issuing.certificate] };
    assert.equal((await verifyTimestampToken(token, { ...base, acceptedPolicies: [s.pki.tsaPolicy] })).status, 'passed');
    const v = await verifyTimestampToken(token, { ...base, acceptedPolicies: ['2.999.1.2.3'] });
    assert.equal(v.status, 'failed', v.reason);
    assert.match(v.reason, /policy 2\.999\.3161\.1 is not among the accepted/);
  });

  test('a token whose ESS signingCertificateV2 names another certificate fails, even with a valid signature', async () => {
    // The TSA key signs, but the ESS attribute hashes the issuing CA's certificate instead.
    const { signingCertificateV2Attribute, derSortedAttributes, OID_CONTENT_TYPE, OID_MESSAGE_DIGEST } = await import('../pki/cms-attributes.ts');
    const token = await tsaClient(`${s.url}/tsa`)({ digest, algorithm: 'SHA-256' });
    const ci = pkijs.ContentInfo.fromBER(toArrayBuffer(token));
    const sd = new pkijs.SignedData({ schema: ci.content });
    const si = sd.signerInfos[0]!;
    const keep = si.signedAttrs!.attributes.filter((a) => a.type === OID_CONTENT_TYPE || a.type === OID_MESSAGE_DIGEST);
    si.signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: derSortedAttributes([...keep, signingCertificateV2Attribute(s.pki.issuing.certificate)]) });
    await sd.sign(tsaKey, 0, 'SHA-256');
    const forged = new Uint8Array(new pkijs.ContentInfo({ contentType: ci.contentType, content: sd.toSchema(true) }).toSchema().toBER(false));
    const v = await verifyTimestampToken(forged, { digest, algorithm: 'SHA-256', trustAnchors: [s.pki.root.certificate], intermediates: [s.pki.issuing.certificate] });
    assert.equal(v.status, 'failed', v.reason);
    assert.match(v.reason, /ESS signingCertificate names another certificate/);
  });

  test('a huge chunked TSA response is cut off, not buffered', async () => {
    let sent = 0;
    const huge = (async () => {
      const stream = new ReadableStream<Uint8Array>({
        pull(c) {
          sent += 65536;
          if (sent > 64 * 1024 * 1024) c.close();
          else c.enqueue(new Uint8Array(65536));
        },
      });
      return new Response(stream, { status: 200 });
    }) as unknown as typeof fetch;
    await assert.rejects(tsaClient('http://tsa.invalid/', { fetch: huge })({ digest, algorithm: 'SHA-256' }), (e: unknown) => e instanceof SigningError && e.code === 'timestamp_failed' && /larger than/.test(e.message));
    assert.ok(sent < 2 * 1024 * 1024, `read ${sent} bytes before giving up`);
  });
});
