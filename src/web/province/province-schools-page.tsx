/**
 * "Trường trong tỉnh" (province officer): the schools of the province with their
 * administrators; forms to create a school (commune from the loaded administrative units)
 * and a school's first administrator, whose one-time password is shown once; disabling an
 * administrator. Server validation errors land on the field they name.
 */
import { Alert, App, Button, Card, Col, Flex, Form, Input, Modal, Popconfirm, Row, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import { useState } from 'react';
import type { FormInstance } from 'antd';
import type { ProvinceAdminCreated, ProvinceSchoolList } from '../../server/api-types.ts';
import { isApiError } from '../api.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { provinceApi } from './province-api.ts';

type School = ProvinceSchoolList['schools'][number];
interface SchoolValues { code: string; name: string; commune: string; yearName: string; startsOn: string; endsOn: string }
interface AdminValues { username: string; displayName: string; email?: string }

/** Puts the server's per-field errors on the form's fields (API path → form field); true when any landed. */
function showFieldErrors<T>(form: FormInstance<T>, error: unknown, fieldOf: (path: string) => string | null): boolean {
  if (!isApiError(error, 'validation') || !error.details?.length) return false;
  const fields = error.details.flatMap((d) => {
    const name = fieldOf(d.path);
    return name ? [{ name: name as never, errors: [d.message] }] : [];
  });
  form.setFields(fields);
  return fields.length > 0;
}

const SCHOOL_FIELD: Record<string, string> = { code: 'code', name: 'name', commune: 'commune', 'schoolYear.name': 'yearName', 'schoolYear.startsOn': 'startsOn', 'schoolYear.endsOn': 'endsOn' };

function currentYear(): Pick<SchoolValues, 'yearName' | 'startsOn' | 'endsOn'> {
  const now = new Date();
  const start = now.getMonth() >= 7 ? now.getFullYear() : now.getFullYear() - 1;
  return { yearName: `${start}-${start + 1}`, startsOn: `${start}-09-05`, endsOn: `${start + 1}-05-31` };
}

export function ProvinceSchoolsPage() {
  const { t } = useLocale();
  const { message } = App.useApp();
  const data = useApiData(() => provinceApi.schools(), []);
  const communes = useApiData(() => provinceApi.communes(), []);
  const [schoolForm] = Form.useForm<SchoolValues>();
  const [adminForm] = Form.useForm<AdminValues>();
  const [creating, setCreating] = useState(false);
  const [adminFor, setAdminFor] = useState<School | null>(null);
  const [created, setCreated] = useState<ProvinceAdminCreated | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  if (data.loading && !data.data) return <PageLoader />;
  if (data.error || !data.data) return <ErrorResult error={data.error} onRetry={data.reload} />;
  const list = data.data;
  const communeList = communes.data?.communes ?? [];
  const required = [{ required: true, message: t('province.required') }];

  const createSchool = async (v: SchoolValues) => {
    setCreating(true);
    setFormError(null);
    try {
      await provinceApi.createSchool({ code: v.code, name: v.name, commune: v.commune, schoolYear: { name: v.yearName, startsOn: v.startsOn, endsOn: v.endsOn } });
      message.success(t('province.schools.created', { name: v.name }));
      schoolForm.resetFields();
      schoolForm.setFieldsValue(currentYear());
      data.reload();
    } catch (e) {
      if (!showFieldErrors(schoolForm, e, (p) => SCHOOL_FIELD[p] ?? null)) setFormError(e instanceof Error ? e.message : String(e));
    } finally {
      setCreating(false);
    }
  };

  const createAdmin = async (v: AdminValues) => {
    if (!adminFor) return;
    try {
      const out = await provinceApi.createAdmin(adminFor.id, { username: v.username, displayName: v.displayName, ...(v.email ? { email: v.email } : {}) });
      setAdminFor(null);
      adminForm.resetFields();
      setCreated(out);
      data.reload();
    } catch (e) {
      if (!showFieldErrors(adminForm, e, (p) => (['username', 'displayName', 'email'].includes(p) ? p : null))) adminForm.setFields([{ name: 'username', errors: [e instanceof Error ? e.message : String(e)] }]);
    }
  };

  const toggle = async (userId: string, disabled: boolean) => {
    try {
      await provinceApi.setAdminDisabled(userId, disabled);
      data.reload();
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <>
      <PageTitle testId="province-schools-heading">{t('province.schools.title', { province: list.province.name })}</PageTitle>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Table<School>
            data-testid="province-schools-table"
            rowKey="id"
            size="middle"
            pagination={false}
            dataSource={list.schools}
            columns={[
              { title: t('province.schools.code'), dataIndex: 'code', width: 130 },
              { title: t('province.schools.name'), key: 'name', render: (_, s) => <Flex vertical><span>{s.name}</span><Typography.Text type="secondary" style={{ fontSize: 12 }}>{s.commune ?? ''}</Typography.Text></Flex> },
              {
                title: t('province.schools.admins'),
                key: 'admins',
                render: (_, s) => (
                  <Flex vertical gap={4}>
                    {s.admins.length === 0 && <Typography.Text type="warning">{t('province.schools.noAdmin')}</Typography.Text>}
                    {s.admins.map((a) => (
                      <Flex key={a.userId} gap={6} align="center" wrap data-testid="province-admin">
                        <span>{a.displayName} ({a.username})</span>
                        {a.disabled && <Tag color="red">{t('province.schools.disabled')}</Tag>}
                        {!a.disabled && a.mustChangePassword && <Tag color="gold">{t('province.schools.mustChange')}</Tag>}
                        {a.disabled ? (
                          <Button size="small" type="link" onClick={() => void toggle(a.userId, false)}>{t('province.schools.enable')}</Button>
                        ) : (
                          <Popconfirm title={t('province.schools.confirmDisable', { username: a.username })} onConfirm={() => void toggle(a.userId, true)}>
                            <Button size="small" type="link" danger data-testid="province-admin-disable">{t('province.schools.disable')}</Button>
                          </Popconfirm>
                        )}
                      </Flex>
                    ))}
                  </Flex>
                ),
              },
              {
                title: '',
                key: 'act',
                width: 170,
                render: (_, s) => (
                  <Button icon={<UserAddOutlined />} size="small" onClick={() => setAdminFor(s)} data-testid="province-create-admin">
                    {t('province.schools.createAdmin')}
                  </Button>
                ),
              },
            ]}
          />
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t('province.schools.create')} size="small">
            {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
            <Form<SchoolValues> form={schoolForm} layout="vertical" initialValues={currentYear()} onFinish={(v) => void createSchool(v)} data-testid="province-school-form">
              <Form.Item name="code" label={t('province.schools.code')} rules={required}>
                <Input placeholder="THPT-HAULOC4" maxLength={20} />
              </Form.Item>
              <Form.Item name="name" label={t('province.schools.name')} rules={required}>
                <Input placeholder="Trường THPT Hậu Lộc 4" maxLength={200} />
              </Form.Item>
              <Form.Item name="commune" label={t('province.schools.commune')} rules={required} extra={communeList.length ? undefined : t('province.schools.communeFree')}>
                {communeList.length ? <Select showSearch options={communeList.map((c) => ({ value: c, label: c }))} data-testid="province-commune" /> : <Input maxLength={100} />}
              </Form.Item>
              <Form.Item name="yearName" label={t('province.schools.year')} rules={required}>
                <Input placeholder="2026-2027" style={{ maxWidth: 160 }} />
              </Form.Item>
              <Row gutter={8}>
                <Col span={12}>
                  <Form.Item name="startsOn" label={t('province.schools.startsOn')} rules={required}>
                    <Input type="date" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="endsOn" label={t('province.schools.endsOn')} rules={required}>
                    <Input type="date" />
                  </Form.Item>
                </Col>
              </Row>
              <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={creating} data-testid="province-school-submit">
                {t('province.schools.create')}
              </Button>
            </Form>
          </Card>
        </Col>
      </Row>
      <Modal open={!!adminFor} title={adminFor ? t('province.schools.adminFor', { school: adminFor.name }) : ''} onCancel={() => setAdminFor(null)} onOk={() => adminForm.submit()} okText={t('province.schools.createAdmin')} destroyOnHidden forceRender>
        <Form<AdminValues> form={adminForm} layout="vertical" onFinish={(v) => void createAdmin(v)} data-testid="province-admin-form">
          <Form.Item name="username" label={t('province.schools.username')} rules={required}>
            <Input placeholder="qt.hauloc4" maxLength={40} autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label={t('province.schools.displayName')} rules={required}>
            <Input maxLength={120} />
          </Form.Item>
          <Form.Item name="email" label={t('province.schools.email')}>
            <Input type="email" maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={!!created} title={created ? t('province.schools.oneTimeTitle', { username: created.username }) : ''} onOk={() => setCreated(null)} onCancel={() => setCreated(null)} cancelButtonProps={{ style: { display: 'none' } }} okButtonProps={{ 'data-testid': 'province-one-time-ok' } as never}>
        <Typography.Paragraph>
          <Typography.Text code copyable style={{ fontSize: 20 }} data-testid="province-one-time-password">
            {created?.temporaryPassword}
          </Typography.Text>
        </Typography.Paragraph>
        <Alert type="warning" showIcon title={t('province.schools.oneTimeHint')} />
      </Modal>
    </>
  );
}
