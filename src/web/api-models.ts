/**
 * Response shapes of endpoints that src/server/api-types.ts does not (yet) describe.
 * They mirror the contract agreed with the server; move them there when the server
 * exports its own types.
 */
export type Gender = 'male' | 'female';

export interface ClassSummary {
  id: string;
  name: string;
  grade: number;
  homeroomTeacher: string | null;
  studentCount: number;
  /** The class's elective group (tổ hợp môn lựa chọn), e.g. "KHTN1: Vật lí, Hóa học, Sinh học, Tin học". */
  electiveCombination?: string | null;
}

export interface ClassStudent {
  id: string;
  fullName: string;
  gender: Gender;
  /** YYYY-MM-DD */
  birthDate: string;
  studentCode: string;
  personalId: string;
}

export interface ClassStudentsResponse {
  class: { id: string; name: string; grade: number };
  students: ClassStudent[];
}

export interface StaffMember {
  id: string;
  fullName: string;
  department: string | null;
  position: string | null;
  username: string | null;
  roles: string[];
  /** The account exists but is locked by the school administrator. */
  disabled?: boolean;
}

export interface AuditEntry {
  seq: number;
  /** ISO timestamp */
  at: string;
  actor: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** What the action recorded (new values), when it recorded any. */
  after?: unknown;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: number; reason: string };
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}

/** GET /api/subjects: the school's subject catalogue (danh mục môn học). */
export interface Subject {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  kind: 'compulsory' | 'elective';
  assessment: 'score' | 'comment';
  periodsPerYear: number;
  ministryCode: string | null;
  sortOrder: number;
}

/** PUT /api/subjects/:id: any of the editable fields. */
export type SubjectUpdate = Partial<Pick<Subject, 'name' | 'nameEn' | 'periodsPerYear' | 'ministryCode' | 'sortOrder'>>;

/** POST /api/uploads answer. */
export interface UploadedFile {
  id: string;
  name: string;
  mime: string;
  size: number;
}

/** GET /api/cross-checks coverage figures. */
export interface CrossCheckCoverage {
  total: number;
  checked: number;
  issues: number;
}

/** PUT /api/classes/:classId/homeroom/students/:studentId body (absences come from the attendance register). */
export interface HomeroomUpdate {
  semester?: 1 | 2;
  conduct?: 'tot' | 'kha' | 'dat' | 'chua_dat' | null;
  comment?: string | null;
}

/** Attendance status of one session (buổi) in the daily register. */
export type AttendanceStatus = 'present' | 'excused' | 'unexcused';

/** PUT /api/classes/:classId/attendance body: one day, all or nothing. */
export interface AttendanceSave {
  /** YYYY-MM-DD */
  date: string;
  entries: Array<{ studentId: string; session: 1 | 2; status: AttendanceStatus }>;
}

export type ExemptionKind = 'whole_subject' | 'practical_part';

/** GET /api/classes/:classId/exemptions item (miễn học, decided by leadership). */
export interface Exemption {
  id: string;
  studentId: string;
  studentName: string;
  classSubjectId: string;
  subjectName: string;
  kind: ExemptionKind;
  semesters: number[];
  reason: string;
  decidedBy: string | null;
}

export interface ExemptionCreate {
  studentId: string;
  classSubjectId: string;
  kind: ExemptionKind;
  semesters: Array<1 | 2>;
  reason: string;
}

/** GET/PUT /api/school/settings. */
export interface SchoolSettings {
  totpRequiredRoles: string[];
  /** Roles that sign or approve records: the ones the school may require a second factor for. */
  signingRoles?: string[];
}

/** GET /api/school/year (null when the school has no current year). */
export interface SchoolYearSettings {
  schoolYear: string;
  startsOn: string;
  endsOn: string;
  semester2StartsOn: string | null;
  /** ISO datetimes: the grade book locks at these moments. */
  semester1LockAt: string | null;
  semester2LockAt: string | null;
}

export type SchoolYearUpdate = Partial<Pick<SchoolYearSettings, 'semester2StartsOn' | 'semester1LockAt' | 'semester2LockAt'>>;

export type LeaveKind = 'transferred_out' | 'dropped_out' | 'graduated';

/** POST /api/students body: enrol a new student or one transferred in. */
export interface EnrolStudentRequest {
  classId: string;
  /** dd/mm/yyyy */
  on: string;
  joinedAs: 'new' | 'transfer_in';
  note?: string;
  values: Record<string, string | null>;
}

/** POST /api/reference-extracts answer. */
export interface ReferenceExtractUploaded {
  id: string;
  source: 'csdl_nganh' | 'vneid';
  rows: number;
  fileName: string;
}

export type ReconcileTake = 'school' | 'csdl_nganh' | 'vneid' | 'manual';

/** GET /api/classes/:classId/subjects */
export interface ClassSubjectList {
  class: { id: string; name: string; electiveCombination: string | null };
  subjects: Array<{ id: string; subjectId: string; code: string; name: string; kind: string; teacherStaffId: string | null; teacherName: string | null; topicCluster: boolean; hasMarks: boolean }>;
}

/** POST /api/classes/:classId/freeze */
export interface FreezeReport {
  frozen: Array<{ studentId: string; fullName: string; version: number; digest: string }>;
  alreadyFrozen: Array<{ studentId: string; fullName: string; version: number }>;
  blocked: Array<{ studentId: string; fullName: string; reasons: Array<{ vi: string; en: string }> }>;
}
