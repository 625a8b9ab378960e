/**
 * "Đọc từ USB token": pair with the local agent (it shows a code, the person types it here),
 * read the token's certificate chain and hand it to POST /api/me/certificate/agent.
 */
import { useState } from 'react';
import { Alert, Button, Flex, Input, InputNumber, Space, Typography } from 'antd';
import { UsbOutlined } from '@ant-design/icons';
import { useLocale } from '../i18n/locale-context.tsx';
import { AgentError, agentCertificates, agentInfo, agentUrl, completeAgentPairing, requestAgentCode, storeAgentPort, storedAgentPort } from './local-agent.ts';

type Step = 'start' | 'code' | 'paired';

export function AgentRegister({ busy, onCertificates }: { busy: boolean; onCertificates: (certificates: string[]) => void }) {
  const { t } = useLocale();
  const [step, setStep] = useState<Step>('start');
  const [code, setCode] = useState('');
  const [signer, setSigner] = useState('');
  const [working, setWorking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [port, setPort] = useState(storedAgentPort);
  const url = agentUrl(port);

  const explain = (error: unknown) =>
    error instanceof AgentError && error.code === 'unreachable'
      ? t('cert.agentUnreachable', { url, origin: window.location.origin })
      : t('cert.agentError', { message: error instanceof Error ? error.message : String(error) });

  const run = (work: () => Promise<void>) => {
    setWorking(true);
    setProblem(null);
    work()
      .catch((error: unknown) => setProblem(explain(error)))
      .finally(() => setWorking(false));
  };

  const connect = () =>
    run(async () => {
      storeAgentPort(port);
      const info = await agentInfo(url);
      setSigner(info.signer);
      if (info.paired) return setStep('paired');
      await requestAgentCode(url);
      setStep('code');
    });
  const pair = () =>
    run(async () => {
      await completeAgentPairing(url, code);
      const info = await agentInfo(url);
      setSigner(info.signer);
      setStep('paired');
    });
  const read = () =>
    run(async () => {
      try {
        onCertificates(await agentCertificates(url));
      } catch (error) {
        // An agent restart forgets pairings: start over with a new code.
        if (error instanceof AgentError && error.code === 'not_paired') setStep('start');
        throw error;
      }
    });

  return (
    <Flex vertical gap={12} data-testid="certificate-agent">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('cert.agentHint')}
      </Typography.Paragraph>
      {step === 'start' && (
        <Flex gap={8} align="center" wrap>
          <Typography.Text>{t('cert.agentPort')}</Typography.Text>
          <InputNumber min={1} max={65_535} precision={0} value={port} onChange={(v) => v && setPort(v)} style={{ width: 110 }} aria-label={t('cert.agentPort')} data-testid="certificate-agent-port" />
          <Button icon={<UsbOutlined />} onClick={connect} loading={working} data-testid="certificate-agent-connect">
            {t('cert.agentConnect')}
          </Button>
        </Flex>
      )}
      {step === 'code' && (
        <Flex vertical gap={8}>
          <Alert type="info" showIcon title={t('cert.agentCodeShown')} />
          <Space.Compact style={{ maxWidth: 360 }}>
            <Input
              aria-label={t('cert.agentCodeLabel')}
              placeholder="XXXX-XXXX"
              value={code}
              maxLength={9}
              autoComplete="one-time-code"
              onChange={(e) => setCode(e.target.value)}
              onPressEnter={() => code.trim() && pair()}
              data-testid="certificate-agent-code"
            />
            <Button type="primary" onClick={pair} loading={working} disabled={!code.trim()}>
              {t('cert.agentPair')}
            </Button>
          </Space.Compact>
        </Flex>
      )}
      {step === 'paired' && (
        <Flex vertical gap={8}>
          <Alert type="success" showIcon title={t('cert.agentPaired', { signer })} />
          <Button type="primary" icon={<UsbOutlined />} onClick={read} loading={working || busy} style={{ alignSelf: 'flex-start' }} data-testid="certificate-agent-read">
            {t('cert.agentRead')}
          </Button>
        </Flex>
      )}
      {problem && <Alert type="warning" showIcon title={problem} data-testid="certificate-agent-problem" />}
    </Flex>
  );
}
