/** The sync endpoints (docs/sync.md) and the jobs list. */
import type { JobView, SyncItemStatus, SyncItemView, SyncOverview, SyncRunView, SyncSettingsView, SyncTargetName } from '../../server/api-types.ts';
import { request } from '../api.ts';

const enc = encodeURIComponent;

export const syncApi = {
  overview: () => request<SyncOverview>('GET', '/api/sync'),
  items: (q: { target?: SyncTargetName; status?: SyncItemStatus }) => {
    const qs = new URLSearchParams(Object.entries(q).filter(([, v]) => v) as Array<[string, string]>).toString();
    return request<SyncItemView[]>('GET', `/api/sync/items${qs ? `?${qs}` : ''}`);
  },
  saveSettings: (target: SyncTargetName, body: { baseUrl: string; clientId: string; clientSecret?: string; enabled: boolean }) => request<SyncSettingsView[]>('PUT', `/api/sync/settings/${enc(target)}`, body),
  start: (target: SyncTargetName) => request<SyncRunView>('POST', '/api/sync/runs', { target }),
  run: (id: string) => request<SyncRunView>('GET', `/api/sync/runs/${enc(id)}`),
  retry: (id: string) => request<SyncRunView>('POST', `/api/sync/runs/${enc(id)}/retry`),
  resubmit: (itemIds: string[]) => request<SyncRunView>('POST', '/api/sync/resubmit', { itemIds }),
  jobs: () => request<JobView[]>('GET', '/api/jobs'),
};

export const isActiveRun = (r: Pick<SyncRunView, 'status'> | null | undefined) => r?.status === 'queued' || r?.status === 'running';
