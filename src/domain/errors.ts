/**
 * The one error type the core raises. Each code is stable (clients and tests match on
 * it), maps to one HTTP status at the edge (server/errors.ts) and to a message in
 * Vietnamese and English (below). `params` fill the `{name}` placeholders.
 */
export const ERROR_MESSAGES = {
  'auth.required': {
    vi: 'Bạn cần đăng nhập (phiên đăng nhập có thể đã hết hạn). Hãy đăng nhập lại; dữ liệu đã lưu không bị mất.',
    en: 'You need to sign in (your session may have expired). Sign in again; saved data is not lost.',
  },
  'auth.invalid_credentials': { vi: 'Tên đăng nhập hoặc mật khẩu không đúng.', en: 'Wrong username or password.' },
  'auth.locked': {
    vi: 'Tài khoản tạm khoá do nhập sai nhiều lần. Thử lại sau {until}.',
    en: 'Account temporarily locked after repeated failures. Try again after {until}.',
  },
  'auth.disabled': { vi: 'Tài khoản đã bị vô hiệu hoá. Liên hệ quản trị trường.', en: 'This account is disabled. Contact the school administrator.' },
  'auth.totp_required': { vi: 'Nhập mã xác thực 6 số từ ứng dụng xác thực.', en: 'Enter the 6-digit code from your authenticator app.' },
  'auth.totp_invalid': { vi: 'Mã xác thực không đúng hoặc đã hết hạn.', en: 'The authentication code is wrong or has expired.' },
  'auth.totp_enrolment_required': {
    vi: 'Trường yêu cầu xác thực hai lớp cho vai trò của bạn. Hãy cài đặt mã xác thực trước.',
    en: 'Your school requires two-factor authentication for your role. Set up an authenticator first.',
  },
  'auth.totp_not_set_up': { vi: 'Chưa bắt đầu cài đặt xác thực hai lớp.', en: 'Two-factor set-up has not been started.' },
  'auth.weak_password': { vi: 'Mật khẩu chưa đủ mạnh: {reason}', en: 'The password is too weak: {reason}' },
  'auth.password_change_required': { vi: 'Bạn cần đổi mật khẩu trước khi tiếp tục.', en: 'You must change your password before continuing.' },
  'csrf.invalid': { vi: 'Phiên làm việc không hợp lệ (CSRF): trang đã mở quá lâu hoặc bạn đã đăng nhập lại ở tab khác. Hãy tải lại trang (F5) rồi làm lại.', en: 'Invalid request token (CSRF): the page was open too long or you signed in again in another tab. Reload the page (F5) and try again.' },
  'forbidden': {
    vi: 'Bạn không có quyền thực hiện thao tác này. Kiểm tra bạn đang chọn đúng trường; nếu cần quyền này, hãy nhờ cán bộ CNTT (quản trị trường) phân vai trò.',
    en: 'You are not allowed to do this. Check you picked the right school; if you need it, ask the IT officer (school administrator) for the role.',
  },
  'not_found': { vi: 'Không tìm thấy {what}.', en: '{what} not found.' },
  'validation': { vi: 'Dữ liệu không hợp lệ: {summary}', en: 'Invalid input: {summary}' },
  'conflict': { vi: '{what} đã tồn tại.', en: '{what} already exists.' },
  'rate_limited': { vi: 'Quá nhiều yêu cầu từ máy (hoặc mạng) của bạn. Chờ {after} rồi thử lại.', en: 'Too many requests from your computer (or network). Wait {after}, then try again.' },
  'school.required': { vi: 'Hãy chọn trường đang làm việc.', en: 'Choose the school you are working in.' },
  'payload_too_large': { vi: 'Dữ liệu gửi lên quá lớn. Hãy chia nhỏ tệp hoặc quét với độ phân giải thấp hơn rồi gửi lại.', en: 'The request is too large. Split the file or scan at a lower resolution, then send it again.' },
  'unsupported_media_type': { vi: 'Định dạng dữ liệu không được hỗ trợ (cần JSON).', en: 'Unsupported content type (JSON expected).' },
  'disk_full': {
    vi: 'Máy chủ hết dung lượng đĩa: thao tác không được lưu (dữ liệu đã lưu trước đó không bị ảnh hưởng). Báo cán bộ CNTT giải phóng dung lượng, rồi làm lại.',
    en: 'The server is out of disk space (disk full): nothing of this operation was saved (data saved earlier is not affected). Tell the IT officer to free space, then do it again.',
  },
  'internal': { vi: 'Lỗi hệ thống. Đã ghi nhận; vui lòng thử lại. Nếu lỗi lặp lại, báo cán bộ CNTT kèm thời điểm xảy ra.', en: 'Internal error. It has been logged; please try again. If it happens again, tell the IT officer when it happened.' },
  'db.newer_version': {
    vi: 'Dữ liệu trong {dir} được tạo bởi phiên bản hocba mới hơn (lược đồ {found} > {known}). Hãy dùng phiên bản mới hơn; dữ liệu không bị thay đổi.',
    en: 'The data in {dir} was created by a newer hocba (schema {found} > {known}). Use a newer version; nothing was changed.',
  },
  'db.locked': {
    vi: 'Thư mục dữ liệu {dir} đang được tiến trình {pid} sử dụng. Dừng tiến trình đó trước.',
    en: 'The data directory {dir} is in use by process {pid}. Stop that process first.',
  },
  'user.username_taken': { vi: 'Tên đăng nhập "{username}" đã được dùng.', en: 'The username "{username}" is taken.' },
  'grade.locked': {
    vi: 'Bảng điểm đã khoá ({reason}). Muốn sửa, hãy gửi đề nghị sửa điểm để Hiệu trưởng duyệt.',
    en: 'The grade sheet is locked ({reason}). To change it, file a change request for the principal.',
  },
  'grade.conflict': {
    vi: 'Điểm đã được thay đổi ở nơi khác (tab hoặc người khác) trước khi bạn lưu: {cells}. Hãy tải lại bảng điểm.',
    en: 'These marks were changed elsewhere (another tab or person) before your save: {cells}. Reload the sheet.',
  },
  'grade.incomplete': { vi: 'Chưa thể nộp: còn thiếu điểm ({missing}).', en: 'Cannot submit yet: marks are missing ({missing}).' },
  'grade.not_locked': { vi: 'Bảng điểm chưa khoá: hãy sửa trực tiếp.', en: 'The sheet is not locked: edit it directly.' },
  'grade.request_decided': { vi: 'Đề nghị này đã được xử lý.', en: 'This request has already been decided.' },
  'import.invalid': { vi: 'Tệp có {count} lỗi; chưa nhập gì. Sửa các ô được liệt kê rồi nhập lại.', en: 'The file has {count} errors; nothing was imported. Fix the listed cells and import again.' },
  'file.invalid': { vi: 'Tệp không hợp lệ: {reason}', en: 'Invalid file: {reason}' },
  'signing.wrong_state': {
    vi: 'Chưa thể ký bước "{step}": học bạ đang ở trạng thái "{state}", cần "{needed}".',
    en: 'Step "{step}" cannot be signed: the record is "{state}", it must be "{needed}".',
  },
  'signing.not_assigned': { vi: 'Bạn không được phân công ký bước "{step}" của học bạ này{subjects}.', en: 'You are not assigned to sign step "{step}" of this record{subjects}.' },
  'signing.already_signed': { vi: 'Bước "{step}" đã được ký{subjects}.', en: 'Step "{step}" is already signed{subjects}.' },
  'signing.nothing_to_sign': { vi: 'Không có gì để ký ở bước "{step}".', en: 'Nothing to sign at step "{step}".' },
  'signing.no_delegation': { vi: 'Không có ủy quyền ký thay Hiệu trưởng còn hiệu lực cho học bạ này ({reason}).', en: 'No valid delegation to sign for the principal covers this record ({reason}).' },
  'signing.no_certificate': { vi: 'Chưa đăng ký chứng thư số cho {who}. Cán bộ CNTT đăng ký chứng thư số ở trang "Chứng thư số" rồi ký lại.', en: 'No signing certificate is registered for {who}. The IT officer registers it on the "Certificates" page; then sign again.' },
  'signing.certificate_invalid': { vi: 'Chứng thư số không dùng được: {reason}', en: 'The signing certificate cannot be used: {reason}' },
  'signing.certificate_changed': {
    vi: 'Chứng thư số dùng khi chuẩn bị không còn là chứng thư số đang dùng của người ký. Hãy chuẩn bị lại.',
    en: 'The certificate used at preparation is no longer the signer\'s active certificate. Prepare again.',
  },
  'signing.document_changed': { vi: 'Học bạ đã thay đổi từ khi chuẩn bị ký ({detail}). Hãy chuẩn bị lại.', en: 'The record changed since it was prepared for signing ({detail}). Prepare again.' },
  'signing.signature_invalid': { vi: 'Chữ ký không hợp lệ: {detail}', en: 'The signature is not valid: {detail}' },
  'signing.batch_expired': { vi: 'Lượt ký đã hết hạn lúc {at}. Hãy chuẩn bị lượt ký mới.', en: 'The signing batch expired at {at}. Prepare a new one.' },
  'signing.signer_failed': { vi: 'Không ký được: {detail}', en: 'Signing failed: {detail}' },
  'signing.seal_failed': { vi: 'Không tạo được bản PDF có dấu: {detail}', en: 'The sealed PDF could not be produced: {detail}' },
  'signing.no_remote_credential': { vi: 'Chứng thư số của lượt ký này không phải chứng thư ký từ xa; hãy ký bằng USB token hoặc khoá trên máy chủ.', en: 'The certificate of this batch is not a remote signing credential; sign with the USB token or the server-held key.' },
  'signing.remote_login_failed': { vi: 'Nhà cung cấp dịch vụ ký từ xa không chấp nhận tên đăng nhập, mật khẩu hoặc mã PIN/OTP. Hãy nhập lại.', en: 'The remote signing provider refused the user name, password or PIN/OTP. Enter them again.' },
  'signing.remote_rejected': { vi: 'Yêu cầu ký đã bị từ chối trên điện thoại. Chưa học bạ nào được ký; bạn có thể ký lại.', en: 'The signing request was declined on the phone. Nothing was signed; you can sign again.' },
  'signing.remote_timeout': { vi: 'Hết thời gian chờ phê duyệt trên điện thoại. Chưa học bạ nào được ký; hãy ký lại và phê duyệt trong ứng dụng của nhà cung cấp.', en: 'The approval on the phone timed out. Nothing was signed; sign again and approve in the provider\'s app.' },
  'signing.remote_unavailable': { vi: 'Không liên lạc được với dịch vụ ký từ xa: {detail}. Chưa học bạ nào được ký; kiểm tra mạng rồi ký lại sau ít phút.', en: 'The remote signing service cannot be reached: {detail}. Nothing was signed; check the network and sign again in a few minutes.' },
  'signing.no_server_key': { vi: 'Chứng thư số này không có khoá lưu trên máy chủ; hãy ký bằng USB token hoặc dịch vụ ký từ xa.', en: 'This certificate has no key held by the server; sign with the USB token or the remote service.' },
  'signing.returned': { vi: 'Học bạ đã bị trả lại: {reason}', en: 'The record was returned: {reason}' },
  'delegation.invalid': { vi: 'Ủy quyền không hợp lệ: {fields}', en: 'Invalid delegation: {fields}' },
  'certificate.unreadable': {
    vi: 'Tệp không phải chứng thư số X.509 (DER hoặc PEM): {detail}',
    en: 'The file is not an X.509 certificate (DER or PEM): {detail}',
  },
  'certificate.name_mismatch': {
    vi: 'Tên trên chứng thư số ("{found}") không khớp với {expectedWhat} "{expected}".',
    en: 'The name in the certificate ("{found}") does not match the {expectedWhat} "{expected}".',
  },
  'certificate.expired': {
    vi: 'Chứng thư số "{subject}" đã hết hạn ngày {date}. Hãy gia hạn với nhà cung cấp chữ ký số rồi đăng ký chứng thư số mới ở trang "Chứng thư số".',
    en: 'The certificate "{subject}" expired on {date}. Renew it with your signature provider, then register the new one on the "Certificates" page.',
  },
  'certificate.not_yet_valid': { vi: 'Chứng thư số "{subject}" chỉ có hiệu lực từ {date}.', en: 'The certificate "{subject}" is not valid before {date}.' },
  'certificate.key_usage': {
    vi: 'Chứng thư số "{subject}" không dùng để ký số được (thiếu mục đích digitalSignature hoặc nonRepudiation).',
    en: 'The certificate "{subject}" cannot be used for signing (key usage lacks digitalSignature and nonRepudiation).',
  },
  'certificate.weak': { vi: 'Chứng thư số "{subject}" dùng khoá hoặc thuật toán yếu: {detail}.', en: 'The certificate "{subject}" uses a weak key or algorithm: {detail}.' },
  'certificate.untrusted': {
    vi: 'Chứng thư số "{subject}" không chuỗi về tổ chức chứng thực tin cậy: {detail}',
    en: 'The certificate "{subject}" does not chain to a trusted certification authority: {detail}',
  },
  'certificate.revoked': {
    vi: 'Chứng thư số "{subject}" đã bị thu hồi ngày {date}. Xin cấp chứng thư số mới và đăng ký lại ở trang "Chứng thư số".',
    en: 'The certificate "{subject}" was revoked on {date}. Get a new certificate and register it on the "Certificates" page.',
  },
  'certificate.remote_unavailable': {
    vi: 'Không lấy được chứng thư số từ dịch vụ ký từ xa {url}: {detail}',
    en: 'Could not get the certificate from the remote signing service {url}: {detail}',
  },
  'access.reason_required': {
    vi: 'Hãy ghi lý do cấp bản sao học bạ (ai nhận, để làm gì) trước khi tải hoặc in: {what}.',
    en: 'Give the reason for issuing a copy of the record (who receives it, what for) before downloading or printing: {what}.',
  },
  'access.not_sealed': { vi: 'Bản học bạ v{version} chưa đóng dấu ({state}): chỉ bản đã đóng dấu mới được cấp hoặc chia sẻ.', en: 'Record version v{version} is not sealed ({state}): only sealed versions can be issued or shared.' },
  'share.invalid': { vi: 'Đường dẫn chia sẻ không đúng hoặc không tồn tại.', en: 'The share link is wrong or does not exist.' },
  'share.expired': { vi: 'Đường dẫn chia sẻ đã hết hạn lúc {at}.', en: 'The share link expired at {at}.' },
  'share.revoked': { vi: 'Đường dẫn chia sẻ đã bị thu hồi lúc {at}.', en: 'The share link was revoked at {at}.' },
  'audit.immutable': { vi: 'Nhật ký kiểm toán không thể sửa hoặc xoá.', en: 'The audit log cannot be edited or deleted.' },
  'transfer.refused': {
    vi: 'Từ chối gói hồ sơ chuyển trường — tệp {file}, kiểm tra "{check}": {detail}. Không có gì được lưu.',
    en: 'Transfer package refused — file {file}, check "{check}": {detail}. Nothing was stored.',
  },
  'transfer.ack_refused': {
    vi: 'Từ chối giấy xác nhận tiếp nhận — kiểm tra "{check}": {detail}. Không có gì được lưu.',
    en: 'Acknowledgment refused — check "{check}": {detail}. Nothing was stored.',
  },
  'correction.wrong_state': {
    vi: 'Chỉ tạo yêu cầu sửa cho bản học bạ đã bị trả lại hoặc đã đóng dấu; bản v{version} đang ở trạng thái "{state}".',
    en: 'A correction can only be requested on a returned or sealed record version; v{version} is "{state}".',
  },
  'correction.not_latest': { vi: 'Bản học bạ v{version} đã có bản mới hơn (v{latest}); hãy yêu cầu sửa trên bản mới nhất.', en: 'Record version v{version} already has a newer version (v{latest}); request the correction on the latest one.' },
  'correction.open_exists': { vi: 'Bản học bạ v{version} đã có một yêu cầu sửa đang chờ xử lý.', en: 'Record version v{version} already has an open correction request.' },
  'correction.decided': { vi: 'Yêu cầu sửa này đã được xử lý ({status}).', en: 'This correction request has already been decided ({status}).' },
  'practice.not_real': {
    vi: 'Đây là trường thực hành: không thể {action}. Hãy chuyển về trường thật để làm việc này.',
    en: 'This is a practice school: it cannot {actionEn}. Switch back to the real school to do this.',
  },
  'practice.exists': {
    vi: 'Trường đã có trường thực hành ({code}). Chọn "Làm mới" để tạo lại từ đầu.',
    en: 'The school already has a practice school ({code}). Choose "Reset" to create it afresh.',
  },
  'practice.no_staff': {
    vi: 'Chưa tạo được trường thực hành: {reason}. Hãy thêm cán bộ và phân công giảng dạy trước.',
    en: 'The practice school cannot be created: {reason}. Add staff and teaching assignments first.',
  },
} as const satisfies Record<string, { vi: string; en: string }>;

export type ErrorCode = keyof typeof ERROR_MESSAGES;
export type Lang = 'vi' | 'en';

export interface ErrorDetail {
  path: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, string | number>;
  readonly details: ErrorDetail[] | undefined;

  constructor(code: ErrorCode, params: Record<string, string | number> = {}, details?: ErrorDetail[]) {
    super(formatErrorMessage(code, params, 'en'));
    this.name = 'DomainError';
    this.code = code;
    this.params = params;
    this.details = details;
  }

  /** The message in the given language. */
  localized(lang: Lang): string {
    return formatErrorMessage(this.code, this.params, lang);
  }
}

/** Fills `{name}` placeholders of the code's message in `lang`. */
export function formatErrorMessage(code: ErrorCode, params: Record<string, string | number>, lang: Lang): string {
  const template = ERROR_MESSAGES[code][lang];
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (k in params ? String(params[k]) : `{${k}}`));
}

/**
 * Whether an error (or one of its causes: drizzle wraps driver errors) is a full disk: a
 * Node ENOSPC/EDQUOT, PostgreSQL's SQLSTATE 53100 disk_full (PGlite raises it too), or
 * PostgreSQL's message when the WAL could not be written.
 */
export function isDiskFull(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === '53100') return true;
    if (/No space left on device/i.test(String((e as { message?: unknown }).message ?? ''))) return true;
  }
  return false;
}
