import type { Command } from 'commander';
import { verifyAudit } from '../services/audit/verify-audit.ts';
import { withDatabase, type GlobalOpts } from './open.ts';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the append-only audit log');
  audit
    .command('verify')
    .description('check every hash chain of the audit log; exit code 1 names the first broken entry')
    .option('--json', 'print the report as JSON')
    .action(async (o: { json?: boolean }) => {
      await withDatabase(program.opts<GlobalOpts>(), async (database) => {
        const report = await verifyAudit({ database });
        if (o.json) console.log(JSON.stringify(report, null, 2));
        else if (report.ok) {
          console.log(`Nhật ký toàn vẹn / audit log intact: ${report.checked} entries in ${report.chains.length} chain(s).`);
          for (const c of report.chains) console.log(`  ${c.chain}: ${c.entries} entries, head ${c.headSeq} ${c.headHash}`);
        } else {
          const b = report.firstBroken!;
          console.error(`NHẬT KÝ BỊ SỬA / AUDIT LOG BROKEN at ${b.chain} entry ${b.seq} (row id ${b.id}): ${b.reason} — ${b.detail}`);
        }
        if (!report.ok) process.exitCode = 1;
      });
    });
}
