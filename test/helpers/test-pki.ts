/**
 * One test PKI per test process, with its OCSP / CRL / TSA services running on 127.0.0.1 and
 * the service URLs written into every certificate it issues. RSA key generation is slow, so
 * the PKI and every named signer are created once and shared. The server is unref'd so it
 * never keeps a test process alive.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createTestPki, type PkiIdentity, type TestPki, type IssueOptions } from '../../src/signing/pki/test-pki.ts';
import { listenPkiServices, type PkiServices } from '../../src/signing/pki/pki-services.ts';

export interface SharedTestPki {
  pki: TestPki;
  url: string;
  /** A person certificate for this display name, issued once per name per process. */
  signer(name: string): Promise<PkiIdentity>;
  /** Added: a school seal certificate for this organisation name (cached like signer). */
  seal(organization: string): Promise<PkiIdentity>;
  /** Added: the running services (request counters, close). */
  services: PkiServices;
}

let shared: Promise<SharedTestPki> | undefined;

export async function sharedTestPki(): Promise<SharedTestPki> {
  shared ??= (async () => {
    // unref: the shared services must not hold the test process open after its last test.
    const services = await listenPkiServices({ unref: true });
    const pki = await createTestPki({ baseUrl: services.url });
    services.attach(pki);
    const cache = new Map<string, Promise<PkiIdentity>>();
    const once = (key: string, opts: IssueOptions) => {
      let p = cache.get(key);
      if (!p) {
        p = pki.issue(opts);
        cache.set(key, p);
      }
      return p;
    };
    return {
      pki,
      url: services.url,
      services,
      signer: (name: string) => once(`person:${name}`, { commonName: name, organization: 'Trường THPT TEST — KHÔNG DÙNG THẬT' }),
      seal: (organization: string) => once(`seal:${organization}`, { commonName: organization, organization, kind: 'seal' }),
    };
  })();
  return shared;
}

/**
 * Whether an external tool (openssl, certutil, …) can run. Missing tools make a test skip
 * only outside CI: with CI set, a missing tool is a failure.
 */
export function toolSkip(...tools: string[]): string | false {
  const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (missing.length === 0) return false;
  if (process.env.CI) throw new Error(`${missing.join(', ')} missing although CI is set`);
  return `${missing.join(', ')} not installed`;
}

/**
 * Runs a tool asynchronously (a synchronous spawn would block the in-process OCSP/TSA
 * services the tool may be talking to) and returns its exit status and output.
 */
export function runTool(cmd: string, args: string[], opts: { cwd?: string; input?: Uint8Array } = {}): Promise<{ stdout: string; stderr: string; status: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), status: code ?? -1 }));
    child.stdin.end(opts.input ?? undefined);
  });
}
