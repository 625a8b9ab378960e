/**
 * Builds the web UI with Vite when dist/web is missing or older than its sources, so that
 * `npm start` from a fresh clone serves a current UI without a separate build step.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const name of readdirSync(path)) m = Math.max(m, newest(join(path, name)));
  return m;
}

export function webIsStale(): boolean {
  const index = join(ROOT, 'dist/web/index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  // The web bundle imports the API types and pure domain helpers as well as its own folder.
  const sources = [join(ROOT, 'src/web'), join(ROOT, 'vite.config.ts'), join(ROOT, 'src/server/api-types.ts'), join(ROOT, 'src/domain')].filter(existsSync);
  return sources.some((s) => newest(s) > built);
}

/** Builds if stale; returns true when it built. */
export async function buildWebIfStale(log: (msg: string) => void = console.log): Promise<boolean> {
  if (!existsSync(join(ROOT, 'src/web/index.html')) || !webIsStale()) return false;
  log('Đang dựng giao diện web (lần đầu mất khoảng 30 giây) / building the web UI…');
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', root: join(ROOT, 'src/web') });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWebIfStale();
}
