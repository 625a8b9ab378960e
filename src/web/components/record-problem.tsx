/** One data problem, coloured by severity: red blocks signing, orange is a warning. */
import { Typography } from 'antd';
import { ExclamationCircleFilled, WarningFilled } from '@ant-design/icons';
import type { RecordProblemView } from '../../server/api-types.ts';
import { useLocale } from '../i18n/locale-context.tsx';

export function RecordProblem({ problem, testId }: { problem: Pick<RecordProblemView, 'severity' | 'message' | 'code'>; testId?: string }) {
  const { locale } = useLocale();
  const blocking = problem.severity === 'blocking';
  return (
    <Typography.Text
      type={blocking ? 'danger' : 'warning'}
      data-testid={testId ?? 'record-problem'}
      data-severity={problem.severity}
      data-code={problem.code}
      style={{ display: 'block', fontSize: 13 }}
    >
      {blocking ? <ExclamationCircleFilled /> : <WarningFilled />} {problem.message[locale]}
    </Typography.Text>
  );
}
