/**
 * "Học bạ" (`/records`), for the leadership and whole-school readers: each class of the
 * current year with how many records are frozen, the whole-school export, an export per
 * class, and the recent exports with their progress and download links.
 */
import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Progress, Space, Table, Tag, Typography } from 'antd';
import { FileZipOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { RecordClassesOverview, RecordExportView } from '../../server/api-types.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { ExportPanel, ExportProgress } from './export-panel.tsx';
import { isActiveExport, recordsApi } from './records-api.ts';
import { EmptyState } from '../help/empty-state.tsx';

type ClassRow = RecordClassesOverview['classes'][number];

export function RecordsPage() {
  const { t } = useLocale();
  const session = useSignedInSession();
  const overview = useApiData(() => recordsApi.classesOverview(), [session.activeSchoolId]);
  const recent = useApiData(() => recordsApi.exports(), [session.activeSchoolId]);
  const refreshRecent = recent.reload;

  // Follow the exports still running (started here or by the class buttons below).
  const active = (recent.data?.exports ?? []).some(isActiveExport);
  useEffect(() => {
    if (!active) return;
    const timer = setTimeout(refreshRecent, 1500);
    return () => clearTimeout(timer);
  }, [active, recent.data, refreshRecent]);

  if (overview.error) return <ErrorResult error={overview.error} onRetry={overview.reload} />;
  const data = overview.data;
  return (
    <>
      <PageTitle testId="records-heading" subtitle={t('records.subtitle')}>
        {data?.schoolYear ? t('records.title', { year: data.schoolYear }) : t('records.titleNoYear')}
      </PageTitle>
      {data?.canExportSchool && (
        <Card size="small" title={t('exports.schoolTitle')} style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">{t('exports.schoolHint')}</Typography.Paragraph>
          <ExportPanel scope="school" onFinished={refreshRecent} />
        </Card>
      )}
      <Card size="small" title={t('records.classes')} style={{ marginBottom: 16 }}>
        <Table<ClassRow>
          data-testid="records-classes-table"
          rowKey="id"
          size="small"
          loading={overview.loading}
          dataSource={data?.classes ?? []}
          locale={{ emptyText: <EmptyState compact testId="records-classes-empty" what={t('records.noClasses')} next={t('empty.classes.next')} help={{ page: 'can-bo-cntt', anchor: 'lop-hoc' }} /> }}
          pagination={{ pageSize: 60, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('records.className'), dataIndex: 'name', key: 'name', render: (name: string, row) => <Link to={`/classes/${encodeURIComponent(row.id)}`}>{name}</Link> },
            { title: t('records.grade'), dataIndex: 'grade', key: 'grade' },
            { title: t('records.students'), dataIndex: 'students', key: 'students', align: 'right' },
            {
              title: t('records.frozen'),
              key: 'frozen',
              width: 220,
              render: (_v, row) => (
                <Space size={8} style={{ width: '100%' }} data-testid={`records-count-${row.name}`}>
                  <Progress percent={row.students ? Math.floor((row.withRecord * 100) / row.students) : 0} size="small" showInfo={false} style={{ width: 90, margin: 0 }} />
                  <span>{t('records.classCount', { withRecord: row.withRecord, students: row.students })}</span>
                </Space>
              ),
            },
            {
              title: '',
              key: 'export',
              render: (_v, row) => (row.canExport ? <ClassExportButton row={row} onStarted={refreshRecent} /> : null),
            },
          ]}
        />
      </Card>
      <RecentExports exports={recent.data?.exports ?? []} loading={recent.loading && !recent.data} />
    </>
  );
}

function ClassExportButton({ row, onStarted }: { row: ClassRow; onStarted: () => void }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const start = useCallback(async () => {
    setBusy(true);
    try {
      await recordsApi.startExport({ scope: 'class', classId: row.id });
      onStarted();
    } catch (err) {
      message.error(`${t('exports.startFailed')}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  }, [row.id, onStarted, message, t]);
  return (
    <Button size="small" icon={<FileZipOutlined />} loading={busy} onClick={() => void start()} data-testid={`records-export-${row.name}`}>
      {t('exports.classShort')}
    </Button>
  );
}

const STATUS_COLOR: Record<RecordExportView['status'], string> = { queued: 'default', running: 'processing', done: 'success', failed: 'error', expired: 'default' };

function RecentExports({ exports, loading }: { exports: RecordExportView[]; loading: boolean }) {
  const { t } = useLocale();
  return (
    <Card size="small" title={t('exports.recent')}>
      <Table<RecordExportView>
        data-testid="recent-exports-table"
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={exports}
        locale={{ emptyText: <EmptyState compact testId="exports-empty" what={t('exports.empty')} next={t('empty.exports.next', { button: t('exports.classButton') })} /> }}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('exports.createdAt'), dataIndex: 'createdAt', key: 'createdAt', render: (at: string) => formatDateTime(at) },
          { title: t('exports.scope'), key: 'scope', render: (_v, e) => (e.scope === 'school' ? t('exports.scope.school') : t('exports.scope.class', { name: e.className ?? '' })) },
          { title: t('exports.requestedBy'), dataIndex: 'requestedBy', key: 'requestedBy' },
          { title: t('exports.status'), key: 'status', render: (_v, e) => <Tag color={STATUS_COLOR[e.status]}>{t(`exports.status.${e.status}`)}</Tag> },
          { title: t('exports.file'), key: 'file', width: 260, render: (_v, e) => <ExportProgress exp={e} compact /> },
        ]}
      />
    </Card>
  );
}
