/**
 * Starts the real platform the way a user would (`node bin/hocba.js serve`) on a free
 * port with a fresh data directory, and waits for the line announcing its URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { buildWebIfStale } from '../../../src/server/web-build.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  /** Everything the server printed so far (for failure messages). */
  output: () => string;
  stop: () => Promise<void>;
  /** SIGKILL, as a crash would (test/http/two-instances.test.ts); resolves once the process is gone. */
  kill: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Build the web UI once before any server starts. `hocba serve` would build a stale UI
 * itself, but several test files start servers at the same time and concurrent builds
 * into dist/web would clobber each other: a lock directory serialises them.
 */
export async function ensureWebBuilt(): Promise<void> {
  const lock = join(REPO_ROOT, 'dist', '.web-build.lock');
  mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than 5 minutes was left by a crashed run.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      if (waited > 300_000) throw new Error(`timed out waiting for ${lock}`);
      await sleep(250);
    }
  }
  try {
    await buildWebIfStale(() => undefined);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Spawn `hocba serve`; resolves once it prints its URL, rejects (with its output) if it dies or is slow. */
export async function startServer(opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunningServer> {
  await ensureWebBuilt();
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'hocba-browser-'));
  const child = spawn(process.execPath, ['bin/hocba.js', 'serve'], {
    cwd: REPO_ROOT,
    // The embedded database in a fresh directory, as `npm start` on a new machine (not CI's shared server).
    // Tests sign in as many people within a minute; the sign-in limit itself is tested in test/http.
    env: { ...process.env, NODE_ENV: 'test', PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: '', HOCBA_LOGIN_RATE_LIMIT: '1000', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const announced = new RegExp(`https?://(localhost|127\\.0\\.0\\.1|\\[::1\\]|0\\.0\\.0\\.0):${port}\\b`);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 10_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const timeoutMs = opts.timeoutMs ?? 120_000;
      const timer = setTimeout(
        () => reject(new Error(`hocba serve did not announce http://localhost:${port} within ${timeoutMs / 1000} s:\n${output}`)),
        timeoutMs,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (announced.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`hocba serve exited early (code ${code}, signal ${signal}):\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }

  const kill = async () => {
    child.kill('SIGKILL');
    await waitForExit(child, 10_000);
  };
  return { url: `http://localhost:${port}`, port, dataDir, output: () => output, stop, kill };
}
