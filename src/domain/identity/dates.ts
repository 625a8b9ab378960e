/**
 * Dates as Vietnamese users and their spreadsheets write them (DOMAIN.md §6):
 * "dd/mm/yyyy" (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy), ISO "yyyy-mm-dd", and Excel
 * serial numbers. Everything works on plain 'YYYY-MM-DD' strings and day numbers:
 * no Date objects, so no time zone can ever shift a birth date by one day.
 */
import type { IdentityProblem, IsoDate } from './types.ts';

export type DateParseResult = { ok: true; date: IsoDate } | { ok: false; problem: IdentityProblem };

/** Largest serial Excel accepts (31/12/9999). */
export const EXCEL_MAX_SERIAL = 2958465;

/** Gregorian leap year. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant's algorithm). */
export function dayNumberFromParts(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The ISO date of a day number (days since 1970-01-01). */
export function isoDateFromDayNumber(dayNumber: number): IsoDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return isoFromParts(year, month, day);
}

/** Days since 1970-01-01 of an ISO date; throws RangeError when it is not a real date. */
export function dayNumberFromIsoDate(iso: IsoDate): number {
  const parts = isoParts(iso);
  if (!parts) throw new RangeError(`Not an ISO date: ${iso}`);
  return dayNumberFromParts(parts.year, parts.month, parts.day);
}

/** True when the string is 'YYYY-MM-DD' and names a real calendar date. */
export function isValidIsoDate(value: string): boolean {
  return isoParts(value) !== null;
}

/** Formats an ISO date the Vietnamese way, dd/mm/yyyy; throws RangeError on a non-date. */
export function formatVietnameseDate(iso: IsoDate): string {
  const parts = isoParts(iso);
  if (!parts) throw new RangeError(`Not an ISO date: ${iso}`);
  return `${pad2(parts.day)}/${pad2(parts.month)}/${String(parts.year).padStart(4, '0')}`;
}

const DMY = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
// Only 5-digit strings are read as serials (dates 1927–2173): a shorter number such as
// "2010" is far more likely a bare year than Excel's 2 July 1905.
const SERIAL_TEXT = /^\d{5}(\.\d+)?$/;

/**
 * Parses a date as written in Vietnamese forms and spreadsheets. Numbers are Excel
 * serials (1900 date system). Returns the ISO date, or a problem that says why not.
 */
export function parseVietnameseDate(input: string | number): DateParseResult {
  if (typeof input === 'number') return parseExcelSerialDate(input);
  const text = input.trim();
  const dmy = DMY.exec(text);
  if (dmy) return fromParts(text, Number(dmy[4]), Number(dmy[3]), Number(dmy[1]));
  const iso = ISO.exec(text);
  if (iso) return fromParts(text, Number(iso[1]), Number(iso[2]), Number(iso[3]));
  if (SERIAL_TEXT.test(text)) return parseExcelSerialDate(Number(text), text);
  return fail('identity.date_format', input, {
    vi: `Không đọc được ngày "${input}": hãy viết theo dạng dd/mm/yyyy (ví dụ 05/09/2010).`,
    en: `Cannot read the date "${input}": write it as dd/mm/yyyy (e.g. 05/09/2010).`,
  });
}

/**
 * Converts an Excel serial (1900 date system) to an ISO date. The time of day (the
 * fraction) is ignored. Excel counts a 29 February 1900 that never existed (serial 60,
 * a bug kept from Lotus 1-2-3): that serial is rejected, and later serials are shifted
 * back one day so that 61 is 1 March 1900.
 */
export function parseExcelSerialDate(serial: number, written: string = String(serial)): DateParseResult {
  if (!Number.isFinite(serial)) {
    return fail('identity.date_format', written, {
      vi: `"${written}" không phải là một ngày hay số ngày của Excel.`,
      en: `"${written}" is not a date or an Excel date serial.`,
    });
  }
  const whole = Math.floor(serial);
  if (whole < 1 || whole > EXCEL_MAX_SERIAL) {
    return fail('identity.date_out_of_range', written, {
      vi: `Số ngày Excel ${written} nằm ngoài khoảng hợp lệ (1 đến ${EXCEL_MAX_SERIAL}, tức 01/01/1900 đến 31/12/9999).`,
      en: `The Excel date serial ${written} is out of range (1 to ${EXCEL_MAX_SERIAL}, i.e. 01/01/1900 to 31/12/9999).`,
    });
  }
  if (whole === 60) {
    return fail('identity.date_impossible', written, {
      vi: `Số ngày Excel 60 là ngày 29/02/1900, một ngày không có thật (lỗi năm nhuận của Excel).`,
      en: `Excel date serial 60 is 29/02/1900, a day that never existed (Excel's leap-year bug).`,
    });
  }
  // Serial 1 is 1900-01-01 (day −25567); from 61 on, Excel is one day ahead.
  const dayNumber = whole < 60 ? whole - 25568 : whole - 25569;
  return { ok: true, date: isoDateFromDayNumber(dayNumber) };
}

function fromParts(written: string, year: number, month: number, day: number): DateParseResult {
  if (year < 1) {
    return fail('identity.date_impossible', written, {
      vi: `Ngày "${written}" không tồn tại: không có năm 0000.`,
      en: `"${written}" is not a real date: there is no year 0000.`,
    });
  }
  if (month < 1 || month > 12) {
    return fail('identity.date_impossible', written, {
      vi: `Ngày "${written}" không tồn tại: không có tháng ${month} (ngày viết theo thứ tự ngày/tháng/năm).`,
      en: `"${written}" is not a real date: there is no month ${month} (dates are read day/month/year).`,
    });
  }
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) {
    return fail('identity.date_impossible', written, {
      vi: `Ngày "${written}" không tồn tại: tháng ${month} năm ${year} có ${last} ngày.`,
      en: `"${written}" is not a real date: ${MONTHS_EN[month - 1]} ${year} has ${last} days.`,
    });
  }
  return { ok: true, date: isoFromParts(year, month, day) };
}

function isoParts(value: string): { year: number; month: number; day: number } | null {
  const m = ISO.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function isoFromParts(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function fail(code: IdentityProblem['code'], value: string | number, message: IdentityProblem['message']): DateParseResult {
  return { ok: false, problem: { code, message, value: String(value) } };
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
