/** Maps errors to HTTP responses: one status per DomainError code, messages in the caller's language. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, formatErrorMessage, isDiskFull, type ErrorCode, type Lang } from '../domain/errors.ts';

const STATUS: Partial<Record<ErrorCode, number>> = {
  'auth.required': 401,
  'auth.invalid_credentials': 401,
  'auth.totp_required': 401,
  'auth.totp_invalid': 401,
  'auth.locked': 423,
  'auth.disabled': 403,
  'auth.totp_enrolment_required': 403,
  'auth.password_change_required': 403,
  'auth.totp_not_set_up': 409,
  'auth.weak_password': 400,
  'csrf.invalid': 403,
  forbidden: 403,
  not_found: 404,
  validation: 400,
  conflict: 409,
  'user.username_taken': 409,
  rate_limited: 429,
  'school.required': 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  'audit.immutable': 409,
  'grade.locked': 423,
  'grade.conflict': 409,
  'grade.incomplete': 409,
  'grade.not_locked': 409,
  'grade.request_decided': 409,
  'import.invalid': 400,
  'file.invalid': 400,
  'signing.wrong_state': 409,
  'signing.not_assigned': 403,
  'signing.already_signed': 409,
  'signing.nothing_to_sign': 409,
  'signing.no_delegation': 403,
  'signing.no_certificate': 409,
  'signing.certificate_invalid': 409,
  'signing.certificate_changed': 409,
  'signing.document_changed': 409,
  'signing.signature_invalid': 400,
  'signing.batch_expired': 410,
  'signing.signer_failed': 502,
  'signing.seal_failed': 500,
  'signing.no_server_key': 409,
  'signing.no_remote_credential': 409,
  'signing.remote_login_failed': 422,
  'signing.remote_rejected': 409,
  'signing.remote_timeout': 504,
  'signing.remote_unavailable': 502,
  'signing.returned': 409,
  'correction.wrong_state': 409,
  'correction.not_latest': 409,
  'correction.open_exists': 409,
  'correction.decided': 409,
  'practice.not_real': 409,
  'practice.exists': 409,
  'practice.no_staff': 422,
  'delegation.invalid': 400,
  'certificate.unreadable': 422,
  'certificate.name_mismatch': 422,
  'certificate.expired': 422,
  'certificate.not_yet_valid': 422,
  'certificate.key_usage': 422,
  'certificate.weak': 422,
  'certificate.untrusted': 422,
  'certificate.revoked': 422,
  'certificate.remote_unavailable': 502,
  'access.reason_required': 400,
  'access.not_sealed': 409,
  'share.invalid': 404,
  'share.expired': 410,
  'share.revoked': 410,
  'transfer.refused': 422,
  'transfer.ack_refused': 422,
  // 507 Insufficient Storage: the operation was refused whole; retry after space is freed.
  disk_full: 507,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

/** The caller's language: the signed-in person's choice, else Accept-Language, else Vietnamese. */
export function langOf(req: FastifyRequest): Lang {
  const chosen = req.auth?.user.locale;
  if (chosen === 'en' || chosen === 'vi') return chosen;
  const al = String(req.headers['accept-language'] ?? '').toLowerCase();
  return al.startsWith('en') ? 'en' : 'vi';
}

export function sendError(reply: FastifyReply, req: FastifyRequest, err: DomainError): FastifyReply {
  const lang = langOf(req);
  // A validation error's message says what is wrong (the details), not only where.
  const message =
    err.code === 'validation' && err.details?.length
      ? formatErrorMessage('validation', { summary: err.details.map((d) => d.message).join('; ') }, lang)
      : err.localized(lang);
  return reply.status(statusOf(err.code)).send({
    error: { code: err.code, message, ...(err.details ? { details: err.details } : {}) },
  });
}

interface ZodLikeIssue {
  path?: Array<string | number>;
  instancePath?: string;
  message: string;
}

/** Fastify's error handler: domain errors as mapped, validation as 400 with the fields, the rest as 500 without internals. */
export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof DomainError) return sendError(reply, req, err);
  if (err.validation) {
    const issues = err.validation as unknown as ZodLikeIssue[];
    const details = issues.map((v) => ({
      path: v.path?.join('.') || (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || (err.validationContext ?? 'body'),
      message: v.message ?? 'invalid',
    }));
    const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ');
    return sendError(reply, req, new DomainError('validation', { summary }, details));
  }
  if (err.statusCode === 429) return sendError(reply, req, new DomainError('rate_limited', { after: String(reply.getHeader('retry-after') ?? 60) + ' s' }));
  if (err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, req, new DomainError('payload_too_large'));
  if (err.statusCode === 415 || err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, req, new DomainError('unsupported_media_type'));
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    const lang = langOf(req);
    return reply.status(err.statusCode).send({ error: { code: 'bad_request', message: lang === 'vi' ? 'Yêu cầu không hợp lệ.' : 'Bad request.' } });
  }
  if (isDiskFull(err)) {
    req.log.error({ err }, 'disk full');
    return sendError(reply, req, new DomainError('disk_full'));
  }
  req.log.error({ err }, 'unhandled error');
  return reply.status(500).send({ error: { code: 'internal', message: formatErrorMessage('internal', {}, langOf(req)) } });
}
