/**
 * The 12-digit personal ID number (CCCD / số định danh cá nhân), DOMAIN.md §6 [H]:
 * `PPP G YY RRRRRR` — PPP the pre-2025 province where the birth was registered, G the
 * century and gender, YY the last two digits of the birth year, then 6 random digits.
 * There is no check digit. A number that disagrees with the recorded birth date or
 * gender is a data error to report, never to auto-correct.
 */
import { isValidIsoDate } from './dates.ts';
import { findPre2025Province, type Pre2025Province } from './provinces-pre2025.ts';
import { GENDER_VI, type Gender, type IdentityProblem, type IsoDate } from './types.ts';

export interface PersonalIdExpectations {
  /** The recorded date of birth; ignored when it is not a valid 'YYYY-MM-DD' (that is another field's problem). */
  birthDate?: IsoDate;
  /** Used when no birth date is given. */
  birthYear?: number;
  gender?: Gender;
}

export interface DecodedPersonalId {
  provinceCode: string;
  /** Null when the prefix is not in the pre-2025 table. */
  province: Pre2025Province | null;
  gender: Gender;
  birthYear: number;
  serial: string;
}

/** Birth years the century/gender digit can encode: G 0–5 (1900–2199). */
export const PERSONAL_ID_FIRST_YEAR = 1900;
export const PERSONAL_ID_LAST_YEAR = 2199;

const FORMAT = /^\d{12}$/;

/**
 * Checks a personal ID number's structure, province prefix, and — when given — its
 * agreement with the recorded birth date (or year) and gender. Returns every problem
 * found (empty when valid); a malformed number yields only the format problem.
 */
export function validatePersonalId(value: string, expected: PersonalIdExpectations = {}): IdentityProblem[] {
  if (!FORMAT.test(value)) {
    return [problem('identity.personal_id_format', value, {
      vi: `Số định danh cá nhân "${value}" phải gồm đúng 12 chữ số (đang có ${[...value].length} ký tự).`,
      en: `The personal ID number "${value}" must be exactly 12 digits (it has ${[...value].length} characters).`,
    })];
  }
  const problems: IdentityProblem[] = [];
  const prefix = value.slice(0, 3);
  if (!findPre2025Province(prefix)) {
    problems.push(problem('identity.personal_id_province', value, {
      vi: `Ba chữ số đầu "${prefix}" không phải mã tỉnh, thành phố nơi đăng ký khai sinh (danh mục 63 tỉnh trước 2025).`,
      en: `The first three digits "${prefix}" are not a province code (pre-2025 list of 63 provinces).`,
    }));
  }
  const g = Number(value[3]);
  const digitGender: Gender = g % 2 === 0 ? 'male' : 'female';
  if (expected.gender && expected.gender !== digitGender) {
    problems.push(problem('identity.personal_id_gender', value, {
      vi: `Chữ số thứ 4 là ${g}, ứng với giới tính ${GENDER_VI[digitGender]}, nhưng giới tính đã khai là ${GENDER_VI[expected.gender]}.`,
      en: `The 4th digit ${g} means ${digitGender}, but the recorded gender is ${expected.gender}.`,
    }));
  }
  const centuryStart = g <= 5 ? PERSONAL_ID_FIRST_YEAR + 100 * Math.floor(g / 2) : null;
  const birthYear = expectedBirthYear(expected);
  if (centuryStart === null) {
    problems.push(problem('identity.personal_id_century', value, {
      vi: `Chữ số thứ 4 là ${g}: không ứng với năm sinh nào từ ${PERSONAL_ID_FIRST_YEAR} đến ${PERSONAL_ID_LAST_YEAR}.`,
      en: `The 4th digit ${g} does not stand for a birth year from ${PERSONAL_ID_FIRST_YEAR} to ${PERSONAL_ID_LAST_YEAR}.`,
    }));
  } else if (birthYear !== null && (birthYear < centuryStart || birthYear > centuryStart + 99)) {
    problems.push(problem('identity.personal_id_century', value, {
      vi: `Chữ số thứ 4 là ${g}, ứng với người sinh từ ${centuryStart} đến ${centuryStart + 99}, nhưng năm sinh đã khai là ${birthYear}.`,
      en: `The 4th digit ${g} stands for a birth year from ${centuryStart} to ${centuryStart + 99}, but the recorded birth year is ${birthYear}.`,
    }));
  }
  const yy = value.slice(4, 6);
  if (birthYear !== null && Number(yy) !== birthYear % 100) {
    const want = String(birthYear % 100).padStart(2, '0');
    problems.push(problem('identity.personal_id_year', value, {
      vi: `Chữ số thứ 5–6 là "${yy}", nhưng năm sinh đã khai là ${birthYear} (phải là "${want}").`,
      en: `Digits 5–6 are "${yy}", but the recorded birth year is ${birthYear} (they should be "${want}").`,
    }));
  }
  return problems;
}

/**
 * Reads the province, gender and birth year out of a personal ID number. Null when the
 * number is not 12 digits or its century digit is beyond 5 (after 2199).
 */
export function decodePersonalId(value: string): DecodedPersonalId | null {
  if (!FORMAT.test(value)) return null;
  const g = Number(value[3]);
  if (g > 5) return null;
  const provinceCode = value.slice(0, 3);
  return {
    provinceCode,
    province: findPre2025Province(provinceCode),
    gender: g % 2 === 0 ? 'male' : 'female',
    birthYear: PERSONAL_ID_FIRST_YEAR + 100 * Math.floor(g / 2) + Number(value.slice(4, 6)),
    serial: value.slice(6),
  };
}

export interface MakePersonalIdInput {
  /** 3-digit pre-2025 province code of the birth registration. */
  provinceCode: string;
  gender: Gender;
  birthYear: number;
  /** The last six digits, 0–999999. */
  serial: number;
}

/** Builds a structurally valid personal ID number (demo data, tests). Throws RangeError on bad input. */
export function makePersonalId(input: MakePersonalIdInput): string {
  const { provinceCode, gender, birthYear, serial } = input;
  if (!findPre2025Province(provinceCode)) throw new RangeError(`Unknown pre-2025 province code: ${provinceCode}`);
  if (!Number.isInteger(birthYear) || birthYear < PERSONAL_ID_FIRST_YEAR || birthYear > PERSONAL_ID_LAST_YEAR) {
    throw new RangeError(`Birth year out of range ${PERSONAL_ID_FIRST_YEAR}–${PERSONAL_ID_LAST_YEAR}: ${birthYear}`);
  }
  if (!Number.isInteger(serial) || serial < 0 || serial > 999_999) throw new RangeError(`Serial out of range 0–999999: ${serial}`);
  const g = 2 * Math.floor((birthYear - PERSONAL_ID_FIRST_YEAR) / 100) + (gender === 'female' ? 1 : 0);
  return `${provinceCode}${g}${String(birthYear % 100).padStart(2, '0')}${String(serial).padStart(6, '0')}`;
}

function expectedBirthYear(expected: PersonalIdExpectations): number | null {
  if (expected.birthDate !== undefined && isValidIsoDate(expected.birthDate)) return Number(expected.birthDate.slice(0, 4));
  return expected.birthYear !== undefined && Number.isInteger(expected.birthYear) ? expected.birthYear : null;
}

function problem(code: IdentityProblem['code'], value: string, message: IdentityProblem['message']): IdentityProblem {
  return { code, message, value };
}
