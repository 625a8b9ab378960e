/**
 * Typed client for the hocba HTTP API: same-origin fetch with the session cookie, JSON
 * bodies, the CSRF header on every state-changing call, `accept-language` matching the
 * UI, and a typed `ApiError` for every non-2xx answer.
 */
import type {
  ApiError as ApiErrorBody,
  ChangeRequestCreate,
  ChangeRequestView,
  CrossCheckView,
  GradeHistoryEntry,
  GradeSheet,
  GradeSheetRow,
  HomeInfo,
  HomeroomView,
  AttendanceDay,
  ImportPreview,
  ImportResult,
  QualityBoardView,
  ReconciliationView,
  StudentFieldName,
  StudentProfileView,
  Locale,
  LoginRequest,
  MyClassSubject,
  SaveCellsRequest,
  SaveCellsResponse,
  Semester,
  SessionInfo,
} from '../server/api-types.ts';
import type {
  AttendanceSave,
  EnrolStudentRequest,
  Exemption,
  ExemptionCreate,
  LeaveKind,
  ReconcileTake,
  ReferenceExtractUploaded,
  SchoolSettings,
  SchoolYearSettings,
  SchoolYearUpdate,
  AuditEntry,
  AuditVerifyResult,
  ClassStudentsResponse,
  ClassSummary,
  CrossCheckCoverage,
  HomeroomUpdate,
  StaffMember,
  Subject,
  SubjectUpdate,
  TotpSetup,
  UploadedFile, ClassSubjectList, FreezeReport } from './api-models.ts';
import { makeTranslate } from './i18n/index.ts';

/** An error answer from the server (or `network` when it could not be reached). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorBody['details'];

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.details = body.details;
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

interface ClientState {
  csrfToken: string | null;
  locale: Locale;
  /** Called when the server says the session is gone (401 `auth.required` on a non-session call). */
  onSessionLost: (() => void) | null;
  /** Called on 403 `auth.totp_enrolment_required`, so the app can show the TOTP set-up. */
  onTotpEnrolmentRequired: (() => void) | null;
}

const state: ClientState = { csrfToken: null, locale: 'vi', onSessionLost: null, onTotpEnrolmentRequired: null };

/** Hooks the session layer sets up once; the client itself keeps no React state. */
export function configureApi(patch: Partial<ClientState>): void {
  Object.assign(state, patch);
}

function isErrorBody(value: unknown): value is { error: ApiErrorBody } {
  const error = (value as { error?: unknown } | null)?.error as Partial<ApiErrorBody> | undefined;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

interface RequestOptions {
  /** Let the request outlive the page (saving while the tab closes). */
  keepalive?: boolean;
}

/** One JSON call to the API (exported for the feature clients under src/web/<feature>/). */
export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': state.locale };
  const multipart = body instanceof FormData;
  if (body !== undefined && !multipart) headers['content-type'] = 'application/json';
  if (method !== 'GET' && state.csrfToken) headers['x-csrf-token'] = state.csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      keepalive: opts.keepalive,
      body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { code: 'network', message: makeTranslate(state.locale)('common.networkError') });
  }
  if (response.status === 204) return undefined as T;

  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (response.ok) return data as T;

  const error = isErrorBody(data)
    ? new ApiError(response.status, data.error)
    : new ApiError(response.status, {
        code: `http.${response.status}`,
        message: makeTranslate(state.locale)('common.unexpectedError', { status: response.status }),
      });
  if (error.code === 'auth.required' && path !== '/api/session') state.onSessionLost?.();
  if (error.code === 'auth.totp_enrolment_required') state.onTotpEnrolmentRequired?.();
  throw error;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** One function per endpoint; each resolves with the typed body or rejects with ApiError. */
export const api = {
  session: () => request<SessionInfo>('GET', '/api/session'),
  login: (body: LoginRequest) => request<SessionInfo>('POST', '/api/auth/login', body),
  logout: () => request<void>('POST', '/api/auth/logout'),
  changePassword: (body: { currentPassword: string; newPassword: string }) =>
    request<void>('POST', '/api/auth/password', body),
  totpSetup: () => request<TotpSetup>('POST', '/api/auth/totp/setup'),
  totpEnable: (code: string) => request<void>('POST', '/api/auth/totp/enable', { code }),
  totpDisable: (password: string) => request<void>('POST', '/api/auth/totp/disable', { password }),
  setMyLocale: (locale: Locale) => request<void>('PUT', '/api/me/locale', { locale }),
  switchSchool: (schoolId: string) => request<SessionInfo>('POST', '/api/session/school', { schoolId }),
  home: () => request<HomeInfo>('GET', '/api/home'),
  classes: () => request<{ classes: ClassSummary[] }>('GET', '/api/classes'),
  classStudents: (classId: string) =>
    request<ClassStudentsResponse>('GET', `/api/classes/${encodeURIComponent(classId)}/students`),
  staff: () => request<{ staff: StaffMember[] }>('GET', '/api/staff'),
  audit: (opts: { limit?: number; before?: number } = {}) =>
    request<{ entries: AuditEntry[] }>('GET', `/api/audit${query(opts)}`),
  auditVerify: () => request<AuditVerifyResult>('GET', '/api/audit/verify'),

  // Grade book (Circular 22)
  myClassSubjects: () => request<{ classSubjects: MyClassSubject[] }>('GET', '/api/my/class-subjects'),
  gradeSheet: (classSubjectId: string, semester: Semester) =>
    request<GradeSheet>('GET', `/api/grade-sheets/${enc(classSubjectId)}/${semester}`),
  saveCells: (sheetId: string, body: SaveCellsRequest, opts?: RequestOptions) =>
    request<SaveCellsResponse>('PUT', `/api/grade-sheets/${enc(sheetId)}/cells`, body, opts),
  submitSheet: (sheetId: string) => request<GradeSheet | undefined>('POST', `/api/grade-sheets/${enc(sheetId)}/submit`),
  importSheet: (sheetId: string, file: File) =>
    request<{ rows: GradeSheetRow[] }>('POST', `/api/grade-sheets/${enc(sheetId)}/import`, formData(file)),
  exportSheetUrl: (sheetId: string) => `/api/grade-sheets/${enc(sheetId)}/export.xlsx`,
  sheetHistory: (sheetId: string) =>
    request<{ entries: GradeHistoryEntry[] }>('GET', `/api/grade-sheets/${enc(sheetId)}/history`),
  createChangeRequest: (sheetId: string, body: ChangeRequestCreate) =>
    request<ChangeRequestView>('POST', `/api/grade-sheets/${enc(sheetId)}/change-requests`, body),
  changeRequests: (status: 'pending' | 'approved' | 'rejected' | 'all') =>
    request<{ requests: ChangeRequestView[] }>('GET', `/api/change-requests${query({ status })}`),
  decideChangeRequest: (id: string, body: { approve: boolean; note?: string }) =>
    request<ChangeRequestView>('POST', `/api/change-requests/${enc(id)}/decision`, body),
  upload: (file: File) => request<UploadedFile>('POST', '/api/uploads', formData(file)),
  fileUrl: (id: string) => `/api/files/${enc(id)}`,
  homeroom: (classId: string) => request<HomeroomView>('GET', `/api/classes/${enc(classId)}/homeroom`),
  updateHomeroomStudent: (classId: string, studentId: string, body: HomeroomUpdate) =>
    request<void>('PUT', `/api/classes/${enc(classId)}/homeroom/students/${enc(studentId)}`, body),
  crossChecks: () => request<{ checks: CrossCheckView[]; coverage: CrossCheckCoverage }>('GET', '/api/cross-checks'),
  assignCrossChecks: (semester: Semester) => request<unknown>('POST', '/api/cross-checks/assign', { semester }),
  reviewCrossCheck: (id: string, body: { status: 'checked' | 'issue_found'; note?: string }) =>
    request<unknown>('POST', `/api/cross-checks/${enc(id)}/review`, body),
  answerCrossCheck: (id: string, answer: string) =>
    request<unknown>('POST', `/api/cross-checks/${enc(id)}/answer`, { answer }),
  subjects: () => request<{ subjects: Subject[] }>('GET', '/api/subjects'),
  classSubjects: (classId: string) => request<ClassSubjectList>('GET', `/api/classes/${enc(classId)}/subjects`),
  setClassSubject: (classId: string, subjectId: string, body: { teacherStaffId?: string | null; topicCluster?: boolean }) =>
    request<unknown>('PUT', `/api/classes/${enc(classId)}/subjects/${enc(subjectId)}`, body),
  removeClassSubject: (id: string) => request<void>('DELETE', `/api/class-subjects/${enc(id)}`),
  updateSubject: (id: string, body: SubjectUpdate) => request<Subject>('PUT', `/api/subjects/${enc(id)}`, body),

  // Daily register and exemptions
  freezeClass: (classId: string) => request<FreezeReport>('POST', `/api/classes/${enc(classId)}/freeze`),
  attendanceDay: (classId: string, date: string) =>
    request<AttendanceDay>('GET', `/api/classes/${enc(classId)}/attendance${query({ date })}`),
  saveAttendance: (classId: string, body: AttendanceSave) =>
    request<void>('PUT', `/api/classes/${enc(classId)}/attendance`, body),
  exemptions: (classId: string) => request<{ exemptions: Exemption[] }>('GET', `/api/classes/${enc(classId)}/exemptions`),
  createExemption: (body: ExemptionCreate) => request<unknown>('POST', '/api/exemptions', body),
  deleteExemption: (id: string) => request<void>('DELETE', `/api/exemptions/${enc(id)}`),

  // School settings
  schoolSettings: () => request<SchoolSettings>('GET', '/api/school/settings'),
  updateSchoolSettings: (body: { totpRequiredRoles: string[] }) => request<SchoolSettings>('PUT', '/api/school/settings', body),
  schoolYear: () => request<SchoolYearSettings | null>('GET', '/api/school/year'),
  updateSchoolYear: (body: SchoolYearUpdate) => request<unknown>('PUT', '/api/school/year', body),
  studentFields: () => request<{ mandatory: string[] }>('GET', '/api/school/student-fields'),
  updateStudentFields: (mandatory: string[]) => request<{ mandatory: string[] }>('PUT', '/api/school/student-fields', { mandatory }),

  // Student records
  student: (id: string) => request<StudentProfileView>('GET', `/api/students/${enc(id)}`),
  updateStudent: (id: string, body: { values: Partial<Record<StudentFieldName, string | null>>; reason?: string }) =>
    request<StudentProfileView>('PUT', `/api/students/${enc(id)}`, body),
  enrolStudent: (body: EnrolStudentRequest) => request<StudentProfileView>('POST', '/api/students', body),
  moveStudent: (id: string, body: { toClassId: string; on: string; reason: string }) =>
    request<StudentProfileView>('POST', `/api/students/${enc(id)}/move`, body),
  leaveStudent: (id: string, body: { kind: LeaveKind; on: string; reason: string }) =>
    request<StudentProfileView>('POST', `/api/students/${enc(id)}/leave`, body),
  dataQuality: (classId?: string) => request<QualityBoardView>('GET', `/api/data-quality${query({ classId })}`),
  dataQualityXlsxUrl: (classId?: string) => `/api/data-quality.xlsx${query({ classId })}`,

  // Student-list import
  startStudentImport: (classId: string, file: File) =>
    request<ImportPreview>('POST', `/api/classes/${enc(classId)}/student-imports`, formData(file)),
  updateImportMapping: (id: string, mapping: ImportPreview['mapping']) =>
    request<ImportPreview>('PUT', `/api/student-imports/${enc(id)}/mapping`, { mapping }),
  commitImport: (id: string, mode: 'all' | 'valid_only') =>
    request<ImportResult>('POST', `/api/student-imports/${enc(id)}/commit`, { mode }),
  importErrorsUrl: (id: string) => `/api/student-imports/${enc(id)}/errors.xlsx`,

  // Reconciliation against the sector database and VNeID
  uploadReferenceExtract: (source: 'csdl_nganh' | 'vneid', file: File) =>
    request<ReferenceExtractUploaded>('POST', `/api/reference-extracts${query({ source })}`, formData(file)),
  reconciliation: (classId: string) => request<ReconciliationView>('GET', `/api/classes/${enc(classId)}/reconciliation`),
  reconcile: (studentId: string, body: { field: StudentFieldName; take: ReconcileTake; value?: string | null; reason?: string }) =>
    request<void>('POST', `/api/students/${enc(studentId)}/reconcile`, body),
};

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function formData(file: File): FormData {
  const form = new FormData();
  form.append('file', file, file.name);
  return form;
}
