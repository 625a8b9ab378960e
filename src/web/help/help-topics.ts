/**
 * Which part of the user guide explains each screen: the "Trợ giúp" button in the header
 * opens the topic of the current route. Every route of app-routes.tsx has a topic here
 * (help-topics.test.ts checks it, and that each page and anchor exists in docs/guide).
 */
import type { GuidePage } from '../../domain/help/guide-pages.ts';

export interface HelpTopic {
  page: GuidePage;
  /** A section of the page (`<a id>` in the markdown); null: the top of the page. */
  anchor: string | null;
}

const topic = (page: GuidePage, anchor: string | null = null): HelpTopic => ({ page, anchor });

/** A screen several roles use for different tasks: the section for the person's main role, else `default`. */
export interface RoleTopics {
  default: HelpTopic;
  roles: Partial<Record<string, HelpTopic>>;
}

const SIGN_BY_ROLE: RoleTopics = {
  default: topic('giao-vien-bo-mon', 'ky-hoc-ba'),
  roles: {
    homeroom_teacher: topic('giao-vien-chu-nhiem', 'ky-hoc-ba'),
    principal: topic('hieu-truong', 'phe-duyet-hoc-ba'),
    vice_principal: topic('hieu-truong', 'phe-duyet-hoc-ba'),
    clerk: topic('van-thu', 'dong-dau'),
  },
};

/** Route patterns exactly as written in app-routes.tsx ('' is the home page). */
export const HELP_TOPICS: Record<string, HelpTopic | RoleTopics> = {
  '': {
    default: topic('README', 'vai-tro'),
    roles: {
      subject_teacher: topic('giao-vien-bo-mon', 'viec-cua-toi'),
      homeroom_teacher: topic('giao-vien-chu-nhiem', 'lop-chu-nhiem'),
      department_head: topic('to-truong-chuyen-mon', 'trang-chu'),
      principal: topic('hieu-truong', 'tien-do'),
      vice_principal: topic('hieu-truong', 'pho-hieu-truong'),
      clerk: topic('van-thu'),
      school_admin: topic('can-bo-cntt'),
      system_admin: topic('can-bo-cntt'),
      student: topic('hoc-sinh-phu-huynh', 'xem-hoc-ba'),
      parent: topic('hoc-sinh-phu-huynh', 'xem-hoc-ba'),
    },
  },
  classes: { default: topic('can-bo-cntt', 'lop-hoc'), roles: { department_head: topic('to-truong-chuyen-mon', 'lop-hoc') } },
  'classes/:classId': { default: topic('can-bo-cntt', 'lop-hoc'), roles: { department_head: topic('to-truong-chuyen-mon', 'lop-hoc') } },
  'classes/:classId/reconciliation': topic('can-bo-cntt', 'doi-chieu-du-lieu'),
  'students/:id': topic('giao-vien-chu-nhiem', 'ho-so-hoc-sinh'),
  records: { default: topic('hieu-truong', 'xem-hoc-ba'), roles: { clerk: topic('van-thu', 'xem-hoc-ba') } },
  backup: topic('can-bo-cntt', 'sao-luu'),
  sync: topic('can-bo-cntt', 'dong-bo'),
  transfers: { default: topic('van-thu', 'chuyen-truong'), roles: { principal: topic('hieu-truong', 'chuyen-truong') } },
  'data-quality': topic('can-bo-cntt', 'chat-luong-du-lieu'),
  'school-settings': topic('can-bo-cntt', 'cai-dat-truong'),
  'my-classes': topic('giao-vien-bo-mon', 'lop-toi-day'),
  'grade-sheets/:classSubjectId/:semester': {
    default: topic('giao-vien-bo-mon', 'nhap-diem'),
    roles: { department_head: topic('to-truong-chuyen-mon', 'xem-bang-diem'), principal: topic('hieu-truong', 'duyet-sua-diem'), vice_principal: topic('hieu-truong', 'duyet-sua-diem') },
  },
  'change-requests': {
    default: topic('giao-vien-bo-mon', 'de-nghi-sua-diem'),
    roles: { principal: topic('hieu-truong', 'duyet-sua-diem'), vice_principal: topic('hieu-truong', 'duyet-sua-diem') },
  },
  homeroom: topic('giao-vien-chu-nhiem', 'lop-chu-nhiem'),
  'homeroom/:classId': topic('giao-vien-chu-nhiem', 'lop-chu-nhiem'),
  'cross-checks': {
    default: topic('to-truong-chuyen-mon', 'kiem-tra-cheo'),
    roles: { principal: topic('hieu-truong', 'kiem-tra-cheo'), vice_principal: topic('hieu-truong', 'kiem-tra-cheo'), subject_teacher: topic('giao-vien-bo-mon', 'kiem-tra-cheo') },
  },
  subjects: topic('can-bo-cntt', 'danh-muc-mon-hoc'),
  staff: topic('can-bo-cntt', 'can-bo-tai-khoan'),
  plan: topic('hieu-truong', 'ke-hoach-nam-hoc'),
  'plan/board': topic('hieu-truong', 'tien-do'),
  certificates: topic('can-bo-cntt', 'chung-thu-so'),
  audit: { default: topic('can-bo-cntt', 'nhat-ky'), roles: { principal: topic('hieu-truong', 'nhat-ky'), vice_principal: topic('hieu-truong', 'nhat-ky') } },
  corrections: { default: topic('hieu-truong', 'sua-hoc-ba-da-ky'), roles: { subject_teacher: topic('giao-vien-bo-mon', 'sua-hoc-ba-da-ky'), homeroom_teacher: topic('giao-vien-chu-nhiem', 'hoc-ba-bi-tra-lai') } },
  signing: SIGN_BY_ROLE,
  delegations: topic('hieu-truong', 'uy-quyen-ky'),
  'my-records': topic('hoc-sinh-phu-huynh', 'xem-hoc-ba'),
  'issued-copies': { default: topic('hieu-truong', 'so-cap-ban-sao'), roles: { clerk: topic('van-thu', 'cap-ban-sao') } },
  'family-accounts': { default: topic('giao-vien-chu-nhiem', 'tai-khoan-hoc-sinh'), roles: { school_admin: topic('can-bo-cntt', 'tai-khoan-hoc-sinh') } },
  practice: topic('README', 'luyen-tap'),
  'province/board': topic('README', 'can-bo-so'),
  'province/board/:schoolId': topic('README', 'can-bo-so'),
  'province/schools': topic('README', 'can-bo-so'),
  account: { default: topic('giao-vien-bo-mon', 'chung-thu-so'), roles: { school_admin: topic('can-bo-cntt', 'xac-thuc-hai-lop'), student: topic('hoc-sinh-phu-huynh', 'dang-nhap-lan-dau'), parent: topic('hoc-sinh-phu-huynh', 'dang-nhap-lan-dau') } },
};

/** Where the error hints send people (xu-ly-su-co.md sections). */
export const TROUBLESHOOTING: Record<string, HelpTopic> = {
  'auth.required': topic('xu-ly-su-co', 'phien-het-han'),
  'csrf.invalid': topic('xu-ly-su-co', 'phien-het-han'),
  forbidden: topic('xu-ly-su-co', 'khong-co-quyen'),
  network: topic('xu-ly-su-co', 'loi-ket-noi'),
  'grade.locked': topic('xu-ly-su-co', 'bang-diem-da-khoa'),
  'certificate.expired': topic('xu-ly-su-co', 'chung-thu-het-han'),
  'certificate.revoked': topic('xu-ly-su-co', 'chung-thu-het-han'),
  'signing.no_certificate': topic('xu-ly-su-co', 'chung-thu-het-han'),
  'signing.remote_timeout': topic('xu-ly-su-co', 'ky-tu-xa-het-gio'),
  'signing.remote_rejected': topic('xu-ly-su-co', 'ky-tu-xa-het-gio'),
  'signing.returned': topic('xu-ly-su-co', 'hoc-ba-bi-tra-lai'),
  agent: topic('xu-ly-su-co', 'khong-tim-thay-token'),
};

/** The guide page written for each role (the home page's topic, and the tour's "read more"). */
export const ROLE_GUIDE_PAGES: Record<string, GuidePage> = {
  subject_teacher: 'giao-vien-bo-mon',
  homeroom_teacher: 'giao-vien-chu-nhiem',
  department_head: 'to-truong-chuyen-mon',
  principal: 'hieu-truong',
  vice_principal: 'hieu-truong',
  clerk: 'van-thu',
  school_admin: 'can-bo-cntt',
  system_admin: 'can-bo-cntt',
  // The guide has no province page yet: its index explains every role.
  province_officer: 'README',
  student: 'hoc-sinh-phu-huynh',
  parent: 'hoc-sinh-phu-huynh',
};

/** Roles in the order their guide page is preferred when a person holds several. */
const ROLE_ORDER = ['principal', 'vice_principal', 'clerk', 'school_admin', 'department_head', 'homeroom_teacher', 'subject_teacher', 'system_admin', 'parent', 'student'];

/** The person's main role (the first of ROLE_ORDER they hold; else their first role). */
export function mainRole(roles: readonly string[]): string | null {
  return ROLE_ORDER.find((r) => roles.includes(r)) ?? roles[0] ?? null;
}

function matches(pattern: string, path: string): boolean {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  return p.length === s.length && p.every((seg, i) => seg.startsWith(':') || seg === s[i]);
}

/** The help topic for a location and the person's roles; unknown paths get the guide's index. */
export function helpTopicFor(pathname: string, roles: readonly string[]): HelpTopic {
  const path = pathname.replace(/^\/+|\/+$/g, '');
  // Exact segments win over parameters (plan/board before plan/:x).
  const keys = Object.keys(HELP_TOPICS).sort((a, b) => a.split(':').length - b.split(':').length);
  const key = keys.find((k) => matches(k, path));
  const found = key === undefined ? undefined : HELP_TOPICS[key];
  if (found === undefined) return topic('README');
  if ('page' in found) return found;
  const byRole = found.roles[mainRole(roles) ?? ''] ?? roles.map((r) => found.roles[r]).find(Boolean);
  return byRole ?? found.default;
}

/** Every topic of the table (for the test that they all exist in docs/guide). */
export function allHelpTopics(): HelpTopic[] {
  return [...Object.values(HELP_TOPICS).flatMap((v) => ('page' in v ? [v] : [v.default, ...Object.values(v.roles).filter((x): x is HelpTopic => !!x)])), ...Object.values(TROUBLESHOOTING)];
}
