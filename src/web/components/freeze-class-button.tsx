/**
 * The homeroom teacher freezes the class's records for the year; the report lists who was
 * frozen, who already was, and who could not be, with the reasons (in the person's language).
 */
import { useState } from 'react';
import { App, Button, List, Modal, Popconfirm, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { api, ApiError } from '../api.ts';
import type { FreezeReport } from '../api-models.ts';
import { useLocale } from '../i18n/locale-context.tsx';

export function FreezeClassButton({ classId }: { classId: string }) {
  const { t, locale } = useLocale();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<FreezeReport | null>(null);

  const freeze = async () => {
    setBusy(true);
    try {
      setReport(await api.freezeClass(classId));
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Popconfirm title={t('freeze.confirm')} onConfirm={freeze}>
        <Button icon={<LockOutlined />} loading={busy} data-testid="freeze-class">
          {t('freeze.button')}
        </Button>
      </Popconfirm>
      <Modal open={report !== null} title={t('freeze.title')} onCancel={() => setReport(null)} footer={null} width={720}>
        {report && (
          <>
            <Typography.Title level={5}>{t('freeze.frozen', { count: report.frozen.length })}</Typography.Title>
            <Typography.Paragraph data-testid="freeze-frozen">{report.frozen.map((r) => r.fullName).join(', ') || '—'}</Typography.Paragraph>
            <Typography.Title level={5}>{t('freeze.already', { count: report.alreadyFrozen.length })}</Typography.Title>
            <Typography.Paragraph>{report.alreadyFrozen.map((r) => `${r.fullName} (v${r.version})`).join(', ') || '—'}</Typography.Paragraph>
            <Typography.Title level={5}>{t('freeze.blocked', { count: report.blocked.length })}</Typography.Title>
            <List
              size="small"
              data-testid="freeze-blocked"
              dataSource={report.blocked}
              renderItem={(b) => (
                <List.Item>
                  <List.Item.Meta title={b.fullName} description={b.reasons.map((r) => r[locale]).join(' ')} />
                </List.Item>
              )}
            />
          </>
        )}
      </Modal>
    </>
  );
}
