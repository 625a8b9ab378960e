/**
 * Password rules: long rather than clever (NIST SP 800-63B): at least 10 characters, not
 * the username, not a well-known password. Vietnamese letters count like any other.
 */
const COMMON = new Set([
  '1234567890', '12345678910', 'matkhau123', 'matkhau1234', 'password123', 'password1234', 'qwertyuiop',
  'abc1234567', '0123456789', 'hocba12345', 'admin12345', 'iloveyou12', 'hocsinh123', 'giaovien123',
]);

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/** Null when acceptable, otherwise the reason in Vietnamese and English. */
export function passwordProblem(password: string, username: string): { vi: string; en: string } | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return { vi: `cần ít nhất ${PASSWORD_MIN_LENGTH} ký tự`, en: `at least ${PASSWORD_MIN_LENGTH} characters are needed` };
  }
  if (length > PASSWORD_MAX_LENGTH) return { vi: `tối đa ${PASSWORD_MAX_LENGTH} ký tự`, en: `at most ${PASSWORD_MAX_LENGTH} characters` };
  const lower = password.toLowerCase();
  if (lower.includes(username.toLowerCase()) && username.length >= 3) {
    return { vi: 'không được chứa tên đăng nhập', en: 'must not contain the username' };
  }
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) return { vi: 'mật khẩu quá phổ biến', en: 'the password is too common' };
  return null;
}
