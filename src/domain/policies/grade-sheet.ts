/**
 * When a grade sheet can be changed, and by whom (DESIGN.md: the grade book locks a
 * class-subject when its teacher submits it, and at the school's deadline; changing a
 * locked mark needs a change request approved by the principal).
 */
import { canReadClass, canTeachClassSubject, hasPermission, type ActorScope } from './permissions.ts';

export interface SheetLockInput {
  status: 'open' | 'submitted';
  /** Reopened by an approved unlock request: the deadline no longer applies. */
  reopened: boolean;
  deadline: Date | null;
  now: Date;
}

export type SheetLock = { locked: false; reason: null } | { locked: true; reason: 'submitted' | 'deadline' };

export function sheetLock(s: SheetLockInput): SheetLock {
  if (s.status === 'submitted') return { locked: true, reason: 'submitted' };
  if (!s.reopened && s.deadline && s.now >= s.deadline) return { locked: true, reason: 'deadline' };
  return { locked: false, reason: null };
}

/** Only the assigned teacher enters marks, and only while the sheet is not locked. */
export function canEditSheet(actor: ActorScope, classSubjectId: string, lock: SheetLock): boolean {
  return !lock.locked && canTeachClassSubject(actor, classSubjectId);
}

/** Reading a sheet: its teacher, whoever may read the class, and its cross-check reviewer. */
export function canReadSheet(actor: ActorScope, classSubjectId: string, classId: string, isReviewer: boolean): boolean {
  return canTeachClassSubject(actor, classSubjectId) || canReadClass(actor, classId) || isReviewer;
}

/** Deciding change requests: the principal (the regulation's "principal's consent"). */
export function canDecideChanges(actor: ActorScope): boolean {
  return hasPermission(actor.roles, 'changes.decide');
}

/** Column labels as printed in Vietnamese grade books. */
export function columnLabel(field: 'regular' | 'midterm' | 'final' | 'comment', index = 0): string {
  switch (field) {
    case 'regular':
      return `TX${index + 1}`;
    case 'midterm':
      return 'GK';
    case 'final':
      return 'CK';
    case 'comment':
      return 'Nhận xét';
  }
}
