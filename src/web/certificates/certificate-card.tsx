/**
 * "Chứng thư số của tôi" (account page) and the school seal's certificate (school settings):
 * the active certificate and how it stands now, earlier ones, and the ways to register one —
 * a file, the USB token through the local agent, a remote CSC credential (own), or a PKCS#12
 * whose key the server keeps (seal). Refusals show the server's reason as it wrote it.
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Collapse, Flex, Form, Input, List, Tabs, Tag, Typography, Upload } from 'antd';
import { CloudOutlined, FileProtectOutlined, KeyOutlined, UploadOutlined, UsbOutlined } from '@ant-design/icons';
import type { CertificateCardResponse } from '../../server/api-types.ts';
import { isApiError } from '../api.ts';
import { ErrorResult } from '../components/error-result.tsx';
import { PageLoader } from '../components/page-loader.tsx';
import { formatDate } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { useApiData } from '../use-api-data.ts';
import { AgentRegister } from './agent-register.tsx';
import { CertificateDetails, StandingTag } from './certificate-details.tsx';
import { CERTIFICATE_MAX_BYTES, PKCS12_MAX_BYTES, certificatesApi, fileToBase64, type CertificateTarget } from './certificates-api.ts';
import { EmptyState } from '../help/empty-state.tsx';

const CERT_ACCEPT = '.cer,.crt,.pem,.der,application/pkix-cert,application/x-x509-ca-cert,application/x-pem-file';

export function CertificateCard({ target }: { target: CertificateTarget }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const seal = target === 'seal';
  const testId = seal ? 'seal-certificate' : 'my-certificate';
  const data = useApiData(() => certificatesApi.card(target), [target]);
  const [fresh, setFresh] = useState<CertificateCardResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [pkcs12, setPkcs12] = useState<File | null>(null);
  const [cscForm] = Form.useForm<{ baseUrl: string; credentialId: string; accessToken?: string }>();
  const [p12Form] = Form.useForm<{ password: string }>();

  // A registration answers with the new card (and its warnings): show it without a reload.
  const card = fresh ?? data.data;

  const submit = (work: () => Promise<CertificateCardResponse>, after?: () => void) => {
    setBusy(true);
    setRefusal(null);
    work()
      .then((answer) => {
        setFresh(answer);
        void message.success(t('cert.registered'));
        after?.();
      })
      .catch((error: unknown) => setRefusal(isApiError(error) ? error.message : String(error)))
      .finally(() => setBusy(false));
  };

  const uploadFile = (file: File) => {
    if (file.size > CERTIFICATE_MAX_BYTES) return setRefusal(t('cert.tooLarge'));
    submit(() => certificatesApi.upload(target, file));
  };

  const fileTab = {
    key: 'file',
    icon: <UploadOutlined />,
    label: t('cert.tab.file'),
    children: (
      <Flex vertical gap={8}>
        <Typography.Text type="secondary">{t('cert.fileHint')}</Typography.Text>
        <Upload
          accept={CERT_ACCEPT}
          showUploadList={false}
          maxCount={1}
          beforeUpload={(file) => {
            uploadFile(file);
            return false; // we upload ourselves, with the CSRF header
          }}
        >
          <Button icon={<UploadOutlined />} loading={busy} data-testid={`${testId}-upload`}>
            {t('cert.chooseFile')}
          </Button>
        </Upload>
      </Flex>
    ),
  };

  const agentTab = {
    key: 'agent',
    icon: <UsbOutlined />,
    label: t('cert.tab.agent'),
    children: <AgentRegister busy={busy} onCertificates={(certificates) => submit(() => certificatesApi.fromAgent(certificates))} />,
  };

  const cscTab = {
    key: 'csc',
    icon: <CloudOutlined />,
    label: t('cert.tab.csc'),
    children: (
      <Form
        form={cscForm}
        layout="vertical"
        style={{ maxWidth: 520 }}
        data-testid={`${testId}-csc`}
        onFinish={(values) =>
          submit(
            () => certificatesApi.fromCsc({ baseUrl: values.baseUrl.trim(), credentialId: values.credentialId.trim(), ...(values.accessToken?.trim() ? { accessToken: values.accessToken.trim() } : {}) }),
            () => cscForm.resetFields(['accessToken']),
          )
        }
      >
        <Typography.Paragraph type="secondary">{t('cert.cscHint')}</Typography.Paragraph>
        <Form.Item name="baseUrl" label={t('cert.cscBaseUrl')} rules={[{ required: true, whitespace: true, message: t('cert.required') }]}>
          <Input placeholder="https://" maxLength={500} inputMode="url" />
        </Form.Item>
        <Form.Item name="credentialId" label={t('cert.cscCredential')} rules={[{ required: true, whitespace: true, message: t('cert.required') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="accessToken" label={t('cert.cscToken')}>
          <Input.Password maxLength={4000} autoComplete="off" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('cert.cscSubmit')}
        </Button>
      </Form>
    ),
  };

  const pkcs12Tab = {
    key: 'pkcs12',
    icon: <KeyOutlined />,
    label: t('cert.tab.pkcs12'),
    children: (
      <Form
        form={p12Form}
        layout="vertical"
        style={{ maxWidth: 520 }}
        data-testid={`${testId}-pkcs12`}
        onFinish={({ password }) => {
          if (!pkcs12) return setRefusal(t('cert.required'));
          if (pkcs12.size > PKCS12_MAX_BYTES) return setRefusal(t('cert.pkcs12TooLarge'));
          const file = pkcs12;
          submit(
            async () => certificatesApi.sealPkcs12(await fileToBase64(file), password ?? ''),
            () => {
              // The password was used once: do not keep it in the page either.
              p12Form.resetFields();
              setPkcs12(null);
            },
          );
        }}
      >
        <Typography.Paragraph type="secondary">{t('cert.pkcs12Hint')}</Typography.Paragraph>
        <Form.Item label={t('cert.pkcs12File')} required>
          <Upload
            accept=".p12,.pfx,application/x-pkcs12"
            maxCount={1}
            fileList={pkcs12 ? [{ uid: '1', name: pkcs12.name, status: 'done' }] : []}
            onRemove={() => setPkcs12(null)}
            beforeUpload={(file) => {
              setPkcs12(file);
              return false;
            }}
          >
            <Button icon={<FileProtectOutlined />} data-testid={`${testId}-pkcs12-file`}>
              {t('cert.pkcs12Choose')}
            </Button>
          </Upload>
        </Form.Item>
        <Form.Item name="password" label={t('cert.pkcs12Password')}>
          <Input.Password autoComplete="off" maxLength={200} data-testid={`${testId}-pkcs12-password`} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid={`${testId}-pkcs12-submit`}>
          {t('cert.pkcs12Submit')}
        </Button>
      </Form>
    ),
  };

  let body;
  if (data.loading && !card) body = <PageLoader />;
  else if (data.error && !card) body = <ErrorResult error={data.error} onRetry={data.reload} />;
  else if (card) {
    const current = card.certificate;
    // The server's history lists every certificate, the active one included.
    const earlier = card.history.filter((c) => c.id !== current?.id);
    body = (
      <Flex vertical gap={12}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t(seal ? 'cert.sealHint' : 'cert.myHint')}
        </Typography.Paragraph>
        {current ? (
          <>
            <Flex gap={8} align="center" wrap>
              <Typography.Text>{t('cert.status')}:</Typography.Text>
              <StandingTag standing={card.standing} testId={`${testId}-standing`} />
              {card.deadline && <Typography.Text type="secondary">{t('cert.deadline')}: {formatDate(card.deadline)}</Typography.Text>}
            </Flex>
            {card.message && card.standing !== 'valid' && <Alert type={card.standing === 'revocation_unknown' || card.standing === 'expires_before_deadline' ? 'warning' : 'error'} showIcon title={card.message} data-testid={`${testId}-message`} />}
            <CertificateDetails certificate={current} testId={`${testId}-details`} />
          </>
        ) : (
          <EmptyState compact what={t(seal ? 'cert.sealNone' : 'cert.none')} next={t('empty.cert.next')} help={{ page: 'can-bo-cntt', anchor: 'chung-thu-so' }} />
        )}
        {(card.warnings ?? []).map((warning) => (
          <Alert key={warning} type="warning" showIcon title={t('cert.warning')} description={/^revocation not checked/i.test(warning) ? `${t('cert.revocationUnknown')}${warning.includes(':') ? `: ${warning.slice(warning.indexOf(':') + 1).trim()}` : ''}` : warning} data-testid={`${testId}-warning`} />
        ))}
        {earlier.length > 0 && (
          <Collapse
            size="small"
            items={[
              {
                key: 'history',
                label: t('cert.history', { count: earlier.length }),
                children: (
                  <List
                    size="small"
                    dataSource={earlier}
                    renderItem={(c) => (
                      <List.Item key={c.id}>
                        <Flex vertical gap={2} style={{ minWidth: 0 }}>
                          <Flex gap={6} wrap align="center">
                            <Typography.Text strong>{c.commonName}</Typography.Text>
                            <Tag color={c.status === 'revoked' ? 'red' : 'default'}>{t(`cert.rowStatus.${c.status}`)}</Tag>
                          </Flex>
                          <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-word' }}>
                            {c.issuer} · {t('cert.serial')} {c.serialNumber} · {formatDate(c.notBefore)} – {formatDate(c.notAfter)}
                          </Typography.Text>
                        </Flex>
                      </List.Item>
                    )}
                  />
                ),
              },
            ]}
          />
        )}
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t(current ? 'cert.replace' : 'cert.register')}
        </Typography.Title>
        <Tabs size="small" items={seal ? [fileTab, pkcs12Tab] : [fileTab, agentTab, cscTab]} data-testid={`${testId}-tabs`} />
        {refusal && <Alert type="error" showIcon title={refusal} closable={{ onClose: () => setRefusal(null) }} data-testid={`${testId}-refusal`} />}
      </Flex>
    );
  }

  return (
    <Card title={t(seal ? 'cert.sealTitle' : 'cert.myTitle')} size="small" data-testid={`${testId}-card`}>
      {body}
    </Card>
  );
}
