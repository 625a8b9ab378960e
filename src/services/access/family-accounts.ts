/**
 * Student and parent accounts for a class (tài khoản học sinh / phụ huynh), issued by the
 * school administrator or the class's homeroom teacher. Each new account gets a random first
 * password that must be changed at the first sign-in; the passwords exist only in the
 * answer (the sheet the GVCN prints and hands out), never in storage or the audit log.
 * Usernames follow the demo school: hs<mã học sinh> / ph<mã học sinh>.
 */
import { randomInt } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, inSystem } from '../../db/scope.ts';
import { classes, enrolments, roleGrants, students, users } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { hasPermission, isHomeroomOf, type ActorScope } from '../../domain/policies/permissions.ts';
import type { FamilyAccountsView } from '../../server/api-types.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { hashPassword } from '../auth/password-hash.ts';
import { createUser } from '../users/create-user.ts';

export type FamilyKind = 'student' | 'parent';

/** Unambiguous letters and digits (no 0/o, 1/l/i): read off paper and typed by a child. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A 12-character first password (≈ 59 bits): long enough for the policy, easy to copy. */
export function firstPassword(): string {
  let p = '';
  for (let i = 0; i < 12; i++) p += ALPHABET[randomInt(ALPHABET.length)];
  return `${p.slice(0, 4)}-${p.slice(4, 8)}-${p.slice(8)}`;
}

export const usernameFor = (kind: FamilyKind, studentCode: string) => `${kind === 'student' ? 'hs' : 'ph'}${studentCode}`;

function assertMayIssue(actor: ActorScope, classId: string): void {
  if (!hasPermission(actor.roles, 'access.issue_accounts')) throw new DomainError('forbidden');
  // The administrator issues for any class; a homeroom teacher for their own class only.
  if (!actor.roles.has('school_admin') && !isHomeroomOf(actor, classId)) throw new DomainError('forbidden');
}

async function classStudents(db: Db, schoolId: string, classId: string) {
  return inSchool(db, schoolId, async (tx) => {
    const [cls] = await tx.select({ name: classes.name }).from(classes).where(eq(classes.id, classId));
    if (!cls) throw new DomainError('not_found', { what: `lớp ${classId} / class ${classId}` });
    const rows = await tx
      .select({ id: students.id, fullName: students.fullName, studentCode: students.studentCode, fatherName: students.fatherName, motherName: students.motherName, guardianName: students.guardianName })
      .from(enrolments)
      .innerJoin(students, eq(students.id, enrolments.studentId))
      .where(and(eq(enrolments.classId, classId), eq(enrolments.status, 'active')))
      .orderBy(asc(students.fullName));
    return { className: cls.name, rows };
  });
}

async function accountsOf(db: Db, schoolId: string, studentIds: string[]) {
  if (!studentIds.length) return [];
  return inSystem(db, (tx) =>
    tx
      .select({ studentId: roleGrants.studentId, role: roleGrants.role, username: users.username, mustChangePassword: users.mustChangePassword, disabledAt: users.disabledAt })
      .from(roleGrants)
      .innerJoin(users, eq(users.id, roleGrants.userId))
      .where(and(eq(roleGrants.schoolId, schoolId), inArray(roleGrants.role, ['student', 'parent']), inArray(roleGrants.studentId, studentIds)))
      .orderBy(asc(users.username)),
  );
}

/** The class's students with the student / parent accounts they already have. */
export async function listFamilyAccounts(opts: { db: Db; actor: ActorScope; schoolId: string; classId: string }): Promise<FamilyAccountsView> {
  assertMayIssue(opts.actor, opts.classId);
  const { className, rows } = await classStudents(opts.db, opts.schoolId, opts.classId);
  const accounts = await accountsOf(opts.db, opts.schoolId, rows.map((r) => r.id));
  return {
    className,
    students: rows.map((s) => ({
      studentId: s.id,
      fullName: s.fullName,
      studentCode: s.studentCode,
      accounts: accounts
        .filter((a) => a.studentId === s.id)
        .map((a) => ({ kind: a.role as FamilyKind, username: a.username, mustChangePassword: a.mustChangePassword, disabled: a.disabledAt !== null })),
    })),
  };
}

export interface IssuedAccount {
  studentId: string;
  studentName: string;
  kind: FamilyKind;
  /** Who the account is for: the student, or the parent's name from the student's profile. */
  holderName: string;
  username: string;
  password: string;
}

export interface IssueReport {
  className: string;
  issued: IssuedAccount[];
  /** Students left out, and why (already have one; no student code). */
  skipped: Array<{ studentId: string; studentName: string; reason: 'has_account' | 'no_student_code' | 'username_taken' }>;
}

/**
 * Issues the missing accounts of one kind for the active students of a class. Students who
 * already have one are skipped (reset a lost password through the administrator instead).
 */
export async function issueFamilyAccounts(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; classId: string; kind: FamilyKind }): Promise<IssueReport> {
  assertMayIssue(opts.actor, opts.classId);
  const { className, rows } = await classStudents(opts.db, opts.schoolId, opts.classId);
  const existing = await accountsOf(opts.db, opts.schoolId, rows.map((r) => r.id));
  const report: IssueReport = { className, issued: [], skipped: [] };
  for (const s of rows) {
    if (existing.some((a) => a.studentId === s.id && a.role === opts.kind)) {
      report.skipped.push({ studentId: s.id, studentName: s.fullName, reason: 'has_account' });
      continue;
    }
    if (!s.studentCode) {
      report.skipped.push({ studentId: s.id, studentName: s.fullName, reason: 'no_student_code' });
      continue;
    }
    const username = usernameFor(opts.kind, s.studentCode);
    const password = firstPassword();
    const holderName = opts.kind === 'student' ? s.fullName : (s.fatherName ?? s.motherName ?? s.guardianName ?? `Phụ huynh ${s.fullName}`);
    try {
      await createUser({
        db: opts.db,
        actor: opts.who,
        username,
        displayName: holderName,
        password,
        passwordHash: await hashPassword(password),
        roles: [opts.kind],
        schoolId: opts.schoolId,
        studentId: s.id,
        mustChangePassword: true,
      });
    } catch (err) {
      // Usernames are deployment-wide: another school may hold the same code. Skip it and
      // carry on, so the accounts already made keep their passwords on the sheet.
      if (err instanceof DomainError && err.code === 'user.username_taken') {
        report.skipped.push({ studentId: s.id, studentName: s.fullName, reason: 'username_taken' });
        continue;
      }
      throw err;
    }
    report.issued.push({ studentId: s.id, studentName: s.fullName, kind: opts.kind, holderName, username, password });
  }
  return report;
}

/**
 * Links an existing parent account to one more child of the school (siblings share one
 * parent account). School administrator, or the GVCN of the child's class.
 */
export async function linkParentToStudent(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; username: string; studentId: string }): Promise<void> {
  const classId = await inSchool(opts.db, opts.schoolId, async (tx) => {
    const [e] = await tx.select({ classId: enrolments.classId }).from(enrolments).where(and(eq(enrolments.studentId, opts.studentId), eq(enrolments.status, 'active')));
    if (!e) throw new DomainError('not_found', { what: `học sinh ${opts.studentId} / student ${opts.studentId}` });
    return e.classId;
  });
  assertMayIssue(opts.actor, classId);
  await inSystem(opts.db, async (tx) => {
    const [u] = await tx
      .select({ id: users.id })
      .from(users)
      .innerJoin(roleGrants, eq(roleGrants.userId, users.id))
      .where(and(eq(users.username, opts.username.trim().toLowerCase()), eq(roleGrants.schoolId, opts.schoolId), eq(roleGrants.role, 'parent')));
    if (!u) throw new DomainError('not_found', { what: `tài khoản phụ huynh ${opts.username} / parent account ${opts.username}` });
    await tx.insert(roleGrants).values({ userId: u.id, schoolId: opts.schoolId, role: 'parent', studentId: opts.studentId }).onConflictDoNothing();
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'user.parent_linked', targetType: 'user', targetId: u.id, after: { studentId: opts.studentId } });
  });
}
