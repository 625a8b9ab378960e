/**
 * The Ministry student code (mã học sinh / mã định danh Bộ GD&ĐT): 10 digits
 * (DOMAIN.md §6 [M]). Its inner structure is not published to us, so only the shape is
 * checked; leading zeros are significant, which is why it is always a string.
 */
import type { IdentityProblem } from './types.ts';

export const STUDENT_CODE_LENGTH = 10;

const FORMAT = /^\d{10}$/;

/** Checks that a Ministry student code is exactly 10 digits; returns the problems (empty when valid). */
export function validateStudentCode(value: string): IdentityProblem[] {
  if (FORMAT.test(value)) return [];
  return [{
    code: 'identity.student_code_format',
    value,
    message: {
      vi: `Mã học sinh "${value}" phải gồm đúng ${STUDENT_CODE_LENGTH} chữ số (đang có ${[...value].length} ký tự).`,
      en: `The student code "${value}" must be exactly ${STUDENT_CODE_LENGTH} digits (it has ${[...value].length} characters).`,
    },
  }];
}

/** True when the value is a well-formed Ministry student code. */
export function isStudentCode(value: string): boolean {
  return FORMAT.test(value);
}
