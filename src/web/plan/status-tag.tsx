/** A stage status as a coloured tag ("Quá hạn", "Sắp đến hạn", …). */
import { Tag } from 'antd';
import type { StageStatus } from '../../domain/plan/plan-rules.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { STATUS_COLOR } from './plan-view.ts';

export function StatusTag({ status }: { status: StageStatus }) {
  const { t } = useLocale();
  return (
    <Tag color={STATUS_COLOR[status]} data-status={status}>
      {t(`plan.status.${status}`)}
    </Tag>
  );
}
