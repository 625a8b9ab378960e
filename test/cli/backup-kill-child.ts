/**
 * Child process for the "killed during backup" test: starts a backup of the data directory
 * argv[2] to argv[3] and kills itself with SIGKILL (no clean-up can run) after the third table.
 */
import { openDatabase } from '../../src/db/client.ts';
import { createBackup } from '../../src/services/backup/create-backup.ts';

const [dataDir, out] = process.argv.slice(2) as [string, string];
const database = await openDatabase({ dataDir });
let tables = 0;
await createBackup({
  database,
  dataDir,
  out,
  key: { passphrase: process.env.HOCBA_BACKUP_PASSPHRASE! },
  onTable: () => {
    if (++tables === 3) process.kill(process.pid, 'SIGKILL');
  },
});
console.log('completed (the kill did not happen)');
