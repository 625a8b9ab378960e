/** What the home page tells each role to do next when its section has nothing to show. */
import type { HomeCard } from '../server/api-types.ts';
import type { Role } from '../domain/policies/roles.ts';
import type { MessageKey } from './i18n/index.ts';

export const NEXT_STEP: Record<Role, MessageKey> = {
  system_admin: 'home.next.system',
  province_officer: 'home.next.province',
  school_admin: 'home.next.school',
  principal: 'home.next.school',
  vice_principal: 'home.next.school',
  department_head: 'home.next.department',
  homeroom_teacher: 'home.next.homeroom',
  subject_teacher: 'home.next.subject',
  clerk: 'home.next.clerk',
  student: 'home.next.learner',
  parent: 'home.next.learner',
};

/** A section is empty when it has no items and every card is missing, zero or blank. */
export function isEmptySection(section: { cards: HomeCard[]; items?: unknown[] }): boolean {
  if (section.items && section.items.length > 0) return false;
  return section.cards.every((card) => card.value === 0 || card.value === '' || card.value === null);
}

/** Cards that open a page, when the person holds the page's permission. */
export const CARD_LINKS: Record<string, { path: string; permission: string }> = {
  classes: { path: '/classes', permission: 'classes.read' },
  province_schools: { path: '/province/schools', permission: 'province.schools' },
  province_schools_without_admin: { path: '/province/schools', permission: 'province.schools' },
  students: { path: '/classes', permission: 'classes.read' },
  staff: { path: '/staff', permission: 'staff.read' },
  department_teachers: { path: '/staff', permission: 'staff.read' },
  class_subjects: { path: '/my-classes', permission: 'grades.enter' },
  class_name: { path: '/homeroom', permission: 'homeroom.manage' },
  class_students: { path: '/homeroom', permission: 'homeroom.manage' },
};
