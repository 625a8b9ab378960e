/**
 * Real `hocba serve` child processes (bin/hocba.js) on one PostgreSQL database, for the
 * province bench. Each listens on 127.0.0.1 on a port picked here (the demo PKI names the
 * first instance's URL for OCSP/CRL/TSA, so it must be known before the servers start).
 * Rate limits: every virtual user sends its own X-Forwarded-For (TRUST_PROXY=1, as behind
 * the nginx of deploy/), so the per-address limits apply per person as in a real province.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HOCBA = fileURLToPath(new URL('../../bin/hocba.js', import.meta.url));

export interface ChildServer {
  url: string;
  pid: number;
  /** The last lines it printed (for error messages). */
  tail(): string;
  /** SIGTERM (graceful close), SIGKILL after 15 s. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts `hocba serve --no-demo` on `port` and resolves once it prints that it is running
 * (rejects, killing it, after `timeoutMs` or when it exits first).
 */
export async function startChildServer(opts: { port: number; databaseUrl: string; dataDir: string; publicUrl: string; env?: Record<string, string>; timeoutMs?: number }): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, [HOCBA, 'serve', '--no-demo', '--port', String(opts.port), '--host', '127.0.0.1'], {
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      DATA_DIR: opts.dataDir,
      PUBLIC_URL: opts.publicUrl,
      TRUST_PROXY: '1',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (l: string) => {
    lines.push(l);
    if (lines.length > 40) lines.shift();
  };
  const url = `http://127.0.0.1:${opts.port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hocba serve on port ${opts.port} did not start within ${opts.timeoutMs ?? 120_000} ms:\n${lines.join('\n')}`));
    }, opts.timeoutMs ?? 120_000);
    createInterface({ input: child.stdout! }).on('line', (l) => {
      keep(l);
      if (/is running at/.test(l)) {
        clearTimeout(timer);
        resolve();
      }
    });
    createInterface({ input: child.stderr! }).on('line', keep);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hocba serve on port ${opts.port} exited (${code}) before listening:\n${lines.join('\n')}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    tail: () => lines.join('\n'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); NaN elsewhere. */
export async function cpuSecondsOf(pid: number): Promise<number> {
  try {
    const { readFile } = await import('node:fs/promises');
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the full line (11 and 12 after the name).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}
