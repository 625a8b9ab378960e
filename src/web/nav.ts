/** The app's pages in menu order, with the permission each needs (none: everyone). */
import type { MessageKey } from './i18n/index.ts';

export interface NavItem {
  key: string;
  path: string;
  label: MessageKey;
  permission?: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'home', path: '/', label: 'nav.home' },
  { key: 'classes', path: '/classes', label: 'nav.classes', permission: 'classes.read' },
  { key: 'staff', path: '/staff', label: 'nav.staff', permission: 'staff.read' },
  { key: 'audit', path: '/audit', label: 'nav.audit', permission: 'audit.read' },
  { key: 'account', path: '/account', label: 'nav.account' },
];

/** The menu entry a path belongs to (`/classes/<id>` → classes); null for unknown paths. */
export function navKeyForPath(pathname: string): string | null {
  if (pathname === '/') return 'home';
  const match = NAV_ITEMS.find(
    (item) => item.path !== '/' && (pathname === item.path || pathname.startsWith(`${item.path}/`)),
  );
  return match?.key ?? null;
}
