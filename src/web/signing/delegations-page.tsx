/**
 * Delegations of the principal's signature to a vice principal: the principal records one
 * (decision number, grades — none: all —, valid from/to) and revokes it; a vice principal
 * sees the ones they hold. The vice principals come from the certificate board.
 */
import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Flex, Form, Input, Popconfirm, Select, Table, Tag } from 'antd';
import { request } from '../api.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { signingApi, type DelegationCreate, type DelegationView } from './signing-api.ts';
import { EmptyState } from '../help/empty-state.tsx';

interface BoardRow {
  kind: 'person' | 'seal';
  userId: string | null;
  fullName: string;
  duties: string[];
}

export function DelegationsPage() {
  const { t } = useLocale();
  const { can } = useSession();
  const manage = can('delegations.manage');
  const list = useApiData(() => signingApi.delegations(), []);
  const board = useApiData(() => (manage ? request<{ rows: BoardRow[] }>('GET', '/api/certificates/board') : Promise.resolve({ rows: [] as BoardRow[] })), [manage]);
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<DelegationCreate>();

  if (list.loading && !list.data) return <PageLoader />;
  if (list.error) return <ErrorResult error={list.error} onRetry={list.reload} />;
  const vices = (board.data?.rows ?? []).filter((r) => r.kind === 'person' && r.userId && r.duties.includes('vice_principal'));

  async function create(values: DelegationCreate) {
    setSaving(true);
    setError(null);
    setOk(false);
    try {
      await signingApi.createDelegation({ ...values, grades: values.grades ?? [] });
      form.resetFields();
      setOk(true);
      list.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  }

  async function revoke(id: string) {
    setError(null);
    try {
      await signingApi.revokeDelegation(id);
      list.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <div data-testid="delegations-page">
      <PageTitle testId="delegations-heading" subtitle={t('delegations.subtitle')}>
        {t('delegations.title')}
      </PageTitle>
      {manage && (
        <Card title={t('delegations.add')} style={{ marginBottom: 16 }}>
          <Form form={form} layout="vertical" onFinish={create} data-testid="delegation-form">
            <Flex gap={12} wrap>
              <Form.Item name="delegateUserId" label={t('delegations.delegate')} rules={[{ required: true }]} style={{ minWidth: 240 }}>
                <Select data-testid="delegation-delegate" options={vices.map((v) => ({ value: v.userId!, label: v.fullName }))} loading={board.loading} />
              </Form.Item>
              <Form.Item name="decisionNumber" label={t('delegations.decision')} rules={[{ required: true, max: 100 }]}>
                <Input data-testid="delegation-decision" placeholder="12/QĐ-THPT" />
              </Form.Item>
              <Form.Item name="validFrom" label={t('delegations.from')} rules={[{ required: true }]}>
                <Input type="date" data-testid="delegation-from" />
              </Form.Item>
              <Form.Item name="validTo" label={t('delegations.to')} rules={[{ required: true }]}>
                <Input type="date" data-testid="delegation-to" />
              </Form.Item>
            </Flex>
            <Form.Item name="grades" label={t('delegations.grades')} extra={t('delegations.allGrades')}>
              <Checkbox.Group data-testid="delegation-grades" options={[10, 11, 12].map((g) => ({ value: g, label: String(g) }))} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={saving} data-testid="delegation-submit">
              {t('delegations.add')}
            </Button>
          </Form>
        </Card>
      )}
      {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={error} data-testid="delegation-error" />}
      {ok && <Alert type="success" showIcon style={{ marginBottom: 12 }} title={t('delegations.created')} data-testid="delegation-created" />}
      <Card>
        <Table<DelegationView>
          size="small"
          rowKey="id"
          data-testid="delegations-table"
          dataSource={list.data?.delegations ?? []}
          locale={{ emptyText: <EmptyState compact testId="delegations-empty" what={t('delegations.none')} next={manage ? t('empty.delegations.next') : t('empty.delegations.nextReader')} help={{ page: 'hieu-truong', anchor: 'uy-quyen-ky' }} /> }}
          pagination={false}
          columns={[
            { title: t('delegations.delegate'), render: (_, d) => d.delegateName ?? d.delegateUserId },
            { title: t('delegations.decision'), dataIndex: 'decisionNumber' },
            { title: t('delegations.grades'), render: (_, d) => (d.grades.length ? d.grades.join(', ') : t('delegations.allGrades')) },
            { title: t('delegations.from'), render: (_, d) => formatDate(d.validFrom) },
            { title: t('delegations.to'), render: (_, d) => formatDate(d.validTo) },
            {
              title: t('delegations.status'),
              render: (_, d) => (d.revokedAt ? <Tag>{t('delegations.revoked', { date: formatDateTime(d.revokedAt) })}</Tag> : <Tag color="green">{t('delegations.active')}</Tag>),
            },
            ...(manage
              ? [
                  {
                    title: '',
                    render: (_: unknown, d: DelegationView) =>
                      d.revokedAt ? null : (
                        <Popconfirm title={t('delegations.revokeConfirm')} onConfirm={() => revoke(d.id)}>
                          <Button size="small" danger data-testid={`delegation-revoke-${d.decisionNumber}`}>
                            {t('delegations.revoke')}
                          </Button>
                        </Popconfirm>
                      ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
    </div>
  );
}
