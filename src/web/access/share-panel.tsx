/**
 * Share links of one sealed version: make one (validity, optional purpose) — its URL is
 * shown once, with a copy button — and see or revoke the ones made before. Used by the
 * family ("Học bạ của em") and by staff in the record viewer.
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Flex, Form, Input, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { CopyOutlined, LinkOutlined } from '@ant-design/icons';
import type { ShareLinkView } from '../../server/api-types.ts';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { accessApi } from './access-api.ts';

const DAYS = [7, 30, 90];
const STATUS_COLOR: Record<ShareLinkView['status'], string> = { active: 'green', expired: 'default', revoked: 'red' };

export function SharePanel({ versionId }: { versionId: string }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const links = useApiData(() => accessApi.shareLinks(versionId), [versionId]);
  const [days, setDays] = useState(30);
  const [purpose, setPurpose] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [url, setUrl] = useState<string | null>(null);

  async function create() {
    setBusy(true);
    setError(null);
    try {
      const made = await accessApi.createShareLink(versionId, { expiresInDays: days, ...(purpose.trim() ? { purpose: purpose.trim() } : {}) });
      setUrl(made.url);
      setPurpose('');
      links.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(id: string) {
    try {
      await accessApi.revokeShareLink(id);
      void message.success(t('share.revoked'));
      links.reload();
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="share-panel">
      <Typography.Paragraph type="secondary">{t('share.intro')}</Typography.Paragraph>
      <Form layout="vertical" onFinish={() => void create()}>
        <Space wrap align="end">
          <Form.Item label={t('share.days')} style={{ marginBottom: 0 }}>
            <Select style={{ width: 120 }} value={days} onChange={setDays} options={DAYS.map((d) => ({ value: d, label: t('share.daysOption', { days: d }) }))} data-testid="share-days" />
          </Form.Item>
          <Form.Item label={t('share.purpose')} style={{ marginBottom: 0, minWidth: 280 }}>
            <Input value={purpose} maxLength={500} onChange={(e) => setPurpose(e.target.value)} placeholder={t('share.purposePlaceholder')} data-testid="share-purpose" />
          </Form.Item>
          <Button type="primary" htmlType="submit" icon={<LinkOutlined />} loading={busy} data-testid="share-create">
            {t('share.create')}
          </Button>
        </Space>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
      {url && (
        <Alert
          type="success"
          showIcon
          title={t('share.created')}
          description={
            <Typography.Text code copyable={false} data-testid="share-url" style={{ wordBreak: 'break-all' }}>
              {url}
            </Typography.Text>
          }
          action={
            <Button
              size="small"
              icon={<CopyOutlined />}
              onClick={() => void navigator.clipboard?.writeText(url).then(() => message.success(t('share.copied')), () => undefined)}
              data-testid="share-copy"
            >
              {t('share.copy')}
            </Button>
          }
        />
      )}
      <Card size="small" title={t('share.links')}>
        {links.data && links.data.links.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('share.noLinks')} />
        ) : (
          <Flex vertical gap={8}>
            {(links.data?.links ?? []).map((l) => (
              <Flex key={l.id} justify="space-between" align="center" gap={8} wrap data-testid={`share-link-${l.id}`} style={{ borderBottom: '1px solid #f0f0f0', paddingBottom: 8 }}>
                <Space orientation="vertical" size={0}>
                  <Space wrap>
                    <Tag color={STATUS_COLOR[l.status]} data-testid="share-status">
                      {t(`share.status.${l.status}`)}
                    </Tag>
                    <Typography.Text>{l.purpose ?? '—'}</Typography.Text>
                  </Space>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('share.expires', { date: formatDateTime(l.expiresAt) })} · {t('share.opens', { count: l.opens })} · {t('share.by', { who: l.createdBy })}
                  </Typography.Text>
                </Space>
                {l.canRevoke && (
                  <Popconfirm title={t('share.revokeConfirm')} onConfirm={() => void revoke(l.id)} okText={t('share.revoke')} cancelText={t('common.cancel')}>
                    <Button size="small" danger data-testid="share-revoke">
                      {t('share.revoke')}
                    </Button>
                  </Popconfirm>
                )}
              </Flex>
            ))}
          </Flex>
        )}
      </Card>
    </Space>
  );
}
