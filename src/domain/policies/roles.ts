/**
 * Roles a person can hold. A person may hold several, each in one school (the system
 * administrator's and the province officer's roles belong to no school: SCHOOLLESS_ROLES).
 */
export const ROLES = [
  'system_admin', // quản trị hệ thống (province / deployment operator)
  'province_officer', // cán bộ Sở GD&ĐT — bound to one province, no school (see role_grants.province_code)
  'school_admin', // quản trị trường — the school's IT officer (cán bộ CNTT)
  'principal', // hiệu trưởng
  'vice_principal', // phó hiệu trưởng
  'department_head', // tổ trưởng chuyên môn
  'homeroom_teacher', // giáo viên chủ nhiệm (GVCN)
  'subject_teacher', // giáo viên bộ môn (GVBM)
  'clerk', // văn thư — applies the school seal
  'student', // học sinh — reads own record
  'parent', // cha mẹ / người giám hộ — reads their child's record
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Roles granted without a school: the deployment operator, and the province officer (bound to a province instead). */
export const SCHOOLLESS_ROLES: readonly Role[] = ['system_admin', 'province_officer'];

/** Roles that sign or approve records: a school may require TOTP for these. */
export const SIGNING_ROLES: readonly Role[] = [
  'principal',
  'vice_principal',
  'homeroom_teacher',
  'subject_teacher',
  'clerk',
];

/** Roles that belong to school staff (as opposed to students and parents). */
export const STAFF_ROLES: readonly Role[] = [
  'school_admin',
  'principal',
  'vice_principal',
  'department_head',
  'homeroom_teacher',
  'subject_teacher',
  'clerk',
];

/** Vietnamese and English names of each role, for the UI and the CLI. */
export const ROLE_LABELS: Record<Role, { vi: string; en: string }> = {
  system_admin: { vi: 'Quản trị hệ thống', en: 'System administrator' },
  province_officer: { vi: 'Cán bộ Sở GD&ĐT', en: 'Provincial education officer' },
  school_admin: { vi: 'Quản trị trường (CNTT)', en: 'School administrator (IT)' },
  principal: { vi: 'Hiệu trưởng', en: 'Principal' },
  vice_principal: { vi: 'Phó Hiệu trưởng', en: 'Vice principal' },
  department_head: { vi: 'Tổ trưởng chuyên môn', en: 'Department head' },
  homeroom_teacher: { vi: 'Giáo viên chủ nhiệm', en: 'Homeroom teacher' },
  subject_teacher: { vi: 'Giáo viên bộ môn', en: 'Subject teacher' },
  clerk: { vi: 'Văn thư', en: 'Clerk' },
  student: { vi: 'Học sinh', en: 'Student' },
  parent: { vi: 'Cha mẹ học sinh', en: 'Parent' },
};
