/** Shows its children only to people holding `permission`; others get the 403 page. */
import type { ReactNode } from 'react';
import { useSession } from '../session/session-context.tsx';
import { ErrorResult } from './error-result.tsx';

export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const { can } = useSession();
  return can(permission) ? <>{children}</> : <ErrorResult status={403} />;
}
