import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { roleGrants, staff, users } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { SCHOOLLESS_ROLES, type Role } from '../../domain/policies/roles.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { assertPasswordAcceptable } from '../auth/change-password.ts';
import { hashPassword } from '../auth/password-hash.ts';

export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{2,39}$/;

export interface CreateUserInput {
  db: Db;
  actor: Actor;
  username: string;
  displayName: string;
  password: string;
  email?: string | null;
  /** Roles in `schoolId` (or the school-less system_admin / province_officer with schoolId null). */
  roles: Role[];
  schoolId: string | null;
  /** The province a province_officer oversees (required for that role, refused for any other). */
  provinceCode?: string | null;
  /** Links the account to an existing staff member of the school. */
  staffId?: string | null;
  studentId?: string | null;
  mustChangePassword?: boolean;
  /** Pre-computed hash (the demo loader hashes its shared password once). */
  passwordHash?: string;
}

/** Creates an account with its roles; the username must be free and the password acceptable. */
export async function createUser(input: CreateUserInput): Promise<{ id: string }> {
  const username = input.username.trim().toLowerCase();
  if (!USERNAME_RE.test(username)) {
    throw new DomainError('validation', { summary: 'username' }, [
      { path: 'username', message: 'Tên đăng nhập 3–40 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới, gạch ngang.' },
    ]);
  }
  const displayName = input.displayName.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!displayName) throw new DomainError('validation', { summary: 'displayName' }, [{ path: 'displayName', message: 'Họ tên không được để trống.' }]);
  if (input.roles.some((r) => SCHOOLLESS_ROLES.includes(r)) !== (input.schoolId === null)) {
    throw new DomainError('validation', { summary: 'roles' }, [{ path: 'roles', message: 'system_admin and province_officer have no school; every other role needs one' }]);
  }
  if (input.roles.includes('province_officer') !== !!input.provinceCode) {
    throw new DomainError('validation', { summary: 'province' }, [{ path: 'province', message: 'Cán bộ Sở cần mã tỉnh (--province); vai trò khác không có / province_officer needs a province code; other roles take none' }]);
  }
  if (!input.passwordHash) assertPasswordAcceptable(input.password, username);
  const passwordHash = input.passwordHash ?? (await hashPassword(input.password));
  return inSystem(input.db, async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, username));
    if (taken) throw new DomainError('user.username_taken', { username });
    const [u] = await tx
      .insert(users)
      .values({ username, displayName, email: input.email ?? null, passwordHash, mustChangePassword: input.mustChangePassword ?? false })
      .returning({ id: users.id });
    const id = u!.id;
    if (input.roles.length) {
      await tx.insert(roleGrants).values(input.roles.map((role) => ({ userId: id, schoolId: input.schoolId, role, studentId: input.studentId ?? null, provinceCode: role === 'province_officer' ? input.provinceCode! : null })));
    }
    if (input.staffId && input.schoolId) {
      // Only a staff record without an account: taking over a teacher's record would hand over their classes.
      const linked = await tx
        .update(staff)
        .set({ userId: id })
        .where(and(eq(staff.id, input.staffId), eq(staff.schoolId, input.schoolId), isNull(staff.userId)))
        .returning({ schoolId: staff.schoolId });
      if (!linked.length) throw new DomainError('conflict', { what: 'Tài khoản cho cán bộ này / an account for this staff member' });
    }
    await appendAudit(tx, {
      actor: input.actor,
      schoolId: input.schoolId,
      action: 'user.created',
      targetType: 'user',
      targetId: id,
      after: { username, displayName, roles: input.roles, staffId: input.staffId ?? null, ...(input.provinceCode ? { provinceCode: input.provinceCode } : {}) },
    });
    return { id };
  });
}
