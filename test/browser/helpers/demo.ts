/** Accounts of the demo school that `hocba serve` loads into a fresh data directory. */
import { ROLES, ROLE_LABELS, type Role } from '../../../src/domain/policies/roles.ts';

export const DEMO_PASSWORD = 'Hocba@2025';

export const DEMO_USERS = {
  principal: { username: 'hieutruong', password: DEMO_PASSWORD },
} as const;

export interface DemoLogin {
  username: string;
  role: Role;
  description: string;
}

/**
 * The demo sign-ins `hocba serve` prints when it loads the demo school, one a line:
 * `  <username>   <Vietnamese role name> — <description>`. Reading them from the output
 * (as a person would) keeps the tests independent of how the demo data is generated.
 */
export function parseDemoLogins(output: string): DemoLogin[] {
  const byLabel = new Map(ROLES.map((role) => [ROLE_LABELS[role].vi, role] as const));
  const logins: DemoLogin[] = [];
  for (const line of output.split('\n')) {
    const match = /^\s{2}(\S+)\s+(.+?) — (.*)$/.exec(line);
    const role = match && byLabel.get(match[2]!.trim());
    if (match && role) logins.push({ username: match[1]!, role, description: match[3]!.trim() });
  }
  return logins;
}
