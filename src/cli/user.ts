import type { Command } from 'commander';
import { schools } from '../db/schema.ts';
import { eq } from 'drizzle-orm';
import { DomainError } from '../domain/errors.ts';
import { isRole, ROLES, type Role } from '../domain/policies/roles.ts';
import { provinceByCode } from '../services/province/province-scope.ts';
import { createUser } from '../services/users/create-user.ts';
import { findUserId, setUserDisabled } from '../services/users/disable-user.ts';
import { resetPassword } from '../services/users/reset-password.ts';
import { ask } from './prompt.ts';
import { cliActor, withDatabase, type GlobalOpts } from './open.ts';

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('manage accounts');

  user
    .command('add')
    .description('create an account')
    .requiredOption('--username <name>', 'lower-case ASCII, 3–40 characters')
    .requiredOption('--name <full name>', 'full name with diacritics')
    .requiredOption('--role <role...>', `one or more of: ${ROLES.join(', ')}`)
    .option('--school <code>', 'school code (every role but system_admin and province_officer needs one)')
    .option('--province <code>', 'province_officer only: the 2-digit province code since 1 July 2025 (e.g. 38 = Thanh Hóa)')
    .option('--password <password>', 'password (else env HOCBA_PASSWORD, else asked)')
    .action(async (o: { username: string; name: string; role: string[]; school?: string; province?: string; password?: string }) => {
      const bad = o.role.filter((r) => !isRole(r));
      if (bad.length) throw new DomainError('validation', { summary: `unknown role ${bad.join(', ')}` });
      if (o.province && !provinceByCode(o.province)) throw new DomainError('validation', { summary: `unknown province code ${o.province} (one of the 34 since 1 July 2025)` });
      const password = o.password ?? process.env.HOCBA_PASSWORD ?? (await ask('Mật khẩu / password: ', { hidden: true }));
      await withDatabase(program.opts<GlobalOpts>(), async ({ db }) => {
        let schoolId: string | null = null;
        if (o.school) {
          const [s] = await db.select({ id: schools.id }).from(schools).where(eq(schools.code, o.school));
          if (!s) throw new DomainError('not_found', { what: `school ${o.school}` });
          schoolId = s.id;
        }
        const { id } = await createUser({ db, actor: cliActor(), username: o.username, displayName: o.name, password, roles: o.role as Role[], schoolId, provinceCode: o.province ?? null });
        console.log(`Đã tạo tài khoản / created ${o.username} (${id})`);
      });
    });

  user
    .command('reset-password <username>')
    .description('set a new password (a temporary one if none is given); the person must change it at next sign-in')
    .option('--password <password>', 'the new password')
    .action(async (username: string, o: { password?: string }) => {
      await withDatabase(program.opts<GlobalOpts>(), async ({ db }) => {
        const userId = await findUserId(db, username);
        const { password } = await resetPassword({ db, actor: cliActor(), userId, schoolId: null, ...(o.password ? { newPassword: o.password } : {}) });
        console.log(o.password ? 'Đã đặt mật khẩu mới / password set.' : `Mật khẩu tạm / temporary password: ${password}`);
      });
    });

  user
    .command('disable <username>')
    .description('disable an account (ends its sessions); --enable turns it back on')
    .option('--enable', 're-enable instead')
    .action(async (username: string, o: { enable?: boolean }) => {
      await withDatabase(program.opts<GlobalOpts>(), async ({ db }) => {
        const userId = await findUserId(db, username);
        await setUserDisabled({ db, actor: cliActor(), userId, schoolId: null, disabled: !o.enable });
        console.log(o.enable ? `Đã mở lại / enabled ${username}` : `Đã vô hiệu hoá / disabled ${username}`);
      });
    });
}
