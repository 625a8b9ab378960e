/**
 * Where each school sends its records (docs/sync.md "Configuration"): the school's settings in
 * sync_settings, else the HOCBA_HBS_* / HOCBA_VNEID_* environment. The secret goes into the
 * transport and nowhere else: views say only whether one is set, audit entries never hold it.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { syncSettings } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import type { SyncSettingsView } from '../../server/api-types.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { vneidClient } from '../vneid/vneid-client.ts';
import { hbsClient } from './hbs-client.ts';
import type { SyncTarget, SyncTransport } from './protocol.ts';

export const SYNC_TARGETS: readonly SyncTarget[] = ['hbs', 'vneid'];

interface Resolved {
  source: 'school' | 'env';
  baseUrl: string;
  clientId: string;
  secret: string;
  enabled: boolean;
}

function fromEnv(target: SyncTarget, env: NodeJS.ProcessEnv): Resolved | null {
  const url = (target === 'hbs' ? env.HOCBA_HBS_URL : env.HOCBA_VNEID_URL)?.trim();
  if (!url) return null;
  return target === 'hbs'
    ? { source: 'env', baseUrl: url, clientId: env.HOCBA_HBS_CLIENT_ID ?? '', secret: env.HOCBA_HBS_CLIENT_SECRET ?? '', enabled: true }
    : { source: 'env', baseUrl: url, clientId: '', secret: env.HOCBA_VNEID_API_KEY ?? '', enabled: true };
}

async function resolve(db: Db, schoolId: string, target: SyncTarget, env: NodeJS.ProcessEnv): Promise<{ resolved: Resolved | null; row: typeof syncSettings.$inferSelect | undefined }> {
  const [row] = await inSchool(db, schoolId, (tx) => tx.select().from(syncSettings).where(and(eq(syncSettings.schoolId, schoolId), eq(syncSettings.target, target))));
  if (row) return { row, resolved: { source: 'school', baseUrl: row.baseUrl, clientId: row.clientId, secret: row.clientSecret, enabled: row.enabled } };
  return { row, resolved: fromEnv(target, env) };
}

/** The transport for a school's target, or null when it is not configured or disabled. */
export async function transportFor(opts: { db: Db; schoolId: string; target: SyncTarget; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<SyncTransport | null> {
  const env = opts.env ?? process.env;
  const { resolved } = await resolve(opts.db, opts.schoolId, opts.target, env);
  if (!resolved || !resolved.enabled) return null;
  const timeoutMs = opts.timeoutMs ?? (Number(env.HOCBA_SYNC_TIMEOUT_MS) || 30_000);
  return opts.target === 'hbs'
    ? hbsClient({ baseUrl: resolved.baseUrl, clientId: resolved.clientId, clientSecret: resolved.secret, timeoutMs })
    : vneidClient({ baseUrl: resolved.baseUrl, apiKey: resolved.secret, timeoutMs });
}

/** Both targets' settings, without secrets. */
export async function getSyncSettings(opts: { db: Db; schoolId: string; env?: NodeJS.ProcessEnv }): Promise<SyncSettingsView[]> {
  const out: SyncSettingsView[] = [];
  for (const target of SYNC_TARGETS) {
    const { resolved, row } = await resolve(opts.db, opts.schoolId, target, opts.env ?? process.env);
    out.push({
      target,
      source: resolved?.source ?? 'none',
      baseUrl: resolved?.baseUrl ?? null,
      clientId: target === 'hbs' ? (resolved?.clientId ?? null) : null,
      secretSet: Boolean(resolved?.secret),
      enabled: resolved?.enabled ?? false,
      updatedAt: row?.updatedAt.toISOString() ?? null,
      updatedBy: row?.updatedBy ?? null,
    });
  }
  return out;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** https, or http to this machine only (tests, the reference server). */
export function checkBaseUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new DomainError('validation', { summary: `địa chỉ "${raw.slice(0, 100)}" không phải URL / not a URL` });
  }
  if (u.username || u.password) throw new DomainError('validation', { summary: 'URL không được chứa tên/mật khẩu (dùng client id / secret) / no credentials in the URL' });
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname))) throw new DomainError('validation', { summary: `cần https:// (http:// chỉ cho máy này) / https required: ${u.origin}` });
  return u.toString().replace(/\/+$/, '');
}

/**
 * Saves a target's settings (school_admin). An omitted or empty secret keeps the stored one, so
 * the form never needs to show it. Audited without the secret.
 */
export async function updateSyncSettings(opts: { db: Db; who: Actor; schoolId: string; target: SyncTarget; baseUrl: string; clientId: string; clientSecret?: string | undefined; enabled: boolean }): Promise<SyncSettingsView[]> {
  const baseUrl = checkBaseUrl(opts.baseUrl);
  if (opts.clientId.length > 200 || (opts.clientSecret ?? '').length > 500) throw new DomainError('validation', { summary: 'client id ≤ 200, secret ≤ 500 ký tự / characters' });
  await inSchool(opts.db, opts.schoolId, async (tx) => {
    const [prior] = await tx.select().from(syncSettings).where(and(eq(syncSettings.schoolId, opts.schoolId), eq(syncSettings.target, opts.target)));
    const secret = opts.clientSecret ? opts.clientSecret : (prior?.clientSecret ?? '');
    const values = { baseUrl, clientId: opts.clientId.trim(), clientSecret: secret, enabled: opts.enabled, updatedBy: opts.who.label, updatedAt: new Date() };
    if (prior) await tx.update(syncSettings).set(values).where(eq(syncSettings.id, prior.id));
    else await tx.insert(syncSettings).values({ schoolId: opts.schoolId, target: opts.target, ...values });
    await appendAudit(tx, {
      actor: opts.who,
      schoolId: opts.schoolId,
      action: 'sync.settings_updated',
      targetType: 'sync_settings',
      targetId: opts.target,
      before: prior ? { baseUrl: prior.baseUrl, clientId: prior.clientId, enabled: prior.enabled } : null,
      after: { baseUrl, clientId: values.clientId, enabled: opts.enabled, secretChanged: Boolean(opts.clientSecret) },
    });
  });
  return getSyncSettings({ db: opts.db, schoolId: opts.schoolId });
}
