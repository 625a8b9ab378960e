/**
 * How the web shows a student's identity fields: the two groups of the học bạ identity
 * page (the student, the family), labels from the domain's STUDENT_FIELDS, and display
 * values (gender Nam/Nữ, ethnicity by name, dates dd/mm/yyyy).
 */
import type { Locale, RecordProblemView, StudentFieldName } from '../../server/api-types.ts';
import { ethnicityByCode } from '../../domain/identity/ethnicity.ts';
import { STUDENT_FIELDS } from '../../domain/identity/student-record.ts';
import { formatDate } from '../format.ts';

export const STUDENT_FIELD_GROUPS: ReadonlyArray<{ key: 'student' | 'family'; fields: readonly StudentFieldName[] }> = [
  {
    key: 'student',
    fields: ['fullName', 'gender', 'birthDate', 'birthPlace', 'ethnicityCode', 'nationality', 'personalId', 'studentCode', 'hometown', 'address', 'phone', 'policyStatus'],
  },
  {
    key: 'family',
    fields: ['fatherName', 'fatherOccupation', 'motherName', 'motherOccupation', 'guardianName', 'guardianOccupation'],
  },
];

export const ALL_STUDENT_FIELDS = Object.keys(STUDENT_FIELDS) as StudentFieldName[];

/** Fields every student must have whatever the school decides (the server always keeps them). */
export const ALWAYS_MANDATORY: readonly StudentFieldName[] = ['fullName', 'gender', 'birthDate'];

export function fieldLabel(field: string, locale: Locale): string {
  if (field === 'parents') return locale === 'vi' ? 'Cha mẹ / người giám hộ' : 'Parents / guardian';
  if (field === 'duplicate') return locale === 'vi' ? 'Trùng học sinh' : 'Duplicate student';
  return (STUDENT_FIELDS as Record<string, { vi: string; en: string }>)[field]?.[locale] ?? field;
}

/** A stored value as people read it: "male" → "Nam", "01" → "Kinh", "2010-02-21" → "21/02/2010". */
export function displayValue(field: string, value: string | null | undefined, locale: Locale): string {
  if (value === null || value === undefined || value === '') return '';
  if (field === 'gender') {
    if (value === 'male') return locale === 'vi' ? 'Nam' : 'Male';
    if (value === 'female') return locale === 'vi' ? 'Nữ' : 'Female';
    return value;
  }
  if (field === 'ethnicityCode') return ethnicityByCode(value)?.name ?? value;
  if (field === 'birthDate') return formatDate(value);
  return value;
}

/** The value as the edit form shows it (dates typed dd/mm/yyyy). */
export function formValue(field: StudentFieldName, value: string | null | undefined): string {
  if (!value) return '';
  return field === 'birthDate' ? formatDate(value) : value;
}

/** Problems keyed by field, blocking first. */
export function problemsByField(problems: readonly RecordProblemView[]): Map<string, RecordProblemView[]> {
  const map = new Map<string, RecordProblemView[]>();
  for (const p of [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'blocking' ? -1 : 1))) {
    map.set(p.field, [...(map.get(p.field) ?? []), p]);
  }
  return map;
}
