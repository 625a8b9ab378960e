/**
 * An empty list that says what it means and what to do next, with the action as a button
 * (or link) where one exists, and optionally the guide section that explains it. Every
 * empty list of the main pages uses it, so they read the same way.
 */
import type { ReactNode } from 'react';
import { Button, Empty, Flex, Typography } from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useLocale } from '../i18n/locale-context.tsx';
import type { HelpTopic } from './help-topics.ts';
import { guidePath } from './markdown.ts';

export interface EmptyAction {
  label: string;
  /** An app path (a link) … */
  to?: string;
  /** … or a handler (opens a form on this page). */
  onClick?: () => void;
}

interface EmptyStateProps {
  /** What the empty list means ("Chưa có lớp nào trong năm học này."). */
  what: ReactNode;
  /** What to do next ("Nhập danh sách lớp từ tệp Excel."). */
  next?: ReactNode;
  action?: EmptyAction | null;
  /** The guide section to read more. */
  help?: HelpTopic;
  testId?: string;
  /** Inside a table (smaller picture). */
  compact?: boolean;
}

export function EmptyState({ what, next, action, help, testId, compact = false }: EmptyStateProps) {
  const { t } = useLocale();
  const button = action ? (
    action.to ? (
      <Link to={action.to} data-testid={testId ? `${testId}-action` : undefined}>
        <Button type="primary" size={compact ? 'small' : 'middle'} icon={<ArrowRightOutlined />} iconPlacement="end">
          {action.label}
        </Button>
      </Link>
    ) : (
      <Button type="primary" size={compact ? 'small' : 'middle'} onClick={action.onClick} data-testid={testId ? `${testId}-action` : undefined}>
        {action.label}
      </Button>
    )
  ) : null;
  return (
    <Empty
      data-testid={testId}
      image={compact ? Empty.PRESENTED_IMAGE_SIMPLE : undefined}
      description={
        <Flex vertical gap={2} align="center">
          <Typography.Text strong>{what}</Typography.Text>
          {next && <Typography.Text type="secondary">{next}</Typography.Text>}
        </Flex>
      }
    >
      {(button || help) && (
        <Flex gap={8} justify="center" wrap>
          {button}
          {help && (
            <Link to={guidePath(help.page, help.anchor)}>
              <Button type="link" size={compact ? 'small' : 'middle'}>
                {t('empty.readGuide')}
              </Button>
            </Link>
          )}
        </Flex>
      )}
    </Empty>
  );
}
