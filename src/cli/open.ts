import { openDatabase, type Database } from '../db/client.ts';
import { DomainError } from '../domain/errors.ts';
import { loadConfig } from '../server/config.ts';

export interface GlobalOpts {
  dataDir?: string;
  databaseUrl?: string;
}

/** Opens the configured database for a CLI command, runs fn, closes it. */
export async function withDatabase<T>(g: GlobalOpts, fn: (database: Database) => Promise<T>): Promise<T> {
  const config = loadConfig({ ...(g.dataDir ? { dataDir: g.dataDir } : {}), ...(g.databaseUrl ? { databaseUrl: g.databaseUrl } : {}) });
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** The actor recorded in the audit log for CLI actions: the operating-system user. */
export function cliActor() {
  return { userId: null, label: `cli:${process.env.USER ?? process.env.LOGNAME ?? 'unknown'}` };
}

/** Prints an error as a person should read it and sets a failing exit code. */
export function reportError(err: unknown): void {
  if (err instanceof DomainError) {
    console.error(`Lỗi / error [${err.code}]: ${err.localized('vi')}`);
    if (err.localized('en') !== err.localized('vi')) console.error(`  ${err.localized('en')}`);
    for (const d of err.details ?? []) console.error(`  - ${d.path}: ${d.message}`);
  } else {
    console.error(`Lỗi / error: ${(err as Error)?.message ?? String(err)}`);
  }
  process.exitCode = 1;
}
