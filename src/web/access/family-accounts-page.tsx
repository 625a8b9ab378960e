/**
 * Student and parent accounts of a class, for the school administrator and the class's
 * homeroom teacher: who already has one (and who has not changed the first password yet),
 * and issuing the missing ones — the answer is the password sheet to print (PDF) or merge
 * (CSV); the passwords are not kept anywhere else.
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { IdcardOutlined, TeamOutlined } from '@ant-design/icons';
import type { FamilyAccountsView } from '../../server/api-types.ts';
import { api } from '../api.ts';
import { PageTitle } from '../components/page-title.tsx';
import { useLocale } from '../i18n/locale-context.tsx';
import { useSignedInSession } from '../session/session-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { accessApi, issueFamilyAccounts } from './access-api.ts';

type Row = FamilyAccountsView['students'][number];

export function FamilyAccountsPage() {
  const { t, locale } = useLocale();
  const session = useSignedInSession();
  const { message } = App.useApp();
  const classes = useApiData(() => api.classes(), []);
  const [classId, setClassId] = useState<string | undefined>();
  const [format, setFormat] = useState<'pdf' | 'csv'>('pdf');
  const [busy, setBusy] = useState<'student' | 'parent' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const accounts = useApiData(() => (classId ? accessApi.familyAccounts(classId) : Promise.resolve(null)), [classId]);

  useEffect(() => {
    const first = classes.data?.classes[0];
    if (!classId && first) setClassId(first.id);
  }, [classes.data, classId]);

  async function issue(kind: 'student' | 'parent') {
    if (!classId) return;
    setBusy(kind);
    setError(null);
    try {
      const r = await issueFamilyAccounts(classId, kind, format, session.csrfToken, locale);
      void message.success(t('family.issued', r));
      accounts.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <PageTitle testId="family-title" subtitle={t('family.intro')}>
        {t('family.title')}
      </PageTitle>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Typography.Text>{t('family.class')}</Typography.Text>
          <Select style={{ width: 140 }} placeholder={t('family.pickClass')} value={classId} onChange={setClassId} options={(classes.data?.classes ?? []).map((c) => ({ value: c.id, label: c.name }))} data-testid="family-class" />
          <Typography.Text>{t('family.format')}</Typography.Text>
          <Select style={{ width: 90 }} value={format} onChange={setFormat} options={[{ value: 'pdf', label: 'PDF' }, { value: 'csv', label: 'CSV' }]} data-testid="family-format" />
          <Button type="primary" icon={<IdcardOutlined />} disabled={!classId} loading={busy === 'student'} onClick={() => void issue('student')} data-testid="family-issue-student">
            {t('family.issueStudents')}
          </Button>
          <Button icon={<TeamOutlined />} disabled={!classId} loading={busy === 'parent'} onClick={() => void issue('parent')} data-testid="family-issue-parent">
            {t('family.issueParents')}
          </Button>
        </Space>
      </Card>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      {accounts.error && <Alert type="error" showIcon title={accounts.error.message} />}
      <div data-testid="family-table">
      <Table<Row>
        rowKey="studentId"
        size="small"
        loading={accounts.loading}
        dataSource={accounts.data?.students ?? []}
        pagination={false}
        columns={[
          { key: 'name', title: t('family.col.student'), render: (_, r) => r.fullName },
          { key: 'code', title: t('family.col.code'), width: 130, render: (_, r) => r.studentCode ?? '—' },
          {
            key: 'accounts',
            title: t('family.col.accounts'),
            render: (_, r) =>
              r.accounts.length === 0 ? (
                <Typography.Text type="secondary">{t('family.noAccount')}</Typography.Text>
              ) : (
                <Space wrap>
                  {r.accounts.map((a) => (
                    <Tag key={a.username} color={a.disabled ? 'default' : a.kind === 'student' ? 'blue' : 'purple'}>
                      {t(`family.kind.${a.kind}`)}: {a.username}
                      {a.mustChangePassword ? ` (${t('family.mustChange')})` : ''}
                      {a.disabled ? ` (${t('family.disabled')})` : ''}
                    </Tag>
                  ))}
                </Space>
              ),
          },
        ]}
      />
      </div>
    </>
  );
}
