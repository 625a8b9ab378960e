/** The signed-in person's name and their roles in the active school. */
import { Flex, Tag, Typography } from 'antd';
import { roleLabel } from '../i18n/index.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { activeRoles } from '../session/session-view.ts';

export function UserSummary({ stacked = false }: { stacked?: boolean }) {
  const { locale } = useLocale();
  const session = useSignedInSession();
  const roles = activeRoles(session);

  return (
    <Flex vertical={stacked} gap={stacked ? 6 : 8} align={stacked ? 'flex-start' : 'center'} wrap>
      <Typography.Text strong data-testid="user-name">
        {session.user.displayName}
      </Typography.Text>
      <Flex gap={4} wrap data-testid="user-roles">
        {roles.map((role) => (
          <Tag key={role} color="geekblue" style={{ marginInlineEnd: 0 }}>
            {roleLabel(role, locale)}
          </Tag>
        ))}
      </Flex>
    </Flex>
  );
}
