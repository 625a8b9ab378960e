/** Status tags of sync runs and per-record results. */
import { Tag } from 'antd';
import type { SyncItemView, SyncRunView } from '../../server/api-types.ts';
import { useLocale } from '../i18n/locale-context.tsx';

const ITEM_COLORS: Record<SyncItemView['status'], string> = { queued: 'default', sending: 'processing', pending: 'gold', accepted: 'green', rejected: 'red', invalid: 'volcano' };
const RUN_COLORS: Record<SyncRunView['status'], string> = { queued: 'default', running: 'processing', done: 'green', failed: 'red' };

export function ItemStatusTag({ item }: { item: Pick<SyncItemView, 'status' | 'duplicate'> }) {
  const { t } = useLocale();
  return (
    <Tag color={ITEM_COLORS[item.status]}>
      {t(`sync.status.${item.status}`)}
      {item.duplicate ? ` (${t('sync.duplicate')})` : ''}
    </Tag>
  );
}

export function RunStatusTag({ run }: { run: Pick<SyncRunView, 'status'> }) {
  const { t } = useLocale();
  return <Tag color={RUN_COLORS[run.status]}>{t(`sync.run.${run.status}`)}</Tag>;
}
