/**
 * `hocba practice create|reset --school <code>` — the practice school of a real school
 * (docs/practice.md): a sandbox generated like the demo, staffed by the school's real people
 * with their own roles and TEST certificates, where nothing reaches real records.
 */
import type { Command } from 'commander';
import { eq } from 'drizzle-orm';
import { inSystem } from '../db/scope.ts';
import { schools } from '../db/schema.ts';
import { DomainError } from '../domain/errors.ts';
import { createPracticeSchool } from '../services/practice/practice-school.ts';
import { loadConfig } from '../server/config.ts';
import { cliActor, reportError, withDatabase, type GlobalOpts } from './open.ts';

export function registerPracticeCommands(program: Command): void {
  const practice = program.command('practice').description('trường thực hành / the practice school: a sandbox where staff rehearse marks, signing and sealing (docs/practice.md)');
  for (const [name, reset, what] of [
    ['create', false, 'tạo trường thực hành / create the practice school of a school'],
    ['reset', true, 'làm mới: thay trường thực hành cũ bằng một trường mới / retire the practice school and create it afresh'],
  ] as const) {
    practice
      .command(name)
      .description(what)
      .requiredOption('--school <code>', 'mã trường thật / the real school code')
      .option('--classes <n>', 'số lớp (mặc định: một lớp cho mỗi GVCN, 3–36) / number of classes (default: one per homeroom teacher, 3–36)', (v) => Number(v))
      .action(async (o: { school: string; classes?: number }) => {
        const g = program.opts<GlobalOpts>();
        try {
          if (o.classes !== undefined && (!Number.isInteger(o.classes) || o.classes < 1 || o.classes > 36)) throw new Error(`--classes must be a whole number from 1 to 36: ${o.classes}`);
          const config = loadConfig({ ...(g.dataDir ? { dataDir: g.dataDir } : {}), ...(g.databaseUrl ? { databaseUrl: g.databaseUrl } : {}) });
          const publicUrl = (process.env.PUBLIC_URL || 'http://localhost:8080').replace(/\/+$/, '');
          await withDatabase(g, async (database) => {
            const [school] = await inSystem(database.db, (tx) => tx.select({ id: schools.id }).from(schools).where(eq(schools.code, o.school)));
            if (!school) throw new DomainError('not_found', { what: `trường / school ${o.school}` });
            const p = await createPracticeSchool({ db: database.db, who: cliActor(), schoolId: school.id, reset, pki: { dataDir: config.dataDir, baseUrl: `${publicUrl}/pki` }, ...(o.classes ? { classes: o.classes } : {}) });
            console.log(`Trường thực hành / practice school: ${p.name} (${p.code}) — ${p.classes} lớp / classes, ${p.students} học sinh giả định / fictitious students, ${p.staff} cán bộ / staff, ${p.certificatesIssued} chứng thư THỬ NGHIỆM / TEST certificates, ${(p.ms / 1000).toFixed(1)} s.`);
            if (p.retiredSchoolId) console.log('Trường thực hành cũ đã ngừng dùng / the previous practice school is retired.');
            console.log('Cán bộ chọn trường này trong ô chọn trường để luyện tập / staff pick it in the school switcher to rehearse.');
          });
        } catch (err) {
          reportError(err);
        }
      });
  }
}
