/** The app's pages in menu order, with the permission each needs (any of a list; none: everyone). */
import type { MessageKey } from './i18n/index.ts';

export interface NavItem {
  key: string;
  path: string;
  label: MessageKey;
  permission?: string | readonly string[];
  /** Other path prefixes that belong to this entry (e.g. a grade sheet to "My classes"). */
  alsoFor?: readonly string[];
}

/** Who sees grade sheets: their teachers, leadership, cross-checking department heads. */
export const GRADE_SHEET_READERS = ['grades.enter', 'grades.read', 'crosscheck.review', 'changes.decide'] as const;
/** Who sees a class's results page: its homeroom teacher (editing) and leadership (read-only). */
export const HOMEROOM_READERS = ['homeroom.manage', 'grades.read'] as const;
export const CHANGE_REQUEST_USERS = ['changes.decide', 'grades.enter'] as const;
export const CROSS_CHECK_USERS = ['crosscheck.assign', 'crosscheck.review', 'grades.enter'] as const;

export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'home', path: '/', label: 'nav.home' },
  { key: 'province-board', path: '/province/board', label: 'nav.provinceBoard', permission: 'province.board' },
  { key: 'province-schools', path: '/province/schools', label: 'nav.provinceSchools', permission: 'province.schools' },
  { key: 'my-records', path: '/my-records', label: 'nav.myRecords', permission: 'own_record.read' },
  { key: 'my-classes', path: '/my-classes', label: 'nav.myClasses', permission: 'grades.enter', alsoFor: ['/grade-sheets'] },
  { key: 'homeroom', path: '/homeroom', label: 'nav.homeroom', permission: 'homeroom.manage' },
  { key: 'change-requests', path: '/change-requests', label: 'nav.changeRequests', permission: CHANGE_REQUEST_USERS },
  { key: 'cross-checks', path: '/cross-checks', label: 'nav.crossChecks', permission: CROSS_CHECK_USERS },
  { key: 'classes', path: '/classes', label: 'nav.classes', permission: 'classes.read', alsoFor: ['/students'] },
  { key: 'signing', path: '/signing', label: 'nav.signing', permission: 'records.sign' },
  { key: 'corrections', path: '/corrections', label: 'nav.corrections', permission: ['records.correct', 'changes.decide'] },
  { key: 'delegations', path: '/delegations', label: 'nav.delegations', permission: 'delegations.read' },
  { key: 'records', path: '/records', label: 'nav.records', permission: 'classes.read_all' },
  { key: 'transfers', path: '/transfers', label: 'nav.transfers', permission: ['transfers.import', 'transfers.export'] },
  { key: 'data-quality', path: '/data-quality', label: 'nav.dataQuality', permission: 'classes.read' },
  { key: 'subjects', path: '/subjects', label: 'nav.subjects', permission: 'subjects.manage' },
  { key: 'staff', path: '/staff', label: 'nav.staff', permission: 'staff.read' },
  { key: 'school-settings', path: '/school-settings', label: 'nav.schoolSettings', permission: ['school.configure', 'seal_image.manage'] },
  { key: 'plan-board', path: '/plan/board', label: 'nav.planBoard', permission: 'plan.board' },
  { key: 'plan', path: '/plan', label: 'nav.plan', permission: 'plan.read' },
  { key: 'certificates', path: '/certificates', label: 'nav.certificates', permission: 'certificates.board' },
  { key: 'family-accounts', path: '/family-accounts', label: 'nav.familyAccounts', permission: 'access.issue_accounts' },
  { key: 'issued-copies', path: '/issued-copies', label: 'nav.issuedCopies', permission: 'issued_copies.read' },
  { key: 'audit', path: '/audit', label: 'nav.audit', permission: 'audit.read' },
  { key: 'backup', path: '/backup', label: 'nav.backup', permission: 'backup.read' },
  { key: 'sync', path: '/sync', label: 'nav.sync', permission: 'sync.read' },
  { key: 'practice', path: '/practice', label: 'nav.practice', permission: 'practice.use' },
  { key: 'account', path: '/account', label: 'nav.account' },
];

/** The menu entry a path belongs to (`/classes/<id>` → classes); null for unknown paths. */
export function navKeyForPath(pathname: string): string | null {
  if (pathname === '/') return 'home';
  const under = (prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);
  const match = NAV_ITEMS.find((item) => item.path !== '/' && (under(item.path) || (item.alsoFor ?? []).some(under)));
  return match?.key ?? null;
}

/** Whether a person with these permissions sees a menu entry. */
export function navItemAllowed(item: NavItem, can: (permission: string) => boolean): boolean {
  if (!item.permission) return true;
  return typeof item.permission === 'string' ? can(item.permission) : item.permission.some(can);
}
