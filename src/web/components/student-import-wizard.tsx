/**
 * "Nhập danh sách" (`students.edit`): upload an XLSX/CSV → preview (format, encoding,
 * legacy font, column mapping, every row and problem) → import all rows, or only the
 * valid ones after a confirmation → the result. Nothing is written before the commit.
 */
import { useState } from 'react';
import { Alert, App, Button, Flex, Modal, Result, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import type { ImportPreview, ImportResult, StudentFieldName } from '../../server/api-types.ts';
import { api, isApiError, type ApiError } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { ImportFileInfo } from './import-file-info.tsx';
import { ImportMappingForm } from './import-mapping-form.tsx';
import { ImportRowsTable } from './import-rows-table.tsx';

interface StudentImportWizardProps {
  classId: string;
  className: string;
  onImported: () => void;
}

export function StudentImportWizard({ classId, className, onImported }: StudentImportWizardProps) {
  const { t } = useLocale();
  const { modal } = App.useApp();
  const [open, setOpen] = useState(false);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const reset = () => {
    setPreview(null);
    setResult(null);
    setError(null);
  };
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(isApiError(caught) ? caught : null);
      if (!isApiError(caught)) throw caught;
    } finally {
      setBusy(false);
    }
  };
  const upload = (file: File) => run(async () => setPreview(await api.startStudentImport(classId, file)));
  const remap = (field: StudentFieldName, column: number | null) =>
    preview && run(async () => setPreview(await api.updateImportMapping(preview.id, { ...preview.mapping, [field]: column })));
  const commit = (mode: 'all' | 'valid_only') =>
    preview &&
    run(async () => {
      setResult(await api.commitImport(preview.id, mode));
      onImported();
    });
  const confirmValidOnly = () => {
    if (!preview) return;
    modal.confirm({
      title: t('import.confirmValidTitle'),
      content: <span data-testid="import-confirm-text">{t('import.confirmValid', { skip: preview.summary.errors, valid: preview.summary.valid })}</span>,
      okText: t('import.importValid'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'import-confirm-ok' },
      onOk: () => commit('valid_only'),
    });
  };

  const s = preview?.summary;
  return (
    <>
      <Button icon={<UploadOutlined />} onClick={() => setOpen(true)} data-testid="import-open">
        {t('import.button')}
      </Button>
      <Modal
        open={open}
        title={t('import.title', { name: className })}
        onCancel={() => {
          setOpen(false);
          reset();
        }}
        footer={null}
        width={1200}
        destroyOnHidden
        data-testid="import-wizard"
      >
        <Flex vertical gap={12}>
          {error && (
            <Alert type="error" showIcon closable onClose={() => setError(null)} data-testid="import-error" title={error.message} description={error.details?.map((d) => `${d.path}: ${d.message}`).join(' · ')} />
          )}
          {!preview && (
            <Upload.Dragger
              accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              showUploadList={false}
              disabled={busy}
              beforeUpload={(file) => {
                void upload(file);
                return false;
              }}
              data-testid="import-upload"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p>{busy ? t('import.reading') : t('import.choose')}</p>
              <Typography.Text type="secondary">{t('import.uploadHint')}</Typography.Text>
            </Upload.Dragger>
          )}
          {preview && result && (
            <Result
              status="success"
              data-testid="import-result"
              title={t('import.done', { created: result.created, updated: result.updated, skipped: result.skipped })}
              extra={
                <Button onClick={reset} data-testid="import-again">
                  {t('import.again')}
                </Button>
              }
            />
          )}
          {preview && !result && s && (
            <>
              <ImportFileInfo preview={preview} />
              <ImportMappingForm preview={preview} busy={busy} onChange={(f, c) => void remap(f, c)} />
              <Alert
                type={s.errors ? 'warning' : 'success'}
                showIcon
                data-testid="import-summary"
                title={t('import.summary', { rows: s.rows, create: s.create, update: s.update, unchanged: s.unchanged, errors: s.errors })}
                description={s.errors ? t('import.allDisabled') : undefined}
              />
              <ImportRowsTable preview={preview} />
              <Flex gap={8} wrap justify="flex-end">
                <Button icon={<DownloadOutlined />} href={api.importErrorsUrl(preview.id)} data-testid="import-errors-report">
                  {t('import.errorsReport')}
                </Button>
                <Button onClick={reset} disabled={busy}>
                  {t('import.again')}
                </Button>
                <Button disabled={busy || s.valid === 0 || s.errors === 0} onClick={confirmValidOnly} data-testid="import-valid-only">
                  {t('import.importValid')}
                </Button>
                <Button type="primary" disabled={busy || s.errors > 0} loading={busy} onClick={() => void commit('all')} data-testid="import-all">
                  {t('import.importAll')}
                </Button>
              </Flex>
            </>
          )}
        </Flex>
      </Modal>
    </>
  );
}
