/**
 * Who may do what: a declarative table of permissions → roles, plus small named
 * predicates for the scoped ones (a subject teacher acts only on the class-subjects they
 * teach, a homeroom teacher on their own class, a student or parent on their own record).
 * Every HTTP route names one permission (server/authorize.ts); the UI receives the
 * permission list with the session.
 */
import type { Role } from './roles.ts';

const LEADERSHIP: Role[] = ['principal', 'vice_principal'];
const ALL_STAFF: Role[] = ['school_admin', 'principal', 'vice_principal', 'department_head', 'homeroom_teacher', 'subject_teacher', 'clerk'];

export const PERMISSIONS = {
  /** See the school's name, year and one's own home page. */
  'school.read': [...ALL_STAFF, 'student', 'parent'],
  /** List classes; teachers see only their own (see canReadClass). */
  'classes.read': ALL_STAFF,
  /** See every class and every student of the school, not only one's own. */
  'classes.read_all': ['school_admin', ...LEADERSHIP, 'department_head', 'clerk'],
  /** Staff directory. */
  'staff.read': ['school_admin', ...LEADERSHIP, 'department_head', 'clerk'],
  /** Change the school's settings (e.g. which signing roles must use TOTP). */
  'school.configure': ['school_admin', 'principal'],
  /** Create accounts, reset passwords, disable accounts, change roles (school scope). */
  'users.manage': ['school_admin'],
  /** Enter marks in the grade sheets one teaches (scoped: canEditSheet). */
  'grades.enter': ['subject_teacher'],
  /** Read grade sheets (scoped: canReadSheet). */
  'grades.read': ALL_STAFF,
  /** Approve or reject changes to locked marks. */
  'changes.decide': ['principal'],
  /** Conduct, absences and the year comment of one's homeroom class (scoped: isHomeroomOf). */
  'homeroom.manage': ['homeroom_teacher'],
  /** Record a student's exemption from a subject or its practical part (health reasons). */
  'exemptions.manage': LEADERSHIP,
  /** Edit any student's identity data (the homeroom teacher edits their own class: canEditStudent). */
  'students.edit_all': ['school_admin'],
  /** Edit identity data at all (scoped). */
  'students.edit': ['school_admin', 'homeroom_teacher'],
  /** Enrol, move between classes, transfer, drop out, graduate. */
  'students.enrol': ['school_admin', ...LEADERSHIP],
  /** Assign cross-checks between departments and see their coverage. */
  'crosscheck.assign': LEADERSHIP,
  /** Review the class-subjects assigned to one for cross-checking. */
  'crosscheck.review': ['department_head'],
  /** Edit the school's subject catalogue. */
  'subjects.manage': ['school_admin'],
  /** Upload, replace or remove one's own handwritten signature image (stamped on the records one signs). */
  'own_signature_image.manage': ['principal', 'vice_principal', 'homeroom_teacher', 'subject_teacher'],
  /** Upload, replace or remove the school's seal image (stamped when the seal is applied; văn thư). */
  'seal_image.manage': ['school_admin', 'clerk'],
  /** Register one's own signing certificate (upload, local agent, remote CSC credential). */
  'own_certificate.manage': ['principal', 'vice_principal', 'homeroom_teacher', 'subject_teacher'],
  /** Register the school seal's certificate (and its server-held key; văn thư). */
  'seal_certificate.manage': ['school_admin', 'clerk'],
  /** The board of every signer's certificate status. */
  'certificates.board': ['school_admin', ...LEADERSHIP],
  /** Sign records at one's step of the legal order (scoped per record: decideSigning), return a record with a reason. */
  'records.sign': ['subject_teacher', 'homeroom_teacher', 'principal', 'vice_principal', 'clerk'],
  /** Revoke a sealed record version with a reason (thu hồi học bạ): published in the signed status list. */
  'records.revoke': ['principal'],
  /** Request a correction of a returned or sealed record (GVCN: whole record; GVBM: own subject rows); the principal decides (changes.decide). */
  'records.correct': ['homeroom_teacher', 'subject_teacher'],
  /** Record, list and revoke delegations of the principal's signature to a vice principal. */
  'delegations.manage': ['principal'],
  /** See the delegations one holds (vice principal) or has given (principal). */
  'delegations.read': LEADERSHIP,
  /** Upload a file (e.g. the scanned letter of a change request). */
  'files.upload': ALL_STAFF,
  /** Read the audit log and verify its chain. */
  'audit.read': ['school_admin', ...LEADERSHIP],
  /** Read one's own (or one's child's) record. */
  'own_record.read': ['student', 'parent'],
  /** Issue student / parent accounts for a class, with first passwords to hand out (the GVCN: own class, isHomeroomOf). */
  'access.issue_accounts': ['school_admin', 'homeroom_teacher'],
  /** Issue a copy of a sealed record on a family's behalf: a share link, a print (scoped: canReadStudentRecord). */
  'records.issue_copy': ['school_admin', ...LEADERSHIP, 'clerk', 'homeroom_teacher'],
  /** The log of every copy issued (who, when, which version, why), with re-issue flags. */
  'issued_copies.read': ['school_admin', ...LEADERSHIP],
  /** Export a leaving student's transfer package (sealed records + manifest signed with the school seal) and record the receiving school's acknowledgment. */
  'transfers.export': ['principal', 'clerk'],
  /** Import a transfer package from another school (verify, attach read-only, enrol) and return the signed acknowledgment. */
  'transfers.import': ['school_admin', 'principal', 'clerk'],
  /** See the sync to the national HBS database / VNeID: runs, per-record results, rejections, jobs (principal: read-only). */
  'sync.read': ['school_admin', 'principal'],
  /** Configure the sync targets, start a sync, resubmit rejected records, retry failed jobs (IT officer). */
  'sync.manage': ['school_admin'],
  /** See the school-year plan, one's own work queue ("Việc của tôi") and one's notifications. */
  'plan.read': ALL_STAFF,
  /** Edit the school-year plan (dates of every stage). */
  'plan.manage': ['principal'],
  /** The progress board against the plan, its exports. */
  'plan.board': ['school_admin', ...LEADERSHIP],
  /** Reminder settings and the school's SMTP server. */
  'plan.settings': ['school_admin', 'principal'],
  /** Switch into the school's practice school and see its state (services/practice). */
  'practice.use': ALL_STAFF,
  /** Create or reset the school's practice school (a sandbox copy of the demo with test certificates). */
  'practice.manage': ['school_admin', 'principal'],
  /** Deployment administration: schools and their first administrators. */
  'schools.manage': ['system_admin'],
  /** The province board: every school of one's province by record state, plan deadlines, sync and certificate problems (aggregates only, never a student). */
  'province.board': ['province_officer'],
  /** Create schools of one's province and their first administrators; disable a school administrator. */
  'province.schools': ['province_officer'],
  /** See the scheduled backups: last run, size, failures, next run (the IT officer; the deployment operator). */
  'backup.read': ['system_admin', 'school_admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** The permissions a set of roles grants. */
export function permissionsOf(roles: Iterable<Role>): Permission[] {
  const held = new Set(roles);
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => PERMISSIONS[p].some((r) => held.has(r)));
}

/** True when any of the roles grants the permission. */
export function hasPermission(roles: Iterable<Role>, permission: Permission): boolean {
  const allowed: readonly Role[] = PERMISSIONS[permission];
  for (const r of roles) if (allowed.includes(r)) return true;
  return false;
}

/** What a person is, in the school they are acting in: their roles and what they are assigned to. */
export interface ActorScope {
  userId: string;
  schoolId: string | null;
  roles: ReadonlySet<Role>;
  /** Class ids where the person is the homeroom teacher (GVCN). */
  homeroomClassIds: ReadonlySet<string>;
  /** Class-subject ids the person teaches (GVBM). */
  classSubjectIds: ReadonlySet<string>;
  /** Class ids of those class-subjects. */
  taughtClassIds: ReadonlySet<string>;
  /** Students whose record the person may read (student / parent). */
  studentIds: ReadonlySet<string>;
}

/** A class's list and students: whole-school readers, its homeroom teacher, its subject teachers. */
export function canReadClass(actor: ActorScope, classId: string): boolean {
  return hasPermission(actor.roles, 'classes.read_all') || actor.homeroomClassIds.has(classId) || actor.taughtClassIds.has(classId);
}

/** Entering marks for a class-subject: only the teacher assigned to it. */
export function canTeachClassSubject(actor: ActorScope, classSubjectId: string): boolean {
  return actor.roles.has('subject_teacher') && actor.classSubjectIds.has(classSubjectId);
}

/** Acting as homeroom teacher of a class (conduct, attendance, freezing). */
export function isHomeroomOf(actor: ActorScope, classId: string): boolean {
  return actor.roles.has('homeroom_teacher') && actor.homeroomClassIds.has(classId);
}

/** Reading a student's own record: the student, their parent, or staff who may read the class. */
export function canReadStudentRecord(actor: ActorScope, studentId: string, classId: string | null): boolean {
  if (actor.studentIds.has(studentId)) return true;
  // A student who has left has no current class: whole-school readers still see the record.
  return classId !== null ? canReadClass(actor, classId) : hasPermission(actor.roles, 'classes.read_all');
}
