/**
 * Sao lưu: the IT officer's view of the scheduled backups (`backup.read`) — last success,
 * size, next run, the last failure, retention and the latest files. Read-only: backups are
 * made by the server's daily job or `hocba backup`, restored with `hocba restore`.
 */
import { Alert, Card, Descriptions, Table } from 'antd';
import type { BackupStatusView } from '../../server/api-types.ts';
import { request } from '../api.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';

/** Bytes as "12,3 MB" in the UI language. */
function size(bytes: number | null, locale: string): string {
  if (bytes === null) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: i ? 1 : 0 }).format(v)} ${units[i]}`;
}

export function BackupPage() {
  const { t, locale } = useLocale();
  const data = useApiData(() => request<BackupStatusView>('GET', '/api/backup/status'), []);
  if (data.loading && !data.data) return <PageLoader />;
  if (data.error || !data.data) return <ErrorResult error={data.error} onRetry={data.reload} />;
  const v = data.data;
  const title = (
    <PageTitle testId="backup-heading" subtitle={t('backup.subtitle')}>
      {t('backup.title')}
    </PageTitle>
  );
  if (!v.configured) {
    return (
      <>
        {title}
        <Alert type="warning" showIcon title={t('backup.notConfigured')} description={t('backup.notConfiguredHint', { problem: v.problem ?? '' })} data-testid="backup-not-configured" />
      </>
    );
  }
  const s = v.status!;
  const failing = s.lastError !== null;
  return (
    <>
      {title}
      <Alert
        style={{ marginBottom: 16 }}
        type={failing ? 'error' : s.lastSuccessAt ? 'success' : 'info'}
        showIcon
        data-testid="backup-state"
        title={failing ? t('backup.failing', { count: String(s.consecutiveFailures) }) : s.lastSuccessAt ? t('backup.lastOk') : t('backup.never')}
        description={failing ? `${formatDateTime(s.lastErrorAt)} — ${s.lastError}` : undefined}
      />
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('backup.lastSuccess')}>{formatDateTime(s.lastSuccessAt) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('backup.lastSize')}>{size(s.lastBytes, locale) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('backup.lastDuration')}>{s.lastDurationMs !== null ? `${(s.lastDurationMs / 1000).toFixed(1)} s` : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('backup.nextRun')}>{formatDateTime(v.nextRunAt)}</Descriptions.Item>
          <Descriptions.Item label={t('backup.dir')}>{v.dir}</Descriptions.Item>
          <Descriptions.Item label={t('backup.key')}>{t(v.keyKind === 'key-file' ? 'backup.key.key-file' : 'backup.key.passphrase')}</Descriptions.Item>
          <Descriptions.Item label={t('backup.retention')}>{t('backup.retentionValue', { daily: String(v.retention!.daily), weekly: String(v.retention!.weekly) })}</Descriptions.Item>
        </Descriptions>
        <Alert style={{ marginTop: 12 }} type="info" showIcon title={t('backup.keyWarning')} />
      </Card>
      <Card title={t('backup.files', { total: size(v.totalBytes, locale) })}>
        <Table
          size="small"
          rowKey="name"
          pagination={false}
          dataSource={v.backups}
          data-testid="backup-files"
          columns={[
            { title: t('backup.at'), dataIndex: 'at', render: (at: string) => formatDateTime(at) },
            { title: t('backup.file'), dataIndex: 'name' },
            { title: t('backup.size'), dataIndex: 'bytes', align: 'right', render: (b: number) => size(b, locale) },
          ]}
        />
      </Card>
    </>
  );
}
