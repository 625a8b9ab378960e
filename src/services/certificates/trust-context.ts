/**
 * The trust context the registry and the signing workflow judge certificates with: the
 * production trust anchors (env HOCBA_TRUST_ANCHORS, a directory of CA certificates) plus,
 * when a demo test PKI exists under <data dir>/pki, its TEST root — so the demo signs out of
 * the box while a deployment without a demo PKI trusts only what it configured.
 *
 * Revocation: certificates issued by the demo PKI are answered in process from its current
 * CRL (reloaded when `hocba pki revoke` changes its state), so the demo never depends on its
 * PUBLIC_URL being reachable from the server itself; every other certificate is asked over
 * HTTP (OCSP, CRL fallback) through one cached revocationClient. HOCBA_REVOCATION=offline
 * turns revocation checking off (registration then warns "revocation not checked").
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bytesEqual } from '../../signing/pki/der.ts';
import { loadTestPki, type TestPki } from '../../signing/pki/test-pki.ts';
import { trustAnchorsFromEnv } from '../../signing/pki/trust-anchors.ts';
import { revocationClient } from '../../signing/revocation/revocation-client.ts';
import type { RevocationProvider } from '../../signing/signer.ts';
import type { TrustContext } from './signing-certificates.ts';

/** The demo test PKI's directory under a data dir. */
export const demoPkiDir = (dataDir: string) => join(dataDir, 'pki');

/** Loads (and caches, keyed by the state file's mtime) the demo PKI of a data dir; null when there is none. */
export function demoPkiLoader(dataDir: string | null): () => Promise<TestPki | null> {
  let cached: { key: string; pki: Promise<TestPki> } | null = null;
  return async () => {
    if (!dataDir) return null;
    const state = join(demoPkiDir(dataDir), 'state.json');
    if (!existsSync(state)) return null;
    const key = String(statSync(state).mtimeMs);
    if (!cached || cached.key !== key) {
      const pki = loadTestPki(demoPkiDir(dataDir));
      cached = { key, pki };
      pki.catch(() => (cached = null));
    }
    return cached.pki;
  };
}

const loaders = new Map<string, () => Promise<TestPki | null>>();
/** One loader per data dir per process (shared by routes and trust contexts). */
export function demoPkiFor(dataDir: string | null): () => Promise<TestPki | null> {
  if (!dataDir) return async () => null;
  let l = loaders.get(dataDir);
  if (!l) loaders.set(dataDir, (l = demoPkiLoader(dataDir)));
  return l;
}

/** One revocation client per process: its cache then serves every request. */
let sharedRevocation: ReturnType<typeof revocationClient> | null = null;

/** Builds the trust context for a deployment (see the module comment). */
export async function trustContextFor(config: { dataDir: string | null }, env: NodeJS.ProcessEnv = process.env): Promise<TrustContext> {
  const anchors: Uint8Array[] = [...((await trustAnchorsFromEnv(env)) ?? [])];
  const intermediates: Uint8Array[] = [];
  const demo = await demoPkiFor(config.dataDir)();
  if (demo) {
    anchors.push(demo.root.certificate);
    intermediates.push(demo.issuing.certificate);
  }
  if (env.HOCBA_REVOCATION?.trim().toLowerCase() === 'offline') return { trustAnchors: anchors, intermediates, revocation: 'offline' };
  sharedRevocation ??= revocationClient({ timeoutMs: 5_000 });
  const http = sharedRevocation;
  const load = demoPkiFor(config.dataDir);
  const revocation: RevocationProvider = async (certificate, issuer) => {
    const pki = demo ? await load() : null;
    if (pki && bytesEqual(issuer, pki.issuing.certificate)) return { ocspResponses: [], crls: [await pki.crl()] };
    if (pki && bytesEqual(issuer, pki.root.certificate)) return { ocspResponses: [], crls: [await pki.rootCrl()] };
    return http(certificate, issuer);
  };
  return { trustAnchors: anchors, intermediates, revocation };
}
