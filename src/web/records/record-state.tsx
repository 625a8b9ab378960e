/**
 * A record's state as a coloured tag: the code comes from the server (the latest version's
 * lifecycle state, or 'none'); the label and colour are the web's. Unknown future states
 * still show, with their code.
 */
import { Space, Tag, Typography } from 'antd';
import type { StudentRecordStateView } from '../../server/api-types.ts';
import { formatDate } from '../format.ts';
import type { MessageKey } from '../i18n/index.ts';
import { useLocale } from '../i18n/locale-context.tsx';

/** Per state: the label with the version ("Đã chốt v1"), the bare name ("Đã chốt") and the tag colour. */
const LABELS: Record<string, { key: MessageKey; name: MessageKey; color: string }> = {
  none: { key: 'records.state.none', name: 'records.stateName.none', color: 'default' },
  frozen: { key: 'records.state.frozen', name: 'records.stateName.frozen', color: 'blue' },
  subjects_signed: { key: 'records.state.subjects_signed', name: 'records.stateName.subjects_signed', color: 'cyan' },
  homeroom_signed: { key: 'records.state.homeroom_signed', name: 'records.stateName.homeroom_signed', color: 'geekblue' },
  approved: { key: 'records.state.approved', name: 'records.stateName.approved', color: 'purple' },
  sealed: { key: 'records.state.sealed', name: 'records.stateName.sealed', color: 'green' },
  synced: { key: 'records.state.synced', name: 'records.stateName.synced', color: 'success' },
  superseded: { key: 'records.state.superseded', name: 'records.stateName.superseded', color: 'orange' },
  returned: { key: 'records.state.returned', name: 'records.stateName.returned', color: 'red' },
};

/** The tag colour of a state code. */
export function recordStateColor(state: string): string {
  return LABELS[state]?.color ?? 'default';
}

/** The bare name of a state code (e.g. "Đã chốt"); an unknown code shows as itself. */
export function useRecordStateName(): (state: string) => string {
  const { t } = useLocale();
  return (state) => {
    const known = LABELS[state];
    return known ? t(known.name) : state;
  };
}

/** The label of a state code (e.g. "Đã chốt v1"). */
export function useRecordStateLabel(): (state: string, version: number | null) => string {
  const { t } = useLocale();
  return (state, version) => {
    const known = LABELS[state];
    return known ? t(known.key, { version: version ?? '' }) : t('records.state.other', { state, version: version ?? '' });
  };
}

export function RecordStateTag({ record, testId }: { record: StudentRecordStateView; testId?: string }) {
  const { t } = useLocale();
  const label = useRecordStateLabel();
  const color = recordStateColor(record.state);
  return (
    <Space size={4} data-testid={testId} data-state={record.state}>
      <Tag color={color} style={{ marginInlineEnd: 0 }}>
        {label(record.state, record.version)}
      </Tag>
      {record.frozenAt && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('records.stateDate', { date: formatDate(record.frozenAt) })}
        </Typography.Text>
      )}
    </Space>
  );
}
