/** The public verification endpoints (no session needed). */
import type { VerificationReportView } from '../../server/api-types.ts';
import { request } from '../api.ts';

export const verifyApi = {
  upload: (file: File) => {
    const form = new FormData();
    form.append('file', file);
    return request<VerificationReportView>('POST', '/api/public/verify', form);
  },
  byCode: (code: string) => request<VerificationReportView>('GET', `/api/public/verify/${encodeURIComponent(code.trim())}`),
};

/** The code of a /verify/<code> path; '' for /verify; null for any other path. */
export function verifyPathCode(pathname: string): string | null {
  const m = /^\/verify(?:\/([^/]{1,40}))?\/?$/.exec(pathname);
  return m ? decodeURIComponent(m[1] ?? '') : null;
}
