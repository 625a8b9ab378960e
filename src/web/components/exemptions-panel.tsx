/** Miễn học of a class: the list, and for leadership (`exemptions.manage`) add and remove. */
import { useState } from 'react';
import { Alert, App, Button, Flex, Popconfirm, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { HomeroomView } from '../../server/api-types.ts';
import { api, isApiError } from '../api.ts';
import type { Exemption } from '../api-models.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { ExemptionFormModal } from './exemption-form-modal.tsx';

interface ExemptionsPanelProps {
  view: HomeroomView;
  /** Exemptions change what is missing in the grade book: the homeroom view reloads. */
  onChanged: () => void;
}

export function ExemptionsPanel({ view, onChanged }: ExemptionsPanelProps) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const { can } = useSession();
  const manage = can('exemptions.manage');
  const list = useApiData(() => api.exemptions(view.class.id), [view.class.id]);
  const [adding, setAdding] = useState(false);

  const changed = () => {
    list.reload();
    onChanged();
  };
  const remove = async (e: Exemption) => {
    try {
      await api.deleteExemption(e.id);
      void message.success(t('exemptions.removed'));
      changed();
    } catch (error) {
      // e.g. 423 when the grade sheet is locked: the server says why.
      void message.error({ content: isApiError(error) ? error.message : String(error), duration: 6 });
    }
  };

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text type="secondary">{t('exemptions.hint')}</Typography.Text>
        {manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="exemption-add">
            {t('exemptions.add')}
          </Button>
        )}
      </Flex>
      {list.error && <Alert type="error" showIcon title={list.error.message} />}
      <Table<Exemption>
        data-testid="exemptions-table"
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.exemptions ?? []}
        pagination={false}
        locale={{ emptyText: t('exemptions.empty') }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('exemptions.student'), dataIndex: 'studentName', key: 'student' },
          { title: t('exemptions.subject'), dataIndex: 'subjectName', key: 'subject' },
          { title: t('exemptions.kind'), dataIndex: 'kind', key: 'kind', render: (kind: Exemption['kind']) => <Tag>{t(`exemptions.kind.${kind}`)}</Tag> },
          {
            title: t('exemptions.semesters'),
            dataIndex: 'semesters',
            key: 'semesters',
            render: (semesters: number[]) => semesters.map((s) => t(s === 1 ? 'semester.1' : 'semester.2')).join(', '),
          },
          { title: t('exemptions.reason'), dataIndex: 'reason', key: 'reason' },
          { title: t('exemptions.decidedBy'), dataIndex: 'decidedBy', key: 'decidedBy', render: (v: string | null) => v ?? t('common.none') },
          ...(manage
            ? [
                {
                  title: '',
                  key: 'remove',
                  render: (_v: unknown, e: Exemption) => (
                    <Popconfirm
                      title={t('exemptions.removeConfirm', { subject: e.subjectName, name: e.studentName })}
                      okText={t('exemptions.remove')}
                      cancelText={t('common.cancel')}
                      onConfirm={() => remove(e)}
                    >
                      <Button danger size="small" icon={<DeleteOutlined />} aria-label={t('exemptions.remove')} data-testid={`exemption-remove-${e.id}`} />
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      {manage && <ExemptionFormModal open={adding} view={view} onClose={() => setAdding(false)} onSaved={changed} />}
    </Flex>
  );
}
