/**
 * Shapes of the JSON the HTTP API returns, shared by the server's presenters and the
 * web client. Types only: the web bundle imports this file without pulling server code.
 */
import type { Role } from '../domain/policies/roles.ts';

export type Locale = 'vi' | 'en';

/** Every error response: `{ error: ApiError }` with a stable code and a message in the caller's language. */
export interface ApiError {
  code: string;
  message: string;
  /** Field-level details, e.g. `{ path: 'password', message: '…' }`. */
  details?: Array<{ path: string; message: string }>;
}

export interface RoleGrant {
  role: Role;
  schoolId: string | null;
  schoolName: string | null;
  /** For student and parent roles: the student whose record they may read. */
  studentId?: string | null;
  /** Set when the school is a practice school (issue 13.3): the real school it belongs to. */
  practiceOf?: string | null;
}

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  locale: Locale;
  totpEnabled: boolean;
  mustChangePassword: boolean;
  roles: RoleGrant[];
}

/** GET /api/session (200 when signed in, 401 otherwise) and the body of a successful POST /api/auth/login. */
export interface SessionInfo {
  user: SessionUser;
  /** Send back as the `x-csrf-token` header on every POST/PUT/PATCH/DELETE. */
  csrfToken: string;
  /** The school the session is working in (a person with roles in several schools picks one). */
  activeSchoolId: string | null;
  /** The school requires a second factor for one of this person's roles and none is set up yet:
   *  every route but TOTP set-up, password change and sign-out answers 403 `auth.totp_enrolment_required`. */
  mustEnrollTotp: boolean;
  /** Permission names this person holds in the active school (see domain/policies/permissions.ts). */
  permissions: string[];
}

/** POST /api/auth/login answers 401 with code `auth.totp_required` when a code is needed. */
export interface LoginRequest {
  username: string;
  password: string;
  totp?: string;
}

export interface HomeCard {
  /** Stable key, e.g. 'classes', 'students', 'staff', 'my_classes'. */
  key: string;
  value: number | string;
}

/** GET /api/home: what the home page of each of the person's roles shows. */
export interface HomeInfo {
  school: { id: string; name: string; schoolYear: string | null } | null;
  sections: Array<{
    role: Role;
    cards: HomeCard[];
    /** Rows for a small table, e.g. the classes a teacher teaches. */
    items?: Array<{ id: string; label: string; detail?: string }>;
  }>;
}

// ---------------------------------------------------------------------------
// Grade book (Circular 22). Marks travel as canonical strings: scores "8.5" / "10"
// (dot, at most one decimal; the UI shows "8,5"), comment-only subjects "D" (Đạt) /
// "CD" (Chưa đạt). The server parses and validates every value with the rules engine.

export type Semester = 1 | 2;
export type SheetField = 'regular' | 'midterm' | 'final' | 'comment';

export interface GradeSheetRow {
  studentId: string;
  studentCode: string | null;
  fullName: string;
  /** Exactly `regularCount` entries; null = not entered. */
  regular: Array<string | null>;
  midterm: string | null;
  final: string | null;
  /** The teacher's comment (nhận xét) for the semester. */
  comment: string | null;
  /** ĐTBmhk as "7.9", or "D"/"CD" for a comment subject; null while marks are missing (or exempt). */
  average: string | null;
  /** Exempt from the whole subject this semester (no marks needed) or from its practical part (GDTC). */
  exempt: 'whole_subject' | 'practical_part' | null;
  /** Human-readable list of what is missing, e.g. ["TX2", "CK"]. */
  missing: string[];
}

/** GET /api/grade-sheets/:classSubjectId/:semester */
export interface GradeSheet {
  id: string;
  classSubjectId: string;
  className: string;
  subject: { code: string; name: string; assessment: 'score' | 'comment'; periodsPerYear: number; topicCluster: boolean };
  semester: Semester;
  teacher: string | null;
  regularCount: number;
  /** open: editable by its teacher; submitted: locked by the teacher's submission. */
  status: 'open' | 'submitted';
  /** True when submitted or past the school's deadline for the semester. */
  locked: boolean;
  lockReason: 'submitted' | 'deadline' | null;
  deadline: string | null;
  submittedAt: string | null;
  complete: boolean;
  rows: GradeSheetRow[];
  /** What the signed-in person may do with this sheet. */
  can: { edit: boolean; submit: boolean; requestChange: boolean; export: boolean; import: boolean };
  pendingChangeRequests: number;
}

/** PUT /api/grade-sheets/:sheetId/cells — all-or-nothing. `expected` is the value the
 *  client last saw; if the stored value differs (another tab or person changed it) the
 *  whole save answers 409 `grade.conflict` with details naming the cells, and nothing is
 *  written. Invalid values answer 400 `validation` with details path `cells.<i>`. */
export interface SaveCellsRequest {
  cells: Array<{ studentId: string; field: SheetField; index?: number; value: string | null; expected: string | null }>;
}
/** 200: the updated rows (with new averages). */
export interface SaveCellsResponse {
  rows: GradeSheetRow[];
}

/** POST /api/grade-sheets/:sheetId/change-requests (sheet locked). kind 'values': the new
 *  values; kind 'unlock': reopen the whole sheet for its teacher; kind 'relock'. */
export interface ChangeRequestCreate {
  kind: 'values' | 'unlock';
  reason: string;
  cells?: Array<{ studentId: string; field: SheetField; index?: number; value: string | null }>;
  /** From POST /api/uploads (multipart field `file`: PDF, PNG or JPEG, ≤ 5 MB) → `{ id }`. */
  attachmentId?: string;
}

export interface ChangeRequestView {
  id: string;
  sheetId: string;
  /** With `semester`, opens the sheet: /grade-sheets/:classSubjectId/:semester. */
  classSubjectId: string;
  className: string;
  subjectName: string;
  semester: Semester;
  kind: 'values' | 'unlock';
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  attachment: { id: string; name: string; mime: string } | null;
  /** Old → new, with the student's name and the column label ("TX2", "GK", "CK", "Nhận xét"). */
  changes: Array<{ studentId: string; studentName: string; column: string; old: string | null; new: string | null }>;
}
/** GET /api/change-requests?status=pending|approved|rejected|all  → { requests: ChangeRequestView[] }
 *  (principal and vice principals see the school's; a teacher sees their own).
 *  POST /api/change-requests/:id/decision body { approve: boolean, note?: string } → ChangeRequestView.
 *  GET /api/grade-sheets/:sheetId/history → { entries: GradeHistoryEntry[] } */
export interface GradeHistoryEntry {
  at: string;
  by: string;
  action: 'saved' | 'submitted' | 'change_requested' | 'change_approved' | 'change_rejected' | 'unlocked' | 'imported';
  reason: string | null;
  approvedBy: string | null;
  changes: Array<{ studentName: string; column: string; old: string | null; new: string | null }>;
}

/** GET /api/my/class-subjects → { classSubjects: MyClassSubject[] } (what a teacher teaches). */
export interface MyClassSubject {
  id: string;
  className: string;
  grade: number;
  subjectCode: string;
  subjectName: string;
  assessment: 'score' | 'comment';
  sheets: Array<{ semester: Semester; status: 'open' | 'submitted'; locked: boolean; complete: boolean; entered: number; required: number }>;
}

/** GET /api/classes/:classId/homeroom → the homeroom teacher's class view (GVCN; leadership read-only). */
export interface HomeroomView {
  class: { id: string; name: string; grade: number };
  canEdit: boolean;
  students: Array<{
    studentId: string;
    fullName: string;
    studentCode: string | null;
    /** Per semester: conduct (rèn luyện) chosen by the GVCN, absences, derived learning result. */
    semesters: Record<'1' | '2', { conduct: 'tot' | 'kha' | 'dat' | 'chua_dat' | null; absentExcused: number; absentUnexcused: number; learning: string | null }>;
    year: { conduct: string | null; learning: string | null; absences: number; outcome: string | null; award: string | null; comment: string | null; missing: string[] };
  }>;
  /** Completeness per subject: who has not finished what. */
  subjects: Array<{ classSubjectId: string; subjectName: string; teacher: string | null; semesters: Record<'1' | '2', { status: 'open' | 'submitted'; complete: boolean; entered: number; required: number }> }>;
}
/** PUT /api/classes/:classId/homeroom/students/:studentId body
 *  { semester?: 1|2, conduct?: level|null, comment?: string|null } → 204 (unknown fields → 400).
 *  Absences are not entered here: they are counted from the daily register
 *  (GET /api/classes/:classId/attendance?date=YYYY-MM-DD → AttendanceDay;
 *  PUT /api/classes/:classId/attendance { date, entries: [{ studentId, session: 1|2, status }] } → 204),
 *  semester II starting on the school year's `semester2StartsOn`. */
export interface AttendanceDay {
  class: { id: string; name: string };
  date: string;
  canEdit: boolean;
  /** Session 1 = buổi sáng, 2 = buổi chiều. */
  students: Array<{ studentId: string; fullName: string; sessions: Record<'1' | '2', 'present' | 'excused' | 'unexcused'> }>;
}
/** Exemptions (miễn học), decided by the principal or a vice principal (`exemptions.manage`):
 *  GET /api/classes/:classId/exemptions → { exemptions: Array<{ id, studentId, studentName, classSubjectId, subjectName, kind, semesters: number[], reason, decidedBy }> };
 *  POST /api/exemptions { studentId, classSubjectId, kind: 'whole_subject'|'practical_part', semesters: (1|2)[], reason } → 201;
 *  DELETE /api/exemptions/:id → 204. */

/** Cross-check (kiểm tra chéo). GET /api/cross-checks → { checks: CrossCheckView[], coverage: { total, checked, issues } } */
export interface CrossCheckView {
  id: string;
  classSubjectId: string;
  className: string;
  subjectName: string;
  semester: Semester;
  teacher: string | null;
  reviewer: string;
  status: 'assigned' | 'checked' | 'issue_found' | 'answered';
  note: string | null;
  answer: string | null;
  updatedAt: string;
  can: { review: boolean; answer: boolean };
}
/** POST /api/cross-checks/assign { semester } (principal): assigns every class-subject to a
 *  department head of another department. POST /api/cross-checks/:id/review
 *  { status: 'checked'|'issue_found', note? }. POST /api/cross-checks/:id/answer { answer }. */

// ---------------------------------------------------------------------------
// Student records and data cleaning ("Đúng – Đủ – Sạch – Sống").

/** A student's identity field names (see domain/identity/student-record.ts STUDENT_FIELDS for labels). */
export type StudentFieldName =
  | 'fullName' | 'gender' | 'birthDate' | 'birthPlace' | 'ethnicityCode' | 'nationality' | 'personalId' | 'studentCode'
  | 'hometown' | 'address' | 'phone' | 'policyStatus' | 'fatherName' | 'fatherOccupation' | 'motherName' | 'motherOccupation'
  | 'guardianName' | 'guardianOccupation';

export interface RecordProblemView {
  field: StudentFieldName | 'parents' | 'duplicate';
  code: string;
  severity: 'blocking' | 'warning';
  message: { vi: string; en: string };
  value: string | null;
}

/** GET /api/students/:id ; PUT /api/students/:id { values: Partial<Record<StudentFieldName, string|null>>, reason? } → StudentProfileView.
 *  POST /api/students { classId, on: 'dd/mm/yyyy', joinedAs: 'new'|'transfer_in', note?, values } → 201 StudentProfileView;
 *  POST /api/students/:id/move { toClassId, on, reason }; POST /api/students/:id/leave { kind: 'transferred_out'|'dropped_out'|'graduated', on, reason }. */
export interface StudentProfileView {
  id: string;
  classId: string | null;
  className: string | null;
  fields: Record<StudentFieldName, string | null>;
  mandatory: StudentFieldName[];
  problems: RecordProblemView[];
  canEdit: boolean;
  history: Array<{ schoolYear: string; className: string; enrolledOn: string | null; leftOn: string | null; status: string; joinedAs: string; note: string | null }>;
}

/** GET /api/data-quality?classId= → QualityBoardView; GET /api/data-quality.xlsx?classId= downloads the problem list. */
export interface QualityBoardView {
  classes: Array<{ classId: string; className: string; homeroomTeacher: string | null; students: number; clean: number; percentClean: number; reconciled: number; percentReconciled: number; blocking: number; warnings: number }>;
  problems: Array<RecordProblemView & { studentId: string; studentName: string; className: string; responsible: string | null }>;
  totals: { students: number; clean: number; percentClean: number; reconciled: number; percentReconciled: number };
}

/**
 * Importing a student list into a class. POST /api/classes/:classId/student-imports (multipart `file`: XLSX or CSV in
 * any of UTF-8, UTF-8 BOM, Windows-1258, UTF-16, or text typed in the legacy TCVN3/VNI fonts) → ImportPreview; nothing
 * is written to students yet. PUT /api/student-imports/:id/mapping { mapping } → ImportPreview (the mapping is
 * remembered for files with the same header row). POST /api/student-imports/:id/commit { mode: 'all' | 'valid_only' }
 * → ImportResult ('all' answers 400 `import.invalid` if any row has an error, writing nothing).
 * GET /api/student-imports/:id/errors.xlsx → every problem with row, column, value and rule.
 */
export interface ImportPreview {
  id: string;
  classId: string;
  fileName: string;
  format: 'xlsx' | 'csv';
  encoding: string;
  legacyFont: 'tcvn3' | 'vni' | null;
  /** 'csdl_nganh' when the header row is the sector-database export layout (DOMAIN.md §6). */
  layout: 'csdl_nganh' | 'custom';
  headers: string[];
  /** Columns that match no field and are known to carry nothing kept: listed so nothing is dropped unseen. */
  unmappedColumns: string[];
  /** Field → 0-based column index (null: not in the file). */
  mapping: Partial<Record<StudentFieldName, number | null>>;
  rows: Array<{
    /** 1-based row number in the file. */
    row: number;
    values: Partial<Record<StudentFieldName, string | null>>;
    /** What committing would do: create a student, update a matched one, nothing, or skip because of errors. */
    action: 'create' | 'update' | 'unchanged' | 'error';
    matchedStudentId: string | null;
    problems: Array<RecordProblemView & { column: string | null }>;
  }>;
  summary: { rows: number; valid: number; errors: number; create: number; update: number; unchanged: number };
  status: 'preview' | 'committed';
}
export interface ImportResult {
  created: number;
  updated: number;
  skipped: number;
}

/**
 * Reconciliation against reference extracts. POST /api/reference-extracts?source=csdl_nganh|vneid (multipart `file`)
 * → { id, source, rows, fileName } (the school's latest extract of each source is used).
 * GET /api/classes/:classId/reconciliation → ReconciliationView.
 * POST /api/students/:id/reconcile { field, take: 'school'|'csdl_nganh'|'vneid'|'manual', value?, reason? } → 204
 * (a manual value needs a reason; every resolution is audited).
 */
export interface ReconciliationView {
  class: { id: string; name: string };
  sources: Array<{ source: 'csdl_nganh' | 'vneid'; fileName: string; loadedAt: string; rows: number }>;
  students: Array<{
    studentId: string;
    fullName: string;
    matches: Record<'csdl_nganh' | 'vneid', { status: 'matched' | 'none' | 'several' | 'no_extract'; by: 'personalId' | 'studentCode' | 'nameBirthDate' | null }>;
    differences: Array<{
      field: StudentFieldName;
      school: string | null;
      sources: Partial<Record<'csdl_nganh' | 'vneid', string | null>>;
      resolution: { take: string; value: string | null; by: string; at: string; reason: string | null } | null;
    }>;
    reconciled: boolean;
  }>;
}

// Records in the lists, the PDF preview and bulk exports (docs/records-export.md).

/**
 * A student's record state: 'none' (no version for the year) or the latest version's
 * lifecycle state — 'frozen', 'superseded' and, with signing, the later states.
 */
export type RecordStateCode = 'none' | 'frozen' | 'subjects_signed' | 'homeroom_signed' | 'approved' | 'sealed' | 'synced' | 'superseded' | (string & {});

export interface StudentRecordStateView {
  state: RecordStateCode;
  versionId: string | null;
  version: number | null;
  frozenAt: string | null;
  versionCount: number;
}

/** GET /api/classes/:classId/records */
export interface ClassRecordsView {
  class: { id: string; name: string; grade: number; schoolYear: string };
  /** The person may export this class (its GVCN, the leadership, the school administrator). */
  canExport: boolean;
  students: Array<{ studentId: string; fullName: string; studentCode: string | null; record: StudentRecordStateView }>;
}

/** GET /api/records/classes */
export interface RecordClassesOverview {
  schoolYear: string | null;
  canExportSchool: boolean;
  classes: Array<{ id: string; name: string; grade: number; students: number; withRecord: number; canExport: boolean }>;
}

/** GET /api/students/:id/records → { versions } (newest first) */
export interface RecordVersionSummary {
  id: string;
  studentId: string;
  version: number;
  state: string;
  digest: string;
  frozenAt: string;
  frozenBy: string;
  schoolYear: string;
}

export type RecordExportStatus = 'queued' | 'running' | 'done' | 'failed' | 'expired';

/**
 * POST /api/record-exports { scope: 'class', classId } | { scope: 'school' } → 202 RecordExportView;
 * GET /api/record-exports/:id → RecordExportView; GET …/download → the ZIP.
 */
export interface RecordExportView {
  id: string;
  scope: 'class' | 'school';
  classId: string | null;
  className: string | null;
  schoolYear: string;
  status: RecordExportStatus;
  done: number;
  total: number;
  fileCount: number;
  missingCount: number;
  error: string | null;
  fileName: string;
  sizeBytes: number | null;
  sha256: string | null;
  requestedBy: string;
  mine: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  expiresAt: string;
  downloadUrl: string | null;
}

/** GET /api/record-exports?classId= */
export interface RecordExportList {
  exports: RecordExportView[];
  canExportSchool: boolean;
}

/** A stored signature or seal image (Decree 30 visible signatures). */
export interface SignatureImageView {
  kind: 'signature' | 'seal';
  sha256: string;
  width: number;
  height: number;
  /** Physical size from the PNG (pHYs), when it gives one. */
  sizeMm: { width: number; height: number } | null;
  uploadedAt: string;
  /** `data:image/png;base64,…`, to show it without a second request. */
  dataUrl: string;
}

/** GET/PUT /api/me/signature-image, /api/school/seal-image. */
export interface SignatureImageResponse {
  image: SignatureImageView | null;
}

/** A registered signing certificate as shown in the UI (never the key). */
export interface CertificateView {
  id: string;
  subject: string;
  commonName: string;
  issuer: string;
  serialNumber: string;
  fingerprint: string;
  notBefore: string;
  notAfter: string;
  source: 'upload' | 'agent' | 'csc' | 'demo' | 'server_key';
  status: 'active' | 'replaced' | 'revoked';
  revocationAtRegistration: 'good' | 'unknown';
  registeredAt: string;
  registeredBy: string;
  /** Whether a server-held key goes with it (demo, seal PKCS#12, CSC credential). */
  serverKey: 'file' | 'csc' | null;
}

/** How a certificate stands now (board and cards). */
export type CertificateStanding = 'none' | 'valid' | 'expires_before_deadline' | 'expired' | 'not_yet_valid' | 'revoked' | 'revocation_unknown' | 'untrusted';

/** GET /api/me/certificate, /api/school/seal-certificate; the POSTs return it too. */
export interface CertificateCardResponse {
  certificate: CertificateView | null;
  standing: CertificateStanding;
  /** Why, in the caller's language when it is a problem. */
  message: string | null;
  deadline: string | null;
  history: CertificateView[];
  warnings?: string[];
}

/** One row of the certificate board: a person who must sign, or the school seal. */
export interface CertificateBoardRow {
  kind: 'person' | 'seal';
  userId: string | null;
  fullName: string;
  username: string | null;
  /** gvbm, gvcn, principal, vice_principal, seal */
  duties: string[];
  deadline: string;
  standing: CertificateStanding;
  message: string | null;
  certificate: CertificateView | null;
}

/** GET /api/certificates/board */
export interface CertificateBoardResponse {
  schoolYear: string | null;
  rows: CertificateBoardRow[];
  counts: Record<CertificateStanding, number>;
}

// ——— Signing workflow (issue 7): shared by src/services/signing, delegations and src/web/signing ———

export type SigningStepName = 'subject' | 'homeroom' | 'principal' | 'seal';

/** What the person sees for one batch item: whose record, which class, which subject rows. */
export interface ItemLabel {
  studentName: string;
  className: string;
  version: number;
  subjects: { code: string; name: string }[];
}

export type ItemStatus = 'pending' | 'signed' | 'failed' | 'refused';

export interface BatchProgress {
  total: number;
  pending: number;
  signed: number;
  failed: number;
  refused: number;
}

export interface BatchItemView {
  itemId: string;
  versionId: string;
  signatureId: string | null;
  label: ItemLabel;
  status: ItemStatus;
  /** base64 digest, while the item still needs a value (pending or failed). */
  digest: string | null;
  error: { code: string; message: string } | null;
}

export interface BatchView {
  batchId: string;
  step: SigningStepName;
  algorithm: string;
  certificateId: string;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
  progress: BatchProgress;
  items: BatchItemView[];
}

export interface ItemResult {
  itemId: string;
  versionId: string;
  status: 'signed' | 'failed' | 'skipped';
  error: { code: string; message: string } | null;
}

export interface CompleteResult {
  batchId: string;
  results: ItemResult[];
  progress: BatchProgress;
}

export interface ToSignRow {
  classId: string;
  className: string;
  grade: number;
  step: SigningStepName;
  /** Records (subject step: subject rows) the person may sign now. */
  ready: number;
  /** Records of the class that are not yet at this step. */
  waiting: number;
}

export interface DelegationView {
  id: string;
  principalUserId: string;
  delegateUserId: string;
  delegateName: string | null;
  decisionNumber: string;
  grades: number[];
  validFrom: string;
  validTo: string;
  revokedAt: string | null;
  createdAt: string;
}

// ── verification ──
/**
 * The public verification report (docs/verification.md): POST /api/public/verify,
 * GET /api/public/verify/:code and `hocba verify --json` return this same shape.
 */
export type VerificationCheckStatus = 'passed' | 'failed' | 'indeterminate';
/** 'practice': a record of a practice school (rehearsal with test certificates), never a real record. */
export type VerificationVerdict = 'valid' | 'invalid' | 'indeterminate' | 'superseded' | 'revoked' | 'practice';
export type RecordCurrentState = 'valid' | 'superseded' | 'revoked' | 'unknown' | 'indeterminate' | 'practice';

export interface VerificationCheckView {
  status: VerificationCheckStatus;
  reason: string;
  code?: string;
}

export interface VerificationSignatureView {
  id: string;
  kind: 'xades' | 'pades';
  signer: { subject: string; commonName: string; issuer: string; serialNumber: string; fingerprint: string; notBefore: string; notAfter: string } | null;
  claimedRole: string | null;
  signingTime: string | null;
  timestampTime: string | null;
  covers: string[];
  chain: string[];
  revision: number | null;
  checks: Partial<Record<'format' | 'integrity' | 'signingCertificate' | 'chain' | 'keyUsage' | 'revocation' | 'timestamp' | 'scope', VerificationCheckView>>;
  status: VerificationCheckStatus;
}

export interface VerificationValidationView {
  documentType: 'xml' | 'pdf' | 'unknown';
  documentChecks: Record<string, VerificationCheckView>;
  signatures: VerificationSignatureView[];
  status: VerificationCheckStatus;
  validatedAt: string;
}

/** The record's content as the signed XML states it. */
export interface RecordSummaryView {
  studentName: string;
  birthDate: string | null;
  studentCode: string | null;
  className: string;
  grade: number;
  school: { code: string; name: string; province: string };
  schoolYear: string;
  subjects: Array<{ code: string; name: string; semesterI: string; semesterII: string; wholeYear: string }>;
  conduct: string | null;
  learning: string | null;
  promotion: string;
  frozenAt: string;
}

export interface RecordStatusView {
  state: RecordCurrentState;
  /** Where the status comes from: this deployment's records, a school's signed status list, or nothing. */
  source: 'local' | 'status_list' | 'none';
  /** Plain-language explanation (English; the UI words it from `state`). */
  reason: string;
  version: number | null;
  supersededBy: { version: number; code: string; url: string } | null;
  revocation: { reason: string; revokedAt: string } | null;
  statusList: { url: string; issuedAt: string; nextUpdate: string; signer: string } | null;
}

export interface VerificationReportView {
  verdict: VerificationVerdict;
  fileName: string | null;
  documentType: 'xml' | 'pdf' | 'unknown';
  sha256: string;
  /** The record's verification code (from its canonical XML), when the document is a readable record. */
  code: string | null;
  /** The signatures of the document as given (PDF: the PAdES seal; XML: every XAdES signature). */
  validation: VerificationValidationView;
  /** PDF only: the XML embedded in the PDF, its own signatures, and whether it equals the stored signed XML. */
  embeddedXml: { check: VerificationCheckView; validation: VerificationValidationView | null } | null;
  record: RecordSummaryView | null;
  status: RecordStatusView;
}

/** POST /api/records/versions/:versionId/revoke { reason } (principal). */
export interface RecordRevocationView {
  versionId: string;
  reason: string;
  revokedAt: string;
  revokedBy: string;
}

// ── access (issue 9 point 4): the family's records, share links, the issued-copy log ──

/** One version of a student's record as the family sees it (sealed or superseded only). */
export interface MyRecordVersionView {
  versionId: string;
  version: number;
  state: 'sealed' | 'superseded';
  frozenAt: string;
  /** The newer version that replaced this one, when superseded. */
  successorVersion: number | null;
  hasPdf: boolean;
}

/** GET /api/my/records: per child (one for a student), per school year, the sealed versions. */
export interface MyRecordsView {
  children: Array<{
    studentId: string;
    fullName: string;
    className: string | null;
    years: Array<{ schoolYear: string; versions: MyRecordVersionView[] }>;
  }>;
}

/** A share link as its owner sees it (never the token, which is shown once at creation). */
export interface ShareLinkView {
  id: string;
  versionId: string;
  version: number;
  purpose: string | null;
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
  opens: number;
  canRevoke: boolean;
}

/** POST /api/record-versions/:versionId/share-links: the new link, with its URL (shown once). */
export interface CreatedShareLinkView {
  link: ShareLinkView;
  url: string;
}

/** GET /api/share/:token: what someone holding the link sees (no sign-in). */
export interface SharedRecordView {
  schoolName: string;
  studentName: string;
  schoolYear: string;
  version: number;
  state: string;
  /** Set when a newer sealed version replaced this one since the link was made. */
  successorVersion: number | null;
  purpose: string | null;
  expiresAt: string;
  sha256: string;
}

export type IssuedCopyChannel = 'download_pdf' | 'download_xml' | 'share_link_created' | 'share_link_opened' | 'print';

/** One row of the issued-copy log (GET /api/issued-copies). */
export interface IssuedCopyRow {
  id: string;
  at: string;
  channel: IssuedCopyChannel;
  actorLabel: string;
  actorRole: string;
  purpose: string | null;
  shareLinkId: string | null;
  versionId: string;
  version: number;
  state: string;
  studentId: string;
  studentName: string;
  className: string | null;
  schoolYear: string;
  /** The version was superseded after the copy was issued: "cần cấp lại". */
  needsReissue: boolean;
  successorVersion: number | null;
}

/** GET /api/classes/:classId/family-accounts: who already has an account. */
export interface FamilyAccountsView {
  className: string;
  students: Array<{
    studentId: string;
    fullName: string;
    studentCode: string | null;
    accounts: Array<{ kind: 'student' | 'parent'; username: string; mustChangePassword: boolean; disabled: boolean }>;
  }>;
}

// ── sync ──

export type SyncTargetName = 'hbs' | 'vneid';
export type SyncItemStatus = 'queued' | 'sending' | 'pending' | 'accepted' | 'rejected' | 'invalid';

/** A target's settings as the browser sees them: never the secret, only whether one is set. */
export interface SyncSettingsView {
  target: SyncTargetName;
  /** 'school': from the school's settings; 'env': HOCBA_HBS_* / HOCBA_VNEID_* fallback; 'none': not configured (nothing is sent). */
  source: 'school' | 'env' | 'none';
  baseUrl: string | null;
  clientId: string | null;
  secretSet: boolean;
  enabled: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface SyncRunView {
  id: string;
  target: SyncTargetName;
  trigger: string;
  requestedBy: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  done: number;
  accepted: number;
  rejected: number;
  pending: number;
  invalid: number;
  batches: number;
  retries: number;
  attempts: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface SyncItemView {
  id: string;
  target: SyncTargetName;
  versionId: string;
  version: number;
  versionState: string;
  studentName: string;
  studentCode: string | null;
  className: string | null;
  schoolYear: string;
  status: SyncItemStatus;
  duplicate: boolean;
  code: string | null;
  message: string | null;
  receiptId: string | null;
  attempts: number;
  sentAt: string | null;
  resolvedAt: string | null;
  /** A newer version of the same record exists (the correction): its version number and sync status. */
  successor: { version: number; state: string; status: SyncItemStatus | null } | null;
}

/** Rejections grouped by code, with who must fix them. */
export interface SyncRejectionGroup {
  code: string;
  /** 'homeroom' (GVCN: identity), 'subject_teacher' (GVBM: marks), 'clerk' (seal), 'it' (format). */
  owner: 'homeroom' | 'subject_teacher' | 'clerk' | 'it';
  ownerLabel: string;
  count: number;
  items: Array<SyncItemView & { fixer: string | null }>;
}

export interface SyncOverview {
  settings: SyncSettingsView[];
  /** The run queued or running now, if any. */
  active: SyncRunView | null;
  runs: SyncRunView[];
  counts: Record<SyncTargetName, Record<SyncItemStatus, number>>;
  /** Sealed versions not yet accepted by the HBS database (and not rejected). */
  waiting: number;
  rejections: SyncRejectionGroup[];
  canManage: boolean;
}

export interface JobView {
  id: string;
  /** Queue name: sync.run, records.export, backup.run, … */
  name: string;
  state: string;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  /** done/total when the job's own table tracks it. */
  progress: { done: number; total: number } | null;
  /** A short description (e.g. "HBS · 12/20", "Xuất hồ sơ lớp 10A1"). */
  label: string;
  error: string | null;
  /** The sync run of a 'sync.run' job (retry goes through it). */
  runId: string | null;
  retryable: boolean;
}

// ── transfer (issue 9 point 5, docs/transfer.md) ──

/** A transfer package exported by the sending school. */
export interface TransferOutView {
  id: string;
  studentId: string;
  studentName: string;
  destination: string;
  reason: string;
  fileName: string;
  /** SHA-256 (hex) of the ZIP: what the acknowledgment names. */
  sha256: string;
  sizeBytes: number;
  recordCount: number;
  status: 'exported' | 'acknowledged';
  createdAt: string;
  createdBy: string;
  acknowledgedAt: string | null;
  /** "name (code)" of the school that acknowledged. */
  receivingSchool: string | null;
}

/** What an import did at the receiving school. */
export interface TransferInResultView {
  transferId: string;
  studentId: string;
  studentName: string;
  /** matched: an existing student with the same personal id number; created: a new student. */
  studentMatch: 'matched' | 'created';
  /** false when the student was already enrolled this year. */
  enrolled: boolean;
  className: string;
  sendingSchool: { code: string; name: string };
  packageSha256: string;
  records: Array<{ schoolYear: string; version: number; signatures: number }>;
  ackFileName: string;
}

/** A package imported by the receiving school. */
export interface TransferInView {
  id: string;
  studentId: string;
  studentName: string;
  sendingSchool: string;
  packageSha256: string;
  studentMatch: string;
  importedAt: string;
  importedBy: string;
  recordCount: number;
}

/** A sealed record from another school attached (read-only) to a student. */
export interface ExternalRecordView {
  id: string;
  schoolYear: string;
  version: number;
  sourceSchool: string;
  className: string;
  pdfSha256: string;
  signatures: Array<{ id: string; signer: string | null; role: string | null; time: string | null }>;
  verifiedAt: string;
  status: string;
}

// ── plan ──
// The plan, "my work", the progress board, reminder settings and notifications: shaped by their services.
export type { PlanView } from '../services/plan/plan-store.ts';
export type { MyWork, WorkItem, WorkKind } from '../services/plan/my-work.ts';
export type { PlanBoard, BoardStageRow, BoardClassCell } from '../services/plan/plan-board.ts';
export type { PendingItem } from '../services/plan/plan-progress.ts';
export type { NotificationView } from '../services/notifications/notifications.ts';
export type { Escalation } from '../services/notifications/digest-mail.ts';
export type { ReminderSettingsView, ReminderSettingsInput } from '../services/notifications/reminder-settings.ts';

// ── corrections (issue 7.6, 8.5) ──

/** A returned record version: why, by whom, when (GET /api/corrections/returns). */
export interface RecordReturnView {
  versionId: string;
  version: number;
  studentId: string;
  studentName: string;
  className: string;
  /** The state the version was in when it was returned. */
  fromState: string;
  reason: string;
  returnedBy: string;
  returnedAt: string;
  /** The open correction request on this version, if any. */
  correction: { id: string; status: string } | null;
}

export type CorrectionScope = 'subject_rows' | 'year_summary' | 'identity';

/** A change request on a returned or sealed record version (GET/POST /api/corrections). */
export interface CorrectionView {
  id: string;
  versionId: string;
  version: number;
  studentId: string;
  studentName: string;
  className: string;
  scope: CorrectionScope;
  subjects: string[];
  reason: string;
  status: 'pending' | 'approved' | 'rejected' | 'refrozen';
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  /** Submitted sheets the approval reopened (each must be submitted again before the re-freeze). */
  reopenedSheets: number;
  newVersionId: string | null;
}

/** One version in a record's history (GET /api/corrections/versions/:versionId). */
export interface VersionHistoryEntry {
  versionId: string;
  version: number;
  state: string;
  frozenAt: string;
  supersedesId: string | null;
  /** The version that replaced this one (its supersedes_id points here), or null. */
  successorId: string | null;
  returned: Omit<RecordReturnView, 'correction'> | null;
}

export interface VersionHistory {
  versionId: string;
  versions: VersionHistoryEntry[];
  corrections: CorrectionView[];
  /** The subject rows of this version (for choosing what to correct). */
  subjects: Array<{ code: string; name: string }>;
}

// ── backup ──

/** GET /api/backup/status: the scheduled backups as the IT officer's panel shows them. */
export interface BackupStatusView {
  configured: boolean;
  /** Why scheduled backups are off (e.g. HOCBA_BACKUP_DIR is not set). */
  problem: string | null;
  dir: string | null;
  keyKind: 'passphrase' | 'key-file' | null;
  /** The daily run's hour (UTC). */
  hourUtc: number | null;
  nextRunAt: string | null;
  retention: { daily: number; weekly: number } | null;
  status: BackupStatus | null;
  /** Newest first. */
  backups: Array<{ name: string; at: string; bytes: number }>;
  totalBytes: number;
}

/** What the daily backup job last did (kept in backup-status.json beside the backups). */
export interface BackupStatus {
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastFile: string | null;
  lastBytes: number | null;
  lastDurationMs: number | null;
  /** The last failure's message (cleared by the next success). */
  lastError: string | null;
  lastErrorAt: string | null;
  consecutiveFailures: number;
}

// ── province ──
// Province administration (Sở GD&ĐT): the province board and the schools of a province.
// Aggregates and accounts only: nothing here carries a student's name, marks or id.

/** A province since 1 July 2025: its 2-digit code and name. */
export interface ProvinceRef {
  code: string;
  name: string;
}

/** A record state the province board counts. */
export type ProvinceBoardState = 'frozen' | 'subjects_signed' | 'homeroom_signed' | 'approved' | 'sealed' | 'returned' | 'superseded';

/** One plan stage of one school on the province board, judged against the school's plan. */
export interface ProvinceBoardStage {
  stage: 'freeze' | 'sign_subject' | 'sign_homeroom' | 'sign_principal' | 'seal' | 'sync';
  label: { vi: string; en: string };
  /** The latest due date of the stage over the school's grades. */
  dueOn: string | null;
  done: number;
  total: number;
  /** Worst status over the grades. */
  status: 'done' | 'overdue' | 'due_soon' | 'open' | 'upcoming';
  daysOverdue: number;
  /** Per grade (drill-down only). */
  grades?: Array<{ grade: number; dueOn: string; done: number; total: number; status: ProvinceBoardStage['status']; daysOverdue: number }>;
}

/** One school's row on the province board. */
export interface ProvinceBoardSchool {
  schoolId: string;
  code: string;
  name: string;
  commune: string | null;
  schoolYear: string | null;
  students: number;
  states: Record<ProvinceBoardState, number>;
  stages: ProvinceBoardStage[];
  /** Stages past their deadline and not done. */
  lateStages: number;
  sync: { lastRunAt: string | null; lastStatus: string | null; lastTarget: string | null; accepted: number; rejected: number; pending: number };
  certificates: { active: number; expired: number; expiring: number; revoked: number };
}

/** GET /api/province/board. */
export interface ProvinceBoard {
  province: ProvinceRef;
  today: string;
  schools: ProvinceBoardSchool[];
  totals: {
    schools: number;
    lateSchools: number;
    students: number;
    states: Record<ProvinceBoardState, number>;
    sync: { accepted: number; rejected: number; pending: number };
    certificates: { expired: number; expiring: number; revoked: number };
  };
}

/** GET /api/province/schools/:schoolId/board: one school, stages by grade. */
export interface ProvinceSchoolBoard {
  province: ProvinceRef;
  today: string;
  school: ProvinceBoardSchool | null;
}

/** A school administrator as the province sees them. */
export interface ProvinceSchoolAdmin {
  userId: string;
  username: string;
  displayName: string;
  disabled: boolean;
  mustChangePassword: boolean;
}

/** GET /api/province/schools. */
export interface ProvinceSchoolList {
  province: ProvinceRef;
  schools: Array<{ id: string; code: string; name: string; commune: string | null; isDemo: boolean; admins: ProvinceSchoolAdmin[] }>;
}

/** POST /api/province/schools/:schoolId/admins: the one-time password, shown once. */
export interface ProvinceAdminCreated {
  userId: string;
  username: string;
  temporaryPassword: string;
}

// ── practice mode (issue 13.3): the practice school of a real school ──

export interface PracticeSchoolView {
  schoolId: string;
  code: string;
  name: string;
  createdAt: string;
  classes: number;
  students: number;
  /** The caller's roles in the practice school (what they can rehearse). */
  myRoles: Role[];
}

export interface PracticeStateView {
  realSchoolId: string;
  realSchoolName: string;
  practice: PracticeSchoolView | null;
}

export interface PracticeCreatedView extends PracticeSchoolView {
  /** How many real staff were given roles in it; how many test certificates were issued. */
  staff: number;
  certificatesIssued: number;
  retiredSchoolId: string | null;
  ms: number;
}

// ── in-product help ──
/** GET/PUT /api/me/help: when the person finished or dismissed the first-run tour (null: never). */
export interface TourStateView {
  tourDismissedAt: string | null;
}
