import type { Command } from 'commander';
import { migrateDatabase, openDatabase } from '../db/client.ts';
import { demoLoadedLines, loadDemoSchool } from '../services/demo/load-demo-school.ts';
import { ensureDemoCertificates } from '../services/certificates/demo-pki.ts';
import { initSchool } from '../services/schools/init-school.ts';
import { loadConfig } from '../server/config.ts';
import { serve } from '../server/serve.ts';
import { ask } from './prompt.ts';
import { cliActor, withDatabase, type GlobalOpts } from './open.ts';

export function registerSetupCommands(program: Command): void {
  program
    .command('serve')
    .description('start the server and web UI (loads the demo school into an empty database unless --no-demo)')
    .option('-p, --port <port>', 'port (env PORT, default 8080)', (v) => Number(v))
    .option('--host <host>', 'address to listen on (env HOST, default localhost; 0.0.0.0 for the school network)')
    .option('--no-demo', 'do not load the demo school into an empty database')
    .action(async (opts: { port?: number; host?: string; demo: boolean }) => {
      const g = program.opts<GlobalOpts>();
      const config = loadConfig({
        ...(opts.port !== undefined ? { port: opts.port } : {}),
        ...(opts.host ? { host: opts.host } : {}),
        ...(g.dataDir ? { dataDir: g.dataDir } : {}),
        ...(g.databaseUrl ? { databaseUrl: g.databaseUrl } : {}),
      });
      const running = await serve(config, { demo: opts.demo });
      const stop = async () => {
        await running.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  program
    .command('migrate')
    .description('create or upgrade the database schema (serve does this too)')
    .action(async () => {
      const g = program.opts<GlobalOpts>();
      const config = loadConfig({ ...(g.dataDir ? { dataDir: g.dataDir } : {}), ...(g.databaseUrl ? { databaseUrl: g.databaseUrl } : {}) });
      const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, migrate: false });
      try {
        await migrateDatabase(database, config.databaseUrl ? 'PostgreSQL' : config.dataDir);
        console.log('Đã cập nhật lược đồ / schema is up to date.');
      } finally {
        await database.close();
      }
    });

  program
    .command('init')
    .description('create a real school and its first administrator (asks for what is not given)')
    .option('--school-code <code>', 'school code, e.g. 38001501')
    .option('--school-name <name>', 'e.g. "Trường THPT Hậu Lộc I"')
    .option('--province <name>', 'e.g. "Thanh Hóa"')
    .option('--commune <name>', 'e.g. "Xã Hậu Lộc"')
    .option('--year <yyyy-yyyy>', 'current school year', '2025-2026')
    .option('--year-start <date>', 'first day of the year (ISO)', undefined)
    .option('--year-end <date>', 'last day of the year (ISO)', undefined)
    .option('--admin-username <name>', 'first administrator (IT officer) username')
    .option('--admin-name <full name>', 'first administrator full name')
    .option('--admin-password <password>', 'password (prefer the prompt or env HOCBA_ADMIN_PASSWORD: flags show in the process list)')
    .action(async (o: Record<string, string | undefined>) => {
      const code = o.schoolCode ?? (await ask('Mã trường / school code: '));
      const name = o.schoolName ?? (await ask('Tên trường / school name: '));
      const province = o.province ?? (await ask('Tỉnh / province: '));
      const adminUsername = o.adminUsername ?? (await ask('Tên đăng nhập quản trị / admin username: '));
      const adminName = o.adminName ?? (await ask('Họ tên quản trị / admin full name: '));
      const password = o.adminPassword ?? process.env.HOCBA_ADMIN_PASSWORD ?? (await ask('Mật khẩu / password: ', { hidden: true }));
      const year = o.year ?? '2025-2026';
      const [y1] = year.split('-');
      await withDatabase(program.opts<GlobalOpts>(), async ({ db }) => {
        const r = await initSchool({
          db,
          actor: cliActor(),
          code,
          name,
          province,
          commune: o.commune ?? null,
          schoolYear: { name: year, startsOn: o.yearStart ?? `${y1}-09-05`, endsOn: o.yearEnd ?? `${Number(y1) + 1}-05-31` },
          admin: { username: adminUsername, displayName: adminName, password },
        });
        console.log(`Đã tạo trường / created school ${name} (${r.schoolId}); quản trị / admin: ${adminUsername}`);
      });
    });

  program
    .command('demo')
    .description('load the demo school (Trường THPT Hậu Lộc I, 2025–2026)')
    .option('--students <n>', 'number of students (default 1512)', (v) => Number(v))
    .option('--seed <n>', 'random seed', (v) => Number(v))
    .option('--no-year', 'leave the grade book empty (no marks, conduct, absences or comments)')
    .action(async (o: { students?: number; seed?: number; year: boolean }) => {
      await withDatabase(program.opts<GlobalOpts>(), async ({ db }) => {
        const t0 = Date.now();
        const loaded = await loadDemoSchool({ db, actor: cliActor(), ...o });
        console.log(`Đã tạo trường mẫu / demo school loaded in ${Date.now() - t0} ms.`);
        for (const line of demoLoadedLines(loaded)) console.log(line);
        const g = program.opts<GlobalOpts>();
        const config = loadConfig({ ...(g.dataDir ? { dataDir: g.dataDir } : {}) });
        await ensureDemoCertificates({ db, dataDir: config.dataDir, baseUrl: `${(process.env.PUBLIC_URL || `http://localhost:${config.port}`).replace(/\/+$/, '')}/pki`, actor: cliActor(), log: console.log });
      });
    });
}
