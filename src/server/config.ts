/** Settings from the environment (and CLI flags, which win). */
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** A read-only replica of databaseUrl (DATABASE_READ_URL) for boards and verification lookups. */
  databaseReadUrl: string | undefined;
  secureCookies: boolean;
  trustProxy: boolean;
}

export function loadConfig(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const port = overrides.port ?? (env.PORT ? Number(env.PORT) : 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: overrides.host ?? env.HOST ?? 'localhost',
    dataDir: resolve(overrides.dataDir ?? env.DATA_DIR ?? 'data'),
    databaseUrl: overrides.databaseUrl ?? (env.DATABASE_URL || undefined),
    databaseReadUrl: overrides.databaseReadUrl ?? (env.DATABASE_READ_URL || undefined),
    secureCookies: overrides.secureCookies ?? env.COOKIE_SECURE === '1',
    trustProxy: overrides.trustProxy ?? env.TRUST_PROXY === '1',
  };
}

/** Where the data lives, for messages (never prints a password from the URL). */
export function describeDatabase(c: Config): string {
  if (!c.databaseUrl) return `PGlite ${c.dataDir}`;
  try {
    const u = new URL(c.databaseUrl);
    return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}
