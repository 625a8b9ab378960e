/**
 * The local agent part of the signing page: where the agent listens, whether it answers and
 * is paired with this page, and the pairing flow (the agent shows a code, the person types it).
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Flex, Input, Space, Typography } from 'antd';
import { useLocale } from '../i18n/locale-context.tsx';
import type { MessageKey } from '../i18n/index.ts';
import { AgentProblem, DEFAULT_AGENT_URL, agentClient, type AgentClient } from './agent-client.ts';
import { Link } from 'react-router';

const URL_KEY = 'hocba.agent.url';

function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The agent client for the address the person chose (kept on this device). */
export function useAgent(): { url: string; setUrl: (u: string) => void; client: AgentClient } {
  const [url, setUrlState] = useState(() => storage()?.getItem(URL_KEY) || DEFAULT_AGENT_URL);
  const setUrl = (u: string) => {
    setUrlState(u);
    storage()?.setItem(URL_KEY, u);
  };
  const client = agentClient({ agentUrl: url, origin: globalThis.location?.origin ?? '', storage: storage() });
  return { url, setUrl, client };
}

/** The person-facing message for an agent failure. */
export function useAgentProblemText(): (e: unknown) => string {
  const { t } = useLocale();
  return (e) => {
    const origin = globalThis.location?.origin ?? '';
    if (e instanceof AgentProblem) return t(`agent.error.${e.code}` as MessageKey, { origin, message: e.message });
    return e instanceof Error ? e.message : String(e);
  };
}

type Status = { kind: 'checking' } | { kind: 'down' } | { kind: 'up'; paired: boolean; signer: string } | { kind: 'error'; text: string };

export function AgentPanel({ agent, onReady }: { agent: ReturnType<typeof useAgent>; onReady: (ready: boolean) => void }) {
  const { t } = useLocale();
  const problemText = useAgentProblemText();
  const [status, setStatus] = useState<Status>({ kind: 'checking' });
  const [codeShown, setCodeShown] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [draftUrl, setDraftUrl] = useState(agent.url);
  const origin = globalThis.location?.origin ?? '';

  const check = useCallback(async () => {
    setStatus({ kind: 'checking' });
    try {
      const info = await agent.client.info();
      setStatus({ kind: 'up', paired: info.paired, signer: info.signer });
      onReady(info.paired);
    } catch (e) {
      onReady(false);
      if (e instanceof AgentProblem && e.code === 'agent_unreachable') setStatus({ kind: 'down' });
      else setStatus({ kind: 'error', text: problemText(e) });
    }
    // The client is rebuilt every render; the address is what matters.
  }, [agent.url]);

  useEffect(() => {
    void check();
  }, [check]);

  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      setStatus({ kind: 'error', text: problemText(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="agent-panel">
      <Flex gap={8} wrap align="center">
        <Typography.Text>{t('agent.url')}</Typography.Text>
        <Input style={{ width: 260 }} value={draftUrl} onChange={(e) => setDraftUrl(e.target.value)} data-testid="agent-url" />
        <Button
          onClick={() => {
            if (draftUrl !== agent.url) agent.setUrl(draftUrl.trim());
            else void check();
          }}
          data-testid="agent-check"
        >
          {t('agent.check')}
        </Button>
      </Flex>
      {status.kind === 'down' && <Alert type="warning" showIcon data-testid="agent-down" title={t('agent.notRunning', { url: agent.url, origin })} description={<Link to="/guide/xu-ly-su-co#khong-tim-thay-token">{t('errorHint.title')} →</Link>} />}
      {status.kind === 'error' && <Alert type="error" showIcon data-testid="agent-error" title={status.text} description={<Link to="/guide/xu-ly-su-co#khong-tim-thay-token">{t('errorHint.title')} →</Link>} />}
      {status.kind === 'up' && status.paired && (
        <Alert
          type="success"
          showIcon
          data-testid="agent-ready"
          title={t('agent.ready', { signer: status.signer })}
          action={
            <Button size="small" onClick={() => { agent.client.forget(); void check(); }}>
              {t('agent.forget')}
            </Button>
          }
        />
      )}
      {status.kind === 'up' && !status.paired && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Alert type="info" showIcon title={t('agent.needsPairing', { signer: status.signer })} />
          {!codeShown ? (
            <Button type="primary" loading={busy} data-testid="agent-pair" onClick={() => act(async () => { await agent.client.requestCode(); setCodeShown(true); })}>
              {t('agent.requestCode')}
            </Button>
          ) : (
            <Flex gap={8} wrap align="center">
              <Typography.Text>{t('agent.codeShown')}</Typography.Text>
              <Input style={{ width: 160 }} placeholder="XXXX-XXXX" value={code} onChange={(e) => setCode(e.target.value)} aria-label={t('agent.code')} data-testid="agent-code" maxLength={9} />
              <Button type="primary" loading={busy} disabled={code.trim().length < 8} data-testid="agent-code-confirm" onClick={() => act(async () => { await agent.client.pair(code); setCode(''); setCodeShown(false); await check(); })}>
                {t('agent.confirmCode')}
              </Button>
            </Flex>
          )}
        </Space>
      )}
    </Space>
  );
}
