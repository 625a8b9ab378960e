/**
 * A private SoftHSM2 installation for tests: a temporary token directory and config file,
 * tokens initialised with softhsm2-util, keys imported with softhsm2-util and certificates
 * written with pkcs11-tool (the same tools an operator would use), removed by cleanup().
 *
 * SoftHSM reads SOFTHSM2_CONF when the module is initialised (C_Initialize), so the
 * variable is set on this process as soon as the installation is created: create it
 * before opening any PKCS#11 signer. Each node:test file runs in its own process, so
 * test files do not share tokens. Only one installation may be active per process.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const MODULE_CANDIDATES = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'];

/** Path of the SoftHSM2 PKCS#11 module on this machine, or null. */
export function softHsmModulePath(): string | null {
  return MODULE_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, tool)));
}

/**
 * Why SoftHSM tests cannot run here, or false when they can. With CI set a missing tool is
 * an error, not a skip (the CI image installs softhsm2 and opensc).
 */
export function softHsmSkipReason(): string | false {
  const missing = [...(['softhsm2-util', 'pkcs11-tool'].filter((t) => !onPath(t))), ...(softHsmModulePath() ? [] : ['libsofthsm2.so'])];
  if (missing.length === 0) return false;
  if (process.env.CI) throw new Error(`SoftHSM tests need ${missing.join(', ')} (CI is set, so this is a failure, not a skip)`);
  return `not installed: ${missing.join(', ')}`;
}

export interface ImportKeyOptions {
  token: string;
  pin: string;
  /** CKA_LABEL of the private key and its certificate. */
  label: string;
  /** CKA_ID as hex (shared by the key and its certificate, as tokens from CAs do). */
  id: string;
  /** Unencrypted PKCS#8 PEM. */
  privateKeyPem: string;
  /** DER certificate of the key. */
  certificate?: Uint8Array;
  /** Further DER certificates to store on the token (e.g. the issuing CA), each with its own label/id. */
  extraCertificates?: { label: string; id: string; der: Uint8Array }[];
}

export interface SoftHsm {
  dir: string;
  confPath: string;
  modulePath: string;
  createToken(opts: { label: string; pin: string; soPin?: string }): Promise<void>;
  importKey(opts: ImportKeyOptions): Promise<void>;
  /** Removes the token directory and unsets SOFTHSM2_CONF. Close every PKCS#11 signer first. */
  cleanup(): Promise<void>;
}

let active: SoftHsm | null = null;

/** Creates a private SoftHSM2 installation and points this process at it. */
export async function createSoftHsm(): Promise<SoftHsm> {
  if (active) throw new Error('a SoftHSM installation is already active in this process: reuse it or clean it up first');
  const modulePath = softHsmModulePath();
  if (!modulePath) throw new Error('libsofthsm2.so not found');
  const dir = await mkdtemp(join(tmpdir(), 'hocba-softhsm-'));
  const tokens = join(dir, 'tokens');
  await mkdir(tokens);
  const confPath = join(dir, 'softhsm2.conf');
  await writeFile(confPath, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const env = { ...process.env, SOFTHSM2_CONF: confPath };
  process.env.SOFTHSM2_CONF = confPath;

  const tool = (cmd: string, args: string[]) =>
    run(cmd, args, { env }).catch((err: { stderr?: string; message: string }) => {
      // Never echo the arguments: they contain PINs.
      throw new Error(`${cmd} ${args[0]} failed: ${(err.stderr ?? err.message).trim().split('\n').slice(-2).join(' ')}`);
    });

  const hsm: SoftHsm = {
    dir,
    confPath,
    modulePath,
    async createToken({ label, pin, soPin = '87654321' }) {
      await tool('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin]);
    },
    async importKey(o) {
      const keyFile = join(dir, `${o.id}.key.pem`);
      await writeFile(keyFile, o.privateKeyPem, { mode: 0o600 });
      try {
        await tool('softhsm2-util', ['--import', keyFile, '--token', o.token, '--label', o.label, '--id', o.id, '--pin', o.pin]);
      } finally {
        await rm(keyFile, { force: true });
      }
      const certs = [...(o.certificate ? [{ label: o.label, id: o.id, der: o.certificate }] : []), ...(o.extraCertificates ?? [])];
      for (const c of certs) {
        const certFile = join(dir, `${c.id}.cert.der`);
        await writeFile(certFile, c.der);
        await tool('pkcs11-tool', ['--module', modulePath, '--token-label', o.token, '--login', '--pin', o.pin, '--write-object', certFile, '--type', 'cert', '--id', c.id, '--label', c.label]);
        await rm(certFile, { force: true });
      }
    },
    async cleanup() {
      if (process.env.SOFTHSM2_CONF === confPath) delete process.env.SOFTHSM2_CONF;
      await rm(dir, { recursive: true, force: true });
      if (active === hsm) active = null;
    },
  };
  active = hsm;
  return hsm;
}
