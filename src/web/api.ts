/**
 * Typed client for the hocba HTTP API: same-origin fetch with the session cookie, JSON
 * bodies, the CSRF header on every state-changing call, `accept-language` matching the
 * UI, and a typed `ApiError` for every non-2xx answer.
 */
import type {
  ApiError as ApiErrorBody,
  HomeInfo,
  Locale,
  LoginRequest,
  SessionInfo,
} from '../server/api-types.ts';
import type {
  AuditEntry,
  AuditVerifyResult,
  ClassStudentsResponse,
  ClassSummary,
  StaffMember,
  TotpSetup,
} from './api-models.ts';
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

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': state.locale };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && state.csrfToken) headers['x-csrf-token'] = state.csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
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
};
