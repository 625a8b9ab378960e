/**
 * Test support (used by the CMS and PAdES tests, and available to validation tests): forged
 * variants of a real signature that a verifier must reject. Not used by production code.
 */
import { children, parseDer, raw, seq, setOf, tlv } from './der.ts';

/**
 * Replaces the signer certificate (and the SignerInfo's issuer/serial) with another one while
 * keeping the signed attributes and the signature value — what an attacker claiming someone
 * else's identity would do. `extra` are further certificates to embed (e.g. the issuing CA).
 */
export function swapSignerCertificate(der: Uint8Array, certificate: Uint8Array, extra: Uint8Array[] = []): Uint8Array {
  const ci = children(parseDer(der));
  const sd = children(children(ci[1]!)[0]!);
  const certsAt = sd.findIndex((t) => t.tag === 0xa0);
  const si = children(children(sd[sd.length - 1]!)[0]!);
  const tbs = children(children(parseDer(certificate))[0]!);
  const off = tbs[0]!.tag === 0xa0 ? 1 : 0;
  const issuerAndSerial = seq(raw(tbs[off + 2]!), raw(tbs[off]!));
  const newSi = seq(...si.map((t, i) => (i === 1 ? issuerAndSerial : raw(t))));
  const newSd = seq(...sd.map((t, i) => (i === certsAt ? setOf([certificate, ...extra], 0xa0) : i === sd.length - 1 ? setOf([newSi]) : raw(t))));
  return seq(raw(ci[0]!), tlv(0xa0, newSd));
}
