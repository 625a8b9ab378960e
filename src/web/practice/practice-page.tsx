/**
 * Luyện tập: the practice school of the school (issue 13.3, docs/practice.md) — what it is,
 * one's roles there, entering it and coming back; the IT officer and the principal create or
 * reset it. Creating takes a while (a school, a year of marks, test certificates): the button
 * says so and stays busy until it is done.
 */
import { Alert, App, Button, Card, Descriptions, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ROLE_LABELS } from '../../domain/policies/roles.ts';
import type { PracticeCreatedView, PracticeStateView } from '../../server/api-types.ts';
import { ApiError, request } from '../api.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSession, useSignedInSession } from '../session/session-context.tsx';
import { useSwitchSchool } from '../session/use-switch-school.ts';
import { activePracticeOf } from '../session/session-view.ts';
import { useApiData } from '../use-api-data.ts';

export function PracticePage() {
  const { t, locale } = useLocale();
  const { message } = App.useApp();
  const session = useSignedInSession();
  const { can } = useSession();
  const switching = useSwitchSchool();
  const data = useApiData(() => request<PracticeStateView>('GET', '/api/practice'), [session.activeSchoolId]);
  const [busy, setBusy] = useState<'create' | 'reset' | null>(null);
  if (data.loading && !data.data) return <PageLoader />;
  if (data.error || !data.data) return <ErrorResult error={data.error} onRetry={data.reload} />;
  const v = data.data;
  const num = (n: number) => n.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB');
  const inPractice = activePracticeOf(session) !== null;
  const manage = can('practice.manage') && !inPractice;

  const make = async (reset: boolean) => {
    setBusy(reset ? 'reset' : 'create');
    try {
      const p = await request<PracticeCreatedView>('POST', '/api/practice', { reset });
      message.success(t('practice.created', { name: p.name, classes: num(p.classes), students: num(p.students), certificates: num(p.certificatesIssued) }));
      data.reload();
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <PageTitle testId="practice-heading" subtitle={t('practice.subtitle')}>
        {t('practice.title')}
      </PageTitle>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Alert type="info" showIcon title={t('practice.what')} />
        {busy !== null ? <Alert type="warning" showIcon title={t('practice.creating')} data-testid="practice-creating" /> : null}
        {v.practice ? (
          <Card
            data-testid="practice-card"
            title={v.practice.name}
            extra={
              <Space wrap>
                {inPractice ? (
                  <Button type="primary" loading={switching.busy} onClick={() => void switching.switchTo(v.realSchoolId)} data-testid="practice-leave">
                    {t('practice.leave')}
                  </Button>
                ) : (
                  <Button type="primary" loading={switching.busy} disabled={v.practice.myRoles.length === 0} onClick={() => void switching.switchTo(v.practice!.schoolId)} data-testid="practice-enter">
                    {t('practice.enter')}
                  </Button>
                )}
                {manage && (
                  <Popconfirm title={t('practice.resetConfirm')} onConfirm={() => void make(true)} okText={t('practice.reset')}>
                    <Button danger loading={busy === 'reset'} disabled={busy !== null} data-testid="practice-reset">
                      {t('practice.reset')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            }
          >
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('practice.size')}>{t('practice.sizeValue', { classes: num(v.practice.classes), students: num(v.practice.students) })}</Descriptions.Item>
              <Descriptions.Item label={t('practice.createdAt')}>{formatDateTime(v.practice.createdAt)}</Descriptions.Item>
              <Descriptions.Item label={t('practice.myRoles')}>
                <span data-testid="practice-roles">
                  {v.practice.myRoles.map((r) => (
                    <Tag key={r}>{ROLE_LABELS[r][locale]}</Tag>
                  ))}
                </span>
              </Descriptions.Item>
            </Descriptions>
          </Card>
        ) : (
          <Card data-testid="practice-empty">
            <Space direction="vertical">
              <Typography.Text strong>{t('practice.none')}</Typography.Text>
              {manage ? (
                <Button type="primary" loading={busy === 'create'} onClick={() => void make(false)} data-testid="practice-create">
                  {t('practice.create')}
                </Button>
              ) : (
                <Typography.Text type="secondary">{t('practice.noneAsk')}</Typography.Text>
              )}
            </Space>
          </Card>
        )}
        <Card title={t('practice.steps')} size="small">
          <ol style={{ margin: 0, paddingInlineStart: 20 }}>
            <li>{t('practice.step1')}</li>
            <li>{t('practice.step2')}</li>
            <li>{t('practice.step3')}</li>
          </ol>
        </Card>
      </Space>
    </>
  );
}
