/** A page heading with optional actions on the right (they wrap below on phones). */
import type { ReactNode } from 'react';
import { Flex, Typography } from 'antd';

interface PageTitleProps {
  children: ReactNode;
  extra?: ReactNode;
  testId?: string;
  subtitle?: ReactNode;
}

export function PageTitle({ children, extra, testId, subtitle }: PageTitleProps) {
  return (
    <Flex justify="space-between" align="flex-start" gap={12} wrap style={{ marginBottom: 16 }}>
      <div style={{ minWidth: 0 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid={testId}>
          {children}
        </Typography.Title>
        {subtitle && <Typography.Text type="secondary">{subtitle}</Typography.Text>}
      </div>
      {extra}
    </Flex>
  );
}
