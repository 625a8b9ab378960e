/** The access endpoints: one's own records, share links (and the public page), the issued-copy log, family accounts. */
import type { CreatedShareLinkView, FamilyAccountsView, IssuedCopyChannel, IssuedCopyRow, MyRecordsView, SharedRecordView, ShareLinkView } from '../../server/api-types.ts';
import { ApiError, request } from '../api.ts';

const enc = encodeURIComponent;

export interface IssuedCopyQuery {
  classId?: string;
  from?: string;
  to?: string;
  channel?: IssuedCopyChannel;
  needsReissue?: boolean;
}

function query(q: IssuedCopyQuery & { format?: string }): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === '' || v === false) continue;
    p.set(k, v === true ? '1' : String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const accessApi = {
  myRecords: () => request<MyRecordsView>('GET', '/api/my/records'),
  myPdfUrl: (versionId: string, download = false) => `/api/my/record-versions/${enc(versionId)}/pdf${download ? '?download=1' : ''}`,
  myXmlUrl: (versionId: string) => `/api/my/record-versions/${enc(versionId)}/xml`,
  shareLinks: (versionId: string) => request<{ links: ShareLinkView[] }>('GET', `/api/record-versions/${enc(versionId)}/share-links`),
  createShareLink: (versionId: string, body: { expiresInDays: number; purpose?: string }) => request<CreatedShareLinkView>('POST', `/api/record-versions/${enc(versionId)}/share-links`, body),
  revokeShareLink: (id: string) => request<ShareLinkView>('POST', `/api/share-links/${enc(id)}/revoke`),
  shared: (token: string) => request<SharedRecordView>('GET', `/api/share/${enc(token)}`),
  sharedPdfUrl: (token: string, download = false) => `/api/share/${enc(token)}/pdf${download ? '?download=1' : ''}`,
  sharedXmlUrl: (token: string) => `/api/share/${enc(token)}/xml`,
  staffPdfUrl: (versionId: string, reason: string) => `/api/signing/versions/${enc(versionId)}/sealed.pdf?reason=${enc(reason)}`,
  staffXmlUrl: (versionId: string, reason: string) => `/api/signing/versions/${enc(versionId)}/signed.xml?reason=${enc(reason)}`,
  printUrl: (versionId: string, reason: string) => `/api/record-versions/${enc(versionId)}/print.pdf?reason=${enc(reason)}`,
  issuedCopies: (q: IssuedCopyQuery) => request<{ rows: IssuedCopyRow[]; truncated: boolean }>('GET', `/api/issued-copies${query(q)}`),
  issuedCopiesExportUrl: (q: IssuedCopyQuery, format: 'csv' | 'xlsx') => `/api/issued-copies/export${query({ ...q, format })}`,
  familyAccounts: (classId: string) => request<FamilyAccountsView>('GET', `/api/classes/${enc(classId)}/family-accounts`),
};

/**
 * Issues the class's accounts and saves the password sheet the server answers with (the
 * passwords exist only in that file). Returns the issued / skipped counts.
 */
export async function issueFamilyAccounts(classId: string, kind: 'student' | 'parent', format: 'pdf' | 'csv', csrfToken: string | null, locale: string): Promise<{ issued: number; skipped: number }> {
  const res = await fetch(`/api/classes/${enc(classId)}/family-accounts`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'accept-language': locale, ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
    body: JSON.stringify({ kind, format }),
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiError(res.status, { code: body?.error?.code ?? 'http', message: body?.error?.message ?? res.statusText });
  }
  const blob = await res.blob();
  const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name ? decodeURIComponent(name) : `accounts.${format}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  return { issued: Number(res.headers.get('x-accounts-issued') ?? 0), skipped: Number(res.headers.get('x-accounts-skipped') ?? 0) };
}
