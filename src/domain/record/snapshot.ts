/**
 * The frozen record snapshot (DESIGN.md "The record and its lifecycle"): one student × one
 * school year, exactly as it is printed and signed. Plain JSON-safe data (strings, numbers,
 * booleans, null, arrays, plain objects); every document format (HBS XML, PDF) is generated
 * from it, and an imported document reads back into it. Pure: no I/O.
 *
 * Canonical values: averages are written with exactly one decimal ("7.9", "10.0"), comment
 * results as "D" (Đạt) / "CD" (Chưa đạt); text is Unicode NFC; dates are 'YYYY-MM-DD';
 * `frozenAt` is `Date.prototype.toISOString()` output (UTC, milliseconds, "Z").
 */
import type { Award } from '../assessment/awards.ts';
import type { AssessmentForm } from '../assessment/catalogue.ts';
import { isTenths, type Tenths } from '../assessment/decimal.ts';
import { LEVELS, type Level } from '../assessment/levels.ts';
import type { PromotionOutcome } from '../assessment/promotion.ts';
import type { SemesterSubjectResult, YearSubjectResult } from '../assessment/types.ts';
import type { Gender, IsoDate } from '../identity/types.ts';

/** Version of the snapshot shape; bumped on any change of meaning. */
export const SNAPSHOT_FORMAT_VERSION = 1 as const;

/** A subject result for a semester, the year or the re-assessment. */
export type SubjectResult =
  | { kind: 'score'; average: string } // ĐTB, canonical "7.9" / "10.0"
  | { kind: 'comment'; result: 'D' | 'CD' } // Đạt / Chưa đạt
  | { kind: 'exempt' }; // miễn học

/** One row of the year's subject table (one subject, its teacher, its results). */
export interface SubjectRow {
  /** School subject code (catalogue code, e.g. "TOAN"): letters, digits, '_' only. */
  code: string;
  name: string;
  form: AssessmentForm;
  teacherName: string;
  semesterI: SubjectResult;
  semesterII: SubjectResult;
  year: SubjectResult;
  /** Kết quả kiểm tra lại (summer re-assessment), or null when not re-assessed. */
  reassessment: SubjectResult | null;
  comment: string | null;
}

/** The identity page: STUDENT_FIELDS values, plus the class the student is in this year. */
export interface SnapshotIdentity {
  fullName: string;
  gender: Gender | null;
  birthDate: IsoDate | null;
  birthPlace: string | null;
  ethnicityCode: string | null;
  nationality: string | null;
  personalId: string | null; // 12 digits
  studentCode: string | null; // 10 digits
  hometown: string | null;
  address: string | null;
  phone: string | null;
  policyStatus: string | null;
  fatherName: string | null;
  fatherOccupation: string | null;
  motherName: string | null;
  motherOccupation: string | null;
  guardianName: string | null;
  guardianOccupation: string | null;
  className: string;
  grade: number; // 6–12
}

/** A level per semester and for the year, plus the level after a summer route (or null). */
export interface LevelsByPeriod {
  semesterI: Level;
  semesterII: Level;
  year: Level;
  /** Conduct after rèn luyện hè / learning after kiểm tra lại; null when no summer route. */
  afterSummer: Level | null;
}

/** The year page of the học bạ. */
export interface SnapshotYear {
  subjects: SubjectRow[];
  conduct: LevelsByPeriod;
  learning: LevelsByPeriod;
  absences: { excused: number; unexcused: number };
  promotion: PromotionOutcome['kind'];
  award: Award | null;
  homeroom: { teacherName: string; comment: string | null };
}

/** One student's frozen record for one school year. */
export interface RecordSnapshot {
  formatVersion: typeof SNAPSHOT_FORMAT_VERSION;
  school: { code: string; name: string; province: string };
  /** "2025-2026". */
  schoolYear: string;
  identity: SnapshotIdentity;
  year: SnapshotYear;
  /** When the snapshot was taken, `toISOString()` form: "2026-05-31T09:00:00.000Z". */
  frozenAt: string;
}

/** Identity fields in their fixed (document) order. */
export const IDENTITY_KEYS = [
  'fullName', 'gender', 'birthDate', 'birthPlace', 'ethnicityCode', 'nationality', 'personalId', 'studentCode',
  'hometown', 'address', 'phone', 'policyStatus', 'fatherName', 'fatherOccupation', 'motherName', 'motherOccupation',
  'guardianName', 'guardianOccupation', 'className', 'grade',
] as const satisfies readonly (keyof SnapshotIdentity)[];

export const PROMOTION_KINDS = [
  'promoted', 'pending_reassessment', 'promoted_after_reassessment', 'pending_training', 'promoted_after_training', 'not_promoted',
] as const satisfies readonly PromotionOutcome['kind'][];
export const AWARDS = ['xuat_sac', 'gioi'] as const satisfies readonly Award[];

/** Average in tenths → canonical text: 79 → "7.9", 100 → "10.0". */
export function formatAverage(tenths: Tenths): string {
  if (!isTenths(tenths)) throw new RangeError(`not a mark in tenths: ${tenths}`);
  return `${Math.trunc(tenths / 10)}.${tenths % 10}`;
}

const AVERAGE_RE = /^(?:10\.0|[0-9]\.[0-9])$/;
/** Canonical average text → tenths, or null when `text` is not canonical ("7.90", "07.9", "7,9" are not). */
export function parseAverage(text: string): Tenths | null {
  if (!AVERAGE_RE.test(text)) return null;
  return Number(text.replace('.', ''));
}

/** The snapshot form of an engine result; throws on an incomplete or invalid result (nothing incomplete is frozen). */
export function snapshotResult(r: SemesterSubjectResult | YearSubjectResult): SubjectResult {
  if (r.status === 'exempt') return { kind: 'exempt' };
  if (r.status !== 'complete') throw new Error(`cannot freeze a ${r.status} subject result`);
  return r.form === 'score' ? { kind: 'score', average: formatAverage(r.average) } : { kind: 'comment', result: r.result === 'dat' ? 'D' : 'CD' };
}

/** Element-Id-safe subject code: letters, digits and underscore, 1–32 characters. */
export const SUBJECT_CODE_RE = /^[A-Za-z0-9_]{1,32}$/;
const SCHOOL_YEAR_RE = /^([0-9]{4})-([0-9]{4})$/;
const DATE_RE = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
// XML 1.0 Char minus the C0 controls other than TAB/LF/CR; no lone surrogates, no U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex
const BAD_CHAR_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** One reason a snapshot is not well formed: the field path and what is wrong. */
export interface SnapshotProblem {
  path: string;
  message: string;
}

/**
 * Checks the snapshot's shape and canonical values (not the Circular 22 rules: those ran
 * before the freeze). Empty array = well formed. Formats refuse to write or read anything else.
 */
export function snapshotProblems(s: RecordSnapshot): SnapshotProblem[] {
  const out: SnapshotProblem[] = [];
  const bad = (path: string, message: string) => out.push({ path, message });
  const text = (path: string, v: unknown, nullable: boolean) => {
    if (v === null && nullable) return;
    if (typeof v !== 'string') return bad(path, nullable ? 'must be a string or null' : 'must be a string');
    if (v === '') return bad(path, nullable ? 'must not be empty (use null)' : 'must not be empty');
    if (BAD_CHAR_RE.test(v)) return bad(path, 'contains a character XML cannot carry');
    if (v.normalize('NFC') !== v) bad(path, 'is not in Unicode NFC');
  };
  const level = (path: string, v: unknown, nullable = false) => {
    if (v === null && nullable) return;
    if (!(LEVELS as readonly unknown[]).includes(v)) bad(path, `must be one of ${LEVELS.join(', ')}`);
  };
  const count = (path: string, v: unknown) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > 999) bad(path, 'must be a whole number 0–999');
  };
  const result = (path: string, r: SubjectResult | null, form: AssessmentForm, nullable = false) => {
    if (r === null && nullable) return;
    if (r === null || typeof r !== 'object') return bad(path, 'must be a result');
    if (r.kind === 'exempt') return;
    if (r.kind === 'score') {
      if (form !== 'score') return bad(path, 'a score in a comment subject');
      if (typeof r.average !== 'string' || parseAverage(r.average) === null) bad(`${path}.average`, 'must be a canonical average such as "7.9" or "10.0"');
    } else if (r.kind === 'comment') {
      if (form !== 'comment') return bad(path, 'a comment result in a score subject');
      if (r.result !== 'D' && r.result !== 'CD') bad(`${path}.result`, 'must be "D" or "CD"');
    } else bad(`${path}.kind`, 'must be score, comment or exempt');
  };

  if (s.formatVersion !== SNAPSHOT_FORMAT_VERSION) bad('formatVersion', `must be ${SNAPSHOT_FORMAT_VERSION}`);
  for (const k of ['code', 'name', 'province'] as const) text(`school.${k}`, s.school?.[k], false);
  const sy = SCHOOL_YEAR_RE.exec(typeof s.schoolYear === 'string' ? s.schoolYear : '');
  if (!sy || Number(sy[2]) !== Number(sy[1]) + 1) bad('schoolYear', 'must read "YYYY-YYYY" with consecutive years');
  const id = s.identity;
  for (const k of IDENTITY_KEYS) {
    const v = id?.[k];
    if (k === 'grade') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 6 || v > 12) bad('identity.grade', 'must be a grade 6–12');
    } else if (k === 'gender') {
      if (v !== null && v !== 'male' && v !== 'female') bad('identity.gender', 'must be male, female or null');
    } else if (k === 'birthDate') {
      if (v !== null && (typeof v !== 'string' || !isRealDate(v))) bad('identity.birthDate', 'must be a real date YYYY-MM-DD or null');
    } else if (k === 'personalId') {
      if (v !== null && (typeof v !== 'string' || !/^[0-9]{12}$/.test(v))) bad('identity.personalId', 'must be 12 digits or null');
    } else if (k === 'studentCode') {
      if (v !== null && (typeof v !== 'string' || !/^[0-9]{10}$/.test(v))) bad('identity.studentCode', 'must be 10 digits or null');
    } else text(`identity.${k}`, v, k !== 'fullName' && k !== 'className');
  }
  const y = s.year;
  const seen = new Set<string>();
  (Array.isArray(y?.subjects) ? y.subjects : []).forEach((row, i) => {
    const p = `year.subjects[${i}]`;
    if (typeof row.code !== 'string' || !SUBJECT_CODE_RE.test(row.code)) bad(`${p}.code`, 'must be 1–32 letters, digits or _');
    else if (seen.has(row.code)) bad(`${p}.code`, `duplicate subject ${row.code}`);
    else seen.add(row.code);
    text(`${p}.name`, row.name, false);
    if (row.form !== 'score' && row.form !== 'comment') bad(`${p}.form`, 'must be score or comment');
    text(`${p}.teacherName`, row.teacherName, false);
    result(`${p}.semesterI`, row.semesterI, row.form);
    result(`${p}.semesterII`, row.semesterII, row.form);
    result(`${p}.year`, row.year, row.form);
    result(`${p}.reassessment`, row.reassessment, row.form, true);
    text(`${p}.comment`, row.comment, true);
  });
  if (!Array.isArray(y?.subjects)) bad('year.subjects', 'must be a list');
  for (const g of ['conduct', 'learning'] as const) {
    level(`year.${g}.semesterI`, y?.[g]?.semesterI);
    level(`year.${g}.semesterII`, y?.[g]?.semesterII);
    level(`year.${g}.year`, y?.[g]?.year);
    level(`year.${g}.afterSummer`, y?.[g]?.afterSummer, true);
  }
  count('year.absences.excused', y?.absences?.excused);
  count('year.absences.unexcused', y?.absences?.unexcused);
  if (!(PROMOTION_KINDS as readonly unknown[]).includes(y?.promotion)) bad('year.promotion', `must be one of ${PROMOTION_KINDS.join(', ')}`);
  if (y?.award !== null && !(AWARDS as readonly unknown[]).includes(y?.award)) bad('year.award', 'must be xuat_sac, gioi or null');
  text('year.homeroom.teacherName', y?.homeroom?.teacherName, false);
  text('year.homeroom.comment', y?.homeroom?.comment, true);
  if (typeof s.frozenAt !== 'string' || !isCanonicalInstant(s.frozenAt)) bad('frozenAt', 'must be toISOString() output, e.g. 2026-05-31T09:00:00.000Z');
  return out;
}

/** True for 'YYYY-MM-DD' naming a day that exists. */
export function isRealDate(v: string): boolean {
  if (!DATE_RE.test(v)) return false;
  const d = new Date(`${v}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** True for `Date.prototype.toISOString()` output of a real instant (years 0000–9999). */
export function isCanonicalInstant(v: string): boolean {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/.test(v)) return false;
  const d = new Date(v);
  return !Number.isNaN(d.getTime()) && d.toISOString() === v;
}
