/**
 * "Nhập từ Excel": uploads an .xlsx to the sheet. The server imports all rows or none;
 * when it refuses, every problem is listed (row, column, message) so the file can be fixed.
 */
import { useState } from 'react';
import { App, Button, Modal, Table, Upload } from 'antd';
import { ImportOutlined } from '@ant-design/icons';
import type { GradeSheetRow } from '../../server/api-types.ts';
import { api, isApiError, type ApiError } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';

interface ImportSheetButtonProps {
  sheetId: string;
  disabled: boolean;
  /** Called first: saves waiting cells; false when they could not all be saved. */
  beforeImport: () => Promise<boolean>;
  onImported: (rows: GradeSheetRow[]) => void;
}

export function ImportSheetButton({ sheetId, disabled, beforeImport, onImported }: ImportSheetButtonProps) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<ApiError | null>(null);

  const upload = async (file: File) => {
    setBusy(true);
    try {
      if (!(await beforeImport())) {
        void message.warning(t('grades.importWait'));
        return;
      }
      const result = await api.importSheet(sheetId, file);
      onImported(result.rows);
      void message.success(t('grades.imported', { count: result.rows.length }));
    } catch (error) {
      if (isApiError(error) && error.details && error.details.length > 0) setRefused(error);
      else void message.error(isApiError(error) ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Upload
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        showUploadList={false}
        disabled={disabled}
        beforeUpload={(file) => {
          void upload(file);
          return false;
        }}
      >
        <Button icon={<ImportOutlined />} loading={busy} disabled={disabled} data-testid="import-sheet">
          {t('grades.import')}
        </Button>
      </Upload>
      <Modal
        open={refused !== null}
        title={t('grades.importErrorsTitle')}
        onCancel={() => setRefused(null)}
        footer={<Button onClick={() => setRefused(null)}>{t('common.close')}</Button>}
        width={720}
      >
        <p data-testid="import-errors">{refused?.message}</p>
        <Table
          size="small"
          rowKey={(_d, i) => String(i)}
          dataSource={refused?.details ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('grades.importErrorPlace'), dataIndex: 'path', key: 'path', width: 160 },
            { title: t('grades.importErrorMessage'), dataIndex: 'message', key: 'message' },
          ]}
        />
      </Modal>
    </>
  );
}
