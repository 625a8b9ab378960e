/**
 * Test support for the XAdES and XML tests (not used by production code): running xmlsec1,
 * the independent verifier, and other external tools.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DS_NS, XADES_NS } from './constants.ts';

/** Skip reason when a tool is missing outside CI; with CI set a missing tool throws (the suite must fail). */
export function missingTool(...tools: string[]): string | false {
  const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (missing.length === 0) return false;
  if (process.env.CI) throw new Error(`${missing.join(', ')} missing although CI is set`);
  return `${missing.join(', ')} not installed`;
}

/** Runs a command without blocking the event loop (in-process TSA/OCSP services keep answering). */
export function run(cmd: string, args: string[]): Promise<{ status: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => chunks.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

export interface Xmlsec1Trust {
  rootPem: string;
  /** Intermediate CA certificates (PEM), passed as --untrusted-pem. */
  intermediatePems: string[];
  /** Data elements carrying Id, as "namespace:LocalName" (xmlsec1 --id-attr:Id syntax). */
  idElements: string[];
}

/** A scratch directory with the trust files; `verify` runs `xmlsec1 --verify --node-id <id>`. */
export async function xmlsec1Verifier(trust: Xmlsec1Trust): Promise<{ verify(xml: string, signatureId: string): Promise<{ ok: boolean; output: string }>; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'hocba-xmlsec1-'));
  await writeFile(join(dir, 'root.pem'), trust.rootPem);
  const inter = await Promise.all(
    trust.intermediatePems.map(async (pem, i) => {
      const f = join(dir, `ca-${i}.pem`);
      await writeFile(f, pem);
      return f;
    }),
  );
  const idArgs = [...trust.idElements, `${XADES_NS}:SignedProperties`, `${DS_NS}:Signature`].flatMap((e) => ['--id-attr:Id', e]);
  return {
    async verify(xml, signatureId) {
      const file = join(dir, `doc-${randomBytes(6).toString('hex')}.xml`);
      await writeFile(file, xml);
      const r = await run('xmlsec1', ['--verify', '--trusted-pem', join(dir, 'root.pem'), ...inter.flatMap((f) => ['--untrusted-pem', f]), ...idArgs, '--node-id', signatureId, file]);
      await rm(file, { force: true });
      return { ok: r.status === 0 && /^OK\b/m.test(r.output), output: r.output };
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
