/**
 * An exclusive lock on an embedded data directory. PGlite has no multi-process
 * protection: two processes on one directory would corrupt it, so the second one must
 * stop with a clear message instead. A lock left by a dead process is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../domain/errors.ts';

export interface DirLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock file `<dir>/hocba.lock` or throws `db.locked` naming the holder. */
export function acquireDirLock(dir: string): DirLock {
  const path = join(dir, 'hocba.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path);
        } catch {
          /* already gone */
        }
        process.off('exit', release);
      };
      process.on('exit', release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isFinite(holder) && holder !== process.pid && alive(holder)) {
        throw new DomainError('db.locked', { dir, pid: holder });
      }
      if (holder === process.pid) throw new DomainError('db.locked', { dir, pid: holder });
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new DomainError('db.locked', { dir, pid: '?' });
}
