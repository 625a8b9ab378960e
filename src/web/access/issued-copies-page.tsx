/**
 * The principal's issued-copy log (sổ cấp bản sao): every copy issued, filtered by class,
 * student name, dates and channel, with "cần cấp lại" on copies of versions superseded
 * since, and CSV / Excel export of the same filter.
 */
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, DatePicker, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import type { IssuedCopyChannel, IssuedCopyRow } from '../../server/api-types.ts';
import { api } from '../api.ts';
import { PageTitle } from '../components/page-title.tsx';
import { formatDateTime } from '../format.ts';
import { roleLabel } from '../i18n/index.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { accessApi, type IssuedCopyQuery } from './access-api.ts';
import { EmptyState } from '../help/empty-state.tsx';

const CHANNELS: IssuedCopyChannel[] = ['download_pdf', 'download_xml', 'share_link_created', 'share_link_opened', 'print'];
const CHANNEL_COLOR: Record<IssuedCopyChannel, string> = { download_pdf: 'blue', download_xml: 'geekblue', share_link_created: 'purple', share_link_opened: 'cyan', print: 'gold' };

export function IssuedCopiesPage() {
  const { t, locale } = useLocale();
  const [classId, setClassId] = useState<string | undefined>();
  const [channel, setChannel] = useState<IssuedCopyChannel | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [needsReissue, setNeedsReissue] = useState(false);
  const [name, setName] = useState('');
  const q: IssuedCopyQuery = {
    classId,
    channel,
    needsReissue,
    from: range?.[0]?.format('YYYY-MM-DD'),
    to: range?.[1]?.format('YYYY-MM-DD'),
  };
  const key = JSON.stringify(q);
  const classes = useApiData(() => api.classes(), []);
  const data = useApiData(() => accessApi.issuedCopies(q), [key]);
  const rows = useMemo(() => {
    const needle = name.trim().toLocaleLowerCase('vi');
    return (data.data?.rows ?? []).filter((r) => !needle || r.studentName.toLocaleLowerCase('vi').includes(needle));
  }, [data.data, name]);

  const roleText = (r: IssuedCopyRow) => (r.actorRole === 'share_link' ? t('issued.role.share_link') : roleLabel(r.actorRole, locale));

  return (
    <>
      <PageTitle testId="issued-title" subtitle={t('issued.intro')}>
        {t('issued.title')}
      </PageTitle>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Select
            allowClear
            style={{ width: 160 }}
            placeholder={t('issued.anyClass')}
            value={classId}
            onChange={setClassId}
            options={(classes.data?.classes ?? []).map((c) => ({ value: c.id, label: c.name }))}
            data-testid="issued-class"
          />
          <Input.Search allowClear style={{ width: 220 }} placeholder={t('issued.col.student')} value={name} onChange={(e) => setName(e.target.value)} data-testid="issued-student" />
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)} format="DD/MM/YYYY" />
          <Select allowClear style={{ width: 190 }} placeholder={t('issued.anyChannel')} value={channel} onChange={setChannel} options={CHANNELS.map((c) => ({ value: c, label: t(`issued.channel.${c}`) }))} data-testid="issued-channel" />
          <Checkbox checked={needsReissue} onChange={(e) => setNeedsReissue(e.target.checked)} data-testid="issued-reissue-only">
            {t('issued.needsReissueOnly')}
          </Checkbox>
          <Button icon={<DownloadOutlined />} href={accessApi.issuedCopiesExportUrl(q, 'csv')} data-testid="issued-csv">
            {t('issued.exportCsv')}
          </Button>
          <Button icon={<DownloadOutlined />} href={accessApi.issuedCopiesExportUrl(q, 'xlsx')} data-testid="issued-xlsx">
            {t('issued.exportXlsx')}
          </Button>
        </Space>
      </Card>
      {data.error && <Alert type="error" showIcon title={data.error.message} />}
      {data.data?.truncated && <Alert type="info" showIcon title={t('issued.truncated')} style={{ marginBottom: 8 }} />}
      <div data-testid="issued-table">
      <Table<IssuedCopyRow>
        rowKey="id"
        size="small"
        loading={data.loading}
        dataSource={rows}
        locale={{ emptyText: <EmptyState compact testId="issued-empty" what={t('issued.empty')} next={t('empty.issued.next')} action={{ label: t('empty.corrections.action'), to: '/records' }} help={{ page: 'van-thu', anchor: 'cap-ban-sao' }} /> }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        columns={[
          { key: 'at', title: t('issued.col.at'), width: 150, render: (_, r) => formatDateTime(r.at) },
          {
            key: 'student',
            title: t('issued.col.student'),
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text>{r.studentName}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {[r.className, r.schoolYear].filter(Boolean).join(' · ')}
                </Typography.Text>
              </Space>
            ),
          },
          { key: 'version', title: t('issued.col.version'), width: 60, render: (_, r) => `v${r.version}` },
          { key: 'channel', title: t('issued.col.channel'), width: 140, render: (_, r) => <Tag color={CHANNEL_COLOR[r.channel]}>{t(`issued.channel.${r.channel}`)}</Tag> },
          {
            key: 'who',
            title: t('issued.col.who'),
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text>{r.actorLabel}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {roleText(r)}
                </Typography.Text>
              </Space>
            ),
          },
          { key: 'purpose', title: t('issued.col.purpose'), render: (_, r) => r.purpose ?? '—' },
          {
            key: 'status',
            title: t('issued.col.status'),
            width: 170,
            render: (_, r) =>
              r.needsReissue ? (
                <Tag color="red" data-testid="issued-needs-reissue">
                  {r.successorVersion ? t('issued.needsReissueTo', { version: r.successorVersion }) : t('issued.needsReissue')}
                </Tag>
              ) : (
                <Tag color="green">{t('issued.current')}</Tag>
              ),
          },
        ]}
      />
      </div>
    </>
  );
}
