/**
 * Corrections of signed records (issue 7.6, 8.5): returned records waiting for a correction,
 * change requests and the principal's decision, and a version's history. HTTP only.
 */
import { request } from '../api.ts';
import type { CorrectionScope, CorrectionView, RecordReturnView, VersionHistory, VersionHistoryEntry } from '../../server/api-types.ts';

export type { CorrectionScope, VersionHistory };
export type Correction = CorrectionView;
export type CorrectionStatus = CorrectionView['status'];
export type ReturnInfo = RecordReturnView;
export type HistoryEntry = VersionHistoryEntry;

const enc = encodeURIComponent;

export const correctionsApi = {
  returns: () => request<{ returns: ReturnInfo[] }>('GET', '/api/corrections/returns'),
  list: (status: CorrectionStatus | 'all' = 'all') => request<{ corrections: Correction[] }>('GET', `/api/corrections?status=${status}`),
  request: (body: { versionId: string; scope: CorrectionScope; subjects?: string[]; reason: string }) => request<Correction>('POST', '/api/corrections', body),
  decide: (id: string, approve: boolean, note?: string) => request<Correction>('POST', `/api/corrections/${enc(id)}/decision`, { approve, ...(note ? { note } : {}) }),
  history: (versionId: string) => request<VersionHistory>('GET', `/api/corrections/versions/${enc(versionId)}`),
};
