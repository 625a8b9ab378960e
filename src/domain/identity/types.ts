/**
 * Types shared by the identity rules (DOMAIN.md §6). Pure: no I/O, no dependencies.
 */

export type Gender = 'male' | 'female';

/** A calendar date written 'YYYY-MM-DD': no time, no time zone. */
export type IsoDate = string;

/** Stable codes of the problems the identity rules report; UI messages are keyed by them. */
export type IdentityProblemCode =
  | 'identity.personal_id_format'
  | 'identity.personal_id_province'
  | 'identity.personal_id_gender'
  | 'identity.personal_id_century'
  | 'identity.personal_id_year'
  | 'identity.student_code_format'
  | 'identity.date_format'
  | 'identity.date_impossible'
  | 'identity.date_out_of_range';

/** One data problem: a stable code, a message in Vietnamese and English, and the value that caused it. */
export interface IdentityProblem {
  code: IdentityProblemCode;
  message: { vi: string; en: string };
  value: string;
}

/** Vietnamese word for a gender, as written in messages and on the học bạ. */
export const GENDER_VI: Record<Gender, string> = { male: 'nam', female: 'nữ' };
