/**
 * Exporting records as a ZIP: the button, a progress bar that follows the background job
 * (polling its status every second while it waits or runs), then the download link — or the
 * reason it failed. After a page reload the person's latest export of the same scope is
 * picked up again.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Popconfirm, Progress, Space, Typography } from 'antd';
import { DownloadOutlined, FileZipOutlined } from '@ant-design/icons';
import type { RecordExportView } from '../../server/api-types.ts';
import { ApiError } from '../api.ts';
import { formatDate } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { formatBytes, isActiveExport, recordsApi } from './records-api.ts';

const POLL_MS = 1000;

/** Follows an export: polls its status while it is waiting or running. */
export function useExportProgress(): { current: RecordExportView | null; follow: (e: RecordExportView | null) => void; pollError: ApiError | null } {
  const [current, follow] = useState<RecordExportView | null>(null);
  const [pollError, setPollError] = useState<ApiError | null>(null);
  useEffect(() => {
    if (!current || !isActiveExport(current)) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      recordsApi
        .exportStatus(current.id)
        .then((next) => {
          if (cancelled) return;
          setPollError(null);
          follow(next);
        })
        .catch((err: unknown) => {
          if (cancelled) return;
          setPollError(err instanceof ApiError ? err : new ApiError(0, { code: 'client', message: String(err) }));
          follow({ ...current }); // try again at the next tick
        });
    }, POLL_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [current]);
  return { current, follow, pollError };
}

/** `onFinished` is called once when an export followed here reaches done or failed (e.g. to refresh a list). */
export function ExportPanel({ scope, classId, onFinished }: { scope: 'class' | 'school'; classId?: string; onFinished?: (e: RecordExportView) => void }) {
  const { t } = useLocale();
  const { current, follow, pollError } = useExportProgress();
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);

  // Pick up the person's latest export of this scope (e.g. still running after a reload).
  useEffect(() => {
    let cancelled = false;
    recordsApi
      .exports(scope === 'class' ? classId : undefined)
      .then((list) => {
        const latest = list.exports.find((e) => e.mine && e.scope === scope && (scope === 'school' || e.classId === classId));
        if (!cancelled && latest && latest.status !== 'expired') follow(latest);
      })
      .catch(() => undefined); // the panel still works without the history
    return () => {
      cancelled = true;
    };
  }, [scope, classId, follow]);

  const finishedRef = useRef(onFinished);
  finishedRef.current = onFinished;
  const announced = useRef<string | null>(null);
  useEffect(() => {
    if (!current || isActiveExport(current) || announced.current === current.id) return;
    announced.current = current.id;
    finishedRef.current?.(current);
  }, [current]);

  const start = async () => {
    setStarting(true);
    setStartError(null);
    try {
      follow(await recordsApi.startExport(scope === 'class' ? { scope, classId: classId! } : { scope }));
    } catch (err) {
      setStartError(err instanceof Error ? err.message : String(err));
    } finally {
      setStarting(false);
    }
  };

  const busy = starting || (current !== null && isActiveExport(current));
  const label = t(scope === 'school' ? 'exports.schoolButton' : 'exports.classButton');
  const button = (
    <Button icon={<FileZipOutlined />} loading={busy} disabled={busy} data-testid="export-start" onClick={scope === 'school' ? undefined : () => void start()}>
      {label}
    </Button>
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`export-panel-${scope}`}>
      {scope === 'school' ? (
        <Popconfirm title={t('exports.confirmSchool')} onConfirm={() => void start()} disabled={busy}>
          {button}
        </Popconfirm>
      ) : (
        button
      )}
      {startError && <Alert type="error" showIcon title={t('exports.startFailed')} description={startError} data-testid="export-error" />}
      {current && <ExportProgress exp={current} />}
      {pollError && current && isActiveExport(current) && <Alert type="warning" showIcon title={t('exports.pollFailed')} description={pollError.message} />}
    </Space>
  );
}

/** One export's state: a progress bar, then the download link or the reason it failed. */
export function ExportProgress({ exp, compact = false }: { exp: RecordExportView; compact?: boolean }) {
  const { t, locale } = useLocale();
  if (exp.status === 'queued' || exp.status === 'running') {
    const percent = exp.total > 0 ? Math.floor((exp.done * 100) / exp.total) : 0;
    return (
      <div data-testid="export-progress" data-status={exp.status}>
        <Progress percent={percent} status="active" size={compact ? 'small' : 'default'} />
        <Typography.Text type="secondary">{exp.status === 'queued' ? t('exports.waiting') : t('exports.progress', { done: exp.done, total: exp.total })}</Typography.Text>
      </div>
    );
  }
  if (exp.status === 'done' && exp.downloadUrl) {
    const link = (
      <Button type="primary" icon={<DownloadOutlined />} href={exp.downloadUrl} download={exp.fileName} data-testid="export-download" size={compact ? 'small' : 'middle'}>
        {t('exports.download', { size: formatBytes(exp.sizeBytes ?? 0, locale) })}
      </Button>
    );
    if (compact) return link;
    return (
      <Alert
        type="success"
        showIcon
        data-testid="export-ready"
        title={t('exports.ready', { files: exp.fileCount })}
        description={
          <Space orientation="vertical">
            {exp.missingCount > 0 && <span>{t('exports.missing', { missing: exp.missingCount })}</span>}
            {link}
            <Typography.Text type="secondary">{t('exports.expiresAt', { date: formatDate(exp.expiresAt) })}</Typography.Text>
          </Space>
        }
      />
    );
  }
  if (exp.status === 'failed') {
    return compact ? (
      <Typography.Text type="danger" data-testid="export-error">
        {t('exports.failed')}
      </Typography.Text>
    ) : (
      <Alert type="error" showIcon data-testid="export-error" title={t('exports.failed')} description={exp.error ?? undefined} />
    );
  }
  return <Typography.Text type="secondary">{t('exports.status.expired')}</Typography.Text>;
}
