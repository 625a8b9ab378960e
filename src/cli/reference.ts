import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { loadAdminUnits } from '../services/reference/admin-units.ts';
import { cliActor, withDatabase, type GlobalOpts } from './open.ts';

export function registerReferenceCommands(program: Command): void {
  const units = program.command('admin-units').description('the official list of communes since 1 July 2025 (reference data)');
  units
    .command('load <file>')
    .description('load the list (CSV or XLSX with columns Mã tỉnh, Tên tỉnh, Mã xã, Tên xã), replacing the previous one')
    .action(async (file: string) => {
      const content = readFileSync(file);
      await withDatabase(program.opts<GlobalOpts>(), async ({ db }) => {
        const r = await loadAdminUnits({ db, actor: cliActor(), fileName: basename(file), content });
        console.log(`Đã nạp / loaded ${r.communes} xã/phường của / communes in ${r.provinces} tỉnh / provinces.`);
      });
    });
}
