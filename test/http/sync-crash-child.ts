/**
 * Child process of test/http/sync-crash.test.ts: opens the database (PGlite data dir or
 * PostgreSQL), takes over the school's unfinished sync run (or starts one) and runs it against
 * the configured reference server. It prints "before <batch> <n>" when a batch's items are
 * recorded 'sending', and with pauseAtBatch waits there on stdin (the parent kills it).
 */
import { readFileSync } from 'node:fs';
import { openDatabase } from '../../src/db/client.ts';
import { runSync } from '../../src/services/sync/run-sync.ts';
import { requestSyncRun } from '../../src/services/sync/sync-runs.ts';
import { transportFor } from '../../src/services/sync/sync-settings.ts';

export interface SyncCrashChildConfig {
  dataDir?: string;
  url?: string;
  schoolId: string;
  batchSize: number;
  pauseAtBatch?: number;
}

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as SyncCrashChildConfig;
const database = await openDatabase(config.url ? { url: config.url, poolSize: 2 } : { dataDir: config.dataDir! });
const { run } = await requestSyncRun({ db: database.db, who: { userId: null, label: 'crash-child' }, schoolId: config.schoolId, target: 'hbs', trigger: 'cli' });
const transport = await transportFor({ db: database.db, schoolId: config.schoolId, target: 'hbs', timeoutMs: 60_000 });
const outcome = await runSync({
  db: database.db,
  schoolId: config.schoolId,
  runId: run.id,
  transport: transport!,
  publicUrl: 'http://127.0.0.1:8080',
  batchSize: config.batchSize,
  backoffMs: 1,
  beforeSend: async ({ batch, keys }) => {
    console.log(`before ${batch} ${keys.length}`);
    if (batch === config.pauseAtBatch) await new Promise(() => undefined);
  },
});
console.log(`outcome ${outcome}`);
await database.close();
