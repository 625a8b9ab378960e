/**
 * One signing session: the batches just prepared (or resumed), their refused records with
 * the server's reasons, the signing method (server-held key with the account password as
 * PIN, the local agent, or the person's remote CSC credential: sign in to the provider, then
 * one approval on the phone for the whole batch),
 * a progress bar, per-record results, "retry failed" and "prepare again" when expired.
 */
import { useCallback, useEffect, useState, type HTMLAttributes } from 'react';
import { Alert, Button, Card, Flex, Input, Progress, Radio, Space, Table, Tag, Typography } from 'antd';
import { ApiError } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import type { MessageKey } from '../i18n/index.ts';
import { signItemsWithAgent } from './agent-client.ts';
import { AgentPanel, useAgent, useAgentProblemText } from './agent-panel.tsx';
import { signingApi, type BatchItemView, type BatchView, type SigningStep } from './signing-api.ts';
import { ErrorFixLink } from '../help/error-fix-link.tsx';
import { errorHelp } from '../help/error-help.ts';

type Method = 'server' | 'agent' | 'csc';

/** Items per server-key request: sealing renders and validates a PDF per record. */
const SEAL_PER_REQUEST = 20;
const SIGN_PER_REQUEST = 200;

const STATUS_COLOR: Record<string, string> = { pending: 'default', signed: 'green', failed: 'red', refused: 'orange' };

export function BatchPanel({ batchIds, onClose, onPrepared, onChanged }: { batchIds: string[]; onClose: () => void; onPrepared: (ids: string[]) => void; onChanged?: () => void }) {
  const { t } = useLocale();
  const agentProblem = useAgentProblemText();
  const agent = useAgent();
  const [batches, setBatches] = useState<BatchView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The code of the last failure, so the error can link to its troubleshooting section.
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [serverKey, setServerKey] = useState<boolean | null>(null);
  const [remoteKey, setRemoteKey] = useState(false);
  const [provider, setProvider] = useState({ username: '', password: '', pin: '' });
  const [method, setMethod] = useState<Method>('server');
  const [password, setPassword] = useState('');
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [agentReady, setAgentReady] = useState(false);

  const load = useCallback(async () => {
    try {
      setBatches(await Promise.all(batchIds.map((id) => signingApi.batch(id))));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [batchIds]);

  useEffect(() => {
    void load();
  }, [load]);

  const step: SigningStep | null = batches?.[0]?.step ?? null;
  useEffect(() => {
    if (!step) return;
    const card = step === 'seal' ? signingApi.sealCertificate() : signingApi.myCertificate();
    card.then(
      (c) => {
        const hasKey = c.certificate?.serverKey === 'file';
        const remote = c.certificate?.serverKey === 'csc';
        setServerKey(hasKey);
        setRemoteKey(remote);
        if (!hasKey) setMethod(remote ? 'csc' : 'agent');
      },
      () => setServerKey(false),
    );
  }, [step]);

  if (error) return <Alert type="error" showIcon title={error} />;
  if (!batches) return <Card loading />;

  const items = batches.flatMap((b) => b.items);
  const refused = items.filter((i) => i.status === 'refused');
  const signable = items.filter((i) => i.status !== 'refused');
  const waiting = items.filter((i) => i.status === 'pending' || i.status === 'failed');
  const failed = items.filter((i) => i.status === 'failed');
  const expired = batches.some((b) => b.expired);
  const counts = { total: items.length, signed: items.filter((i) => i.status === 'signed').length, failed: failed.length, refused: refused.length };

  async function run() {
    setRunning(true);
    setError(null);
    const total = waiting.length;
    let done = 0;
    setProgress({ done, total });
    try {
      for (const b of batches!) {
        const todo = b.items.filter((i) => i.status === 'pending' || i.status === 'failed');
        if (todo.length === 0) continue;
        if (method === 'server') {
          // Short requests (a sealed record takes a moment each): real progress, and no request
          // long enough for a proxy to cut; a closed page leaves the rest waiting, resumable.
          const per = b.step === 'seal' ? SEAL_PER_REQUEST : SIGN_PER_REQUEST;
          // The server takes pending items before failed ones, so this ends once none is pending.
          for (let idle = 0; ; ) {
            const r = await signingApi.signWithServerKey(b.batchId, password, per);
            done += r.results.length;
            setProgress({ done: Math.min(done, total), total });
            if (r.progress.pending === 0) break;
            if (r.results.length > 0) idle = 0;
            else {
              // Every waiting item is held by another request: another tab, or a server that
              // died mid-chunk (its claim lapses within a minute). Wait for it, up to 90 s.
              if (++idle > 18) break;
              await new Promise((resolve) => setTimeout(resolve, 5_000));
            }
          }
        } else if (method === 'csc') {
          // One approval on the phone per batch; the request answers once it is signed, declined or timed out.
          await signingApi.signRemote(b.batchId, { username: provider.username, password: provider.password, ...(provider.pin ? { pin: provider.pin } : {}) });
          done += todo.length;
          setProgress({ done, total });
        } else {
          const base = done;
          await signItemsWithAgent({
            agent: agent.client,
            algorithm: b.algorithm,
            items: todo,
            complete: (values) => signingApi.complete(b.batchId, values),
            onProgress: (p) => setProgress({ done: base + p.done, total }),
          });
          done += todo.length;
        }
      }
      setPassword('');
      setProvider((p) => ({ ...p, password: '', pin: '' }));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : agentProblem(e));
      setErrorCode(e instanceof ApiError ? e.code : 'agent');
    } finally {
      setRunning(false);
      await load();
      onChanged?.();
    }
  }

  async function prepareAgain() {
    setRunning(true);
    try {
      const ids = waiting.map((i) => i.versionId);
      const b = await signingApi.prepare(step!, { versionIds: [...new Set(ids)] });
      onPrepared([b.batchId]);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
    }
  }

  const percent = progress && progress.total ? Math.round((progress.done / progress.total) * 100) : items.length ? Math.round(((counts.signed + counts.refused) / items.length) * 100) : 0;
  const subjectsOf = (i: BatchItemView) => i.label.subjects.map((s) => s.name).join(', ');

  return (
    <Card
      data-testid="batch-panel"
      title={t('signing.batchTitle', { step: t(`signing.step.${step}` as MessageKey) })}
      extra={<Button onClick={onClose} data-testid="batch-close">{t('signing.close')}</Button>}
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Typography.Text type="secondary">
          {batches.map((b) => `${formatDateTime(b.createdAt)} → ${formatDateTime(b.expiresAt)}`).join(' · ')}
        </Typography.Text>
        {refused.length > 0 && (
          <Alert
            type="warning"
            showIcon
            data-testid="batch-refused"
            title={t('signing.refusedTitle', { n: refused.length })}
            description={
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {refused.map((i) => (
                  <li key={i.itemId} data-testid={`refused-${i.versionId}`}>
                    <b>{i.label.studentName}</b> ({i.label.className}): {i.error?.message}
                  </li>
                ))}
              </ul>
            }
          />
        )}
        <Progress percent={percent} data-testid="batch-progress" status={running ? 'active' : failed.length ? 'exception' : undefined} />
        <Typography.Text data-testid="batch-counts">
          {progress && running ? t('signing.progress', progress) : t('signing.done', counts)}
        </Typography.Text>
        {expired && waiting.length > 0 && (
          <Button type="primary" onClick={prepareAgain} loading={running} data-testid="batch-prepare-again">
            {t('signing.prepareAgain')}
          </Button>
        )}
        {!expired && waiting.length > 0 && (
          <Card size="small" title={t('signing.method')}>
            <Radio.Group value={method} onChange={(e) => setMethod(e.target.value as Method)} data-testid="signing-method">
              <Space orientation="vertical">
                <Radio value="server" disabled={serverKey === false} data-testid="method-server">
                  {t('signing.method.server')}
                </Radio>
                <Radio value="agent" data-testid="method-agent">
                  {t('signing.method.agent')}
                </Radio>
                <Radio value="csc" disabled={!remoteKey} data-testid="method-csc">
                  {t('signing.method.csc')}
                  {!remoteKey && <Typography.Text type="secondary"> — {t('signing.method.cscDisabled')}</Typography.Text>}
                </Radio>
              </Space>
            </Radio.Group>
            <div style={{ marginTop: 12 }}>
              {method === 'server' && serverKey === false && <Alert type="info" showIcon title={t('signing.method.serverUnavailable')} />}
              {method === 'server' && serverKey !== false && (
                <Flex gap={8} wrap align="center">
                  <Typography.Text type="secondary" style={{ flexBasis: '100%' }}>{t('signing.method.serverHint')}</Typography.Text>
                  <Input.Password
                    style={{ width: 260 }}
                    placeholder={t('signing.password')}
                    aria-label={t('signing.password')}
                    autoComplete="current-password"
                    value={password}
                    onChange={(e) => setPassword(e.target.value)}
                    data-testid="signing-password"
                  />
                  <Button type="primary" disabled={!password || running} loading={running} onClick={run} data-testid="signing-run">
                    {failed.length && failed.length === waiting.length ? t('signing.retryFailed') : t('signing.signNow', { n: waiting.length })}
                  </Button>
                </Flex>
              )}
              {method === 'csc' && remoteKey && (
                <Flex gap={8} wrap align="center" data-testid="signing-remote">
                  <Typography.Text type="secondary" style={{ flexBasis: '100%' }}>{t('signing.method.cscHint')}</Typography.Text>
                  <Input style={{ width: 220 }} placeholder={t('signing.remote.username')} aria-label={t('signing.remote.username')} autoComplete="username" value={provider.username} onChange={(e) => setProvider({ ...provider, username: e.target.value })} data-testid="remote-username" />
                  <Input.Password style={{ width: 220 }} placeholder={t('signing.remote.password')} aria-label={t('signing.remote.password')} autoComplete="off" value={provider.password} onChange={(e) => setProvider({ ...provider, password: e.target.value })} data-testid="remote-password" />
                  <Input.Password style={{ width: 160 }} placeholder={t('signing.remote.pin')} aria-label={t('signing.remote.pin')} autoComplete="off" value={provider.pin} onChange={(e) => setProvider({ ...provider, pin: e.target.value })} data-testid="remote-pin" />
                  <Button type="primary" disabled={!provider.username || !provider.password || running} loading={running} onClick={run} data-testid="signing-run-remote">
                    {failed.length && failed.length === waiting.length ? t('signing.retryFailed') : t('signing.signNow', { n: waiting.length })}
                  </Button>
                  {running && <Alert style={{ flexBasis: '100%' }} type="info" showIcon title={t('signing.remote.waiting', { n: waiting.length })} data-testid="remote-waiting" />}
                </Flex>
              )}
              {method === 'agent' && (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <AgentPanel agent={agent} onReady={setAgentReady} />
                  {agentReady && (
                    <Space orientation="vertical">
                      <Typography.Text type="secondary">{t('agent.confirmAtPc')}</Typography.Text>
                      <Button type="primary" loading={running} onClick={run} data-testid="signing-run-agent">
                        {failed.length && failed.length === waiting.length ? t('signing.retryFailed') : t('signing.signNow', { n: waiting.length })}
                      </Button>
                    </Space>
                  )}
                </Space>
              )}
            </div>
          </Card>
        )}
        {error && <Alert type="error" showIcon title={error} data-testid="batch-error" description={errorHelp(errorCode ?? undefined).topic ? <ErrorFixLink code={errorCode} /> : undefined} />}
        <Typography.Title level={5} style={{ margin: 0 }}>{t('signing.itemsTitle')}</Typography.Title>
        <Table<BatchItemView>
          size="small"
          rowKey="itemId"
          data-testid="batch-items"
          dataSource={[...signable, ...refused]}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          onRow={(i) => ({ 'data-testid': `item-${i.itemId}`, 'data-status': i.status } as HTMLAttributes<HTMLElement>)}
          columns={[
            { title: t('signing.col.student'), render: (_, i) => i.label.studentName },
            { title: t('signing.col.class'), render: (_, i) => i.label.className, width: 80 },
            ...(step === 'subject' ? [{ title: t('signing.col.subjects'), render: (_: unknown, i: BatchItemView) => subjectsOf(i) }] : []),
            { title: t('signing.col.status'), width: 120, render: (_, i) => <Tag color={STATUS_COLOR[i.status]}>{t(`signing.status.${i.status}` as MessageKey)}</Tag> },
            { title: t('signing.col.reason'), render: (_, i) => i.error?.message ?? '' },
          ]}
        />
      </Space>
    </Card>
  );
}
