/**
 * The `hocba` command. Global options --data-dir and --database-url override DATA_DIR and
 * DATABASE_URL. Every command that changes data writes to the audit log as `cli:<os user>`.
 */
import { Command, Option } from 'commander';
import { registerAuditCommands } from './audit.ts';
import { registerAgentCommands } from './agent.ts';
import { registerSetupCommands } from './setup.ts';
import { registerUserCommands } from './user.ts';
import { registerPkiCommands } from './pki.ts';
import { registerReferenceCommands } from './reference.ts';
import { registerVerifyCommands } from './verify.ts';
import { registerBackupCommands } from './backup.ts';
import { registerSyncCommands } from './sync.ts';
import { registerPracticeCommands } from './practice.ts';
import { reportError } from './open.ts';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('hocba')
    .description('Học bạ số — sổ học bạ điện tử có chữ ký số cho trường THPT / the digitally signed school record')
    .addOption(new Option('--data-dir <dir>', 'embedded database directory (PGlite)').env('DATA_DIR'))
    .addOption(new Option('--database-url <url>', 'PostgreSQL connection string (instead of the embedded database)').env('DATABASE_URL'))
    .showHelpAfterError()
    .exitOverride();
  registerSetupCommands(program);
  registerUserCommands(program);
  registerAuditCommands(program);
  registerAgentCommands(program);
  registerReferenceCommands(program);
  registerPkiCommands(program);
  registerVerifyCommands(program);
  registerSyncCommands(program);
  registerBackupCommands(program);
  registerPracticeCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return;
    if (code?.startsWith('commander.')) {
      process.exitCode = 2;
      return;
    }
    reportError(err);
  }
}
