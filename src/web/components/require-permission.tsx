/** Shows its children only to people holding `permission` (or any of a list); others get the 403 page. */
import type { ReactNode } from 'react';
import { useSession } from '../session/session-context.tsx';
import { ErrorResult } from './error-result.tsx';

export function RequirePermission({ permission, children }: { permission: string | readonly string[]; children: ReactNode }) {
  const { can } = useSession();
  const allowed = typeof permission === 'string' ? can(permission) : permission.some((p) => can(p));
  return allowed ? <>{children}</> : <ErrorResult status={403} />;
}
