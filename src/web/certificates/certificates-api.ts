/** Client for the certificate routes (server/routes/certificate-routes.ts). */
import type { CertificateBoardResponse, CertificateCardResponse } from '../../server/api-types.ts';
import { request } from '../api.ts';

/** Whose certificate: one's own, or the school seal's. */
export type CertificateTarget = 'me' | 'seal';

const PATHS: Record<CertificateTarget, string> = { me: '/api/me/certificate', seal: '/api/school/seal-certificate' };

/** The server's limits (CERTIFICATE_MAX_BYTES; the PKCS#12 body's base64 cap), checked first to answer at once. */
export const CERTIFICATE_MAX_BYTES = 64 * 1024;
export const PKCS12_MAX_BYTES = 1024 * 1024;

export const certificatesApi = {
  card: (target: CertificateTarget) => request<CertificateCardResponse>('GET', PATHS[target]),
  upload: (target: CertificateTarget, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<CertificateCardResponse>('POST', PATHS[target], form);
  },
  fromAgent: (certificates: string[]) => request<CertificateCardResponse>('POST', '/api/me/certificate/agent', { certificates }),
  fromCsc: (body: { baseUrl: string; credentialId: string; accessToken?: string }) => request<CertificateCardResponse>('POST', '/api/me/certificate/csc', body),
  sealPkcs12: (pkcs12: string, password: string) => request<CertificateCardResponse>('POST', '/api/school/seal-certificate/pkcs12', { pkcs12, password }),
  board: () => request<CertificateBoardResponse>('GET', '/api/certificates/board'),
};

/** A file's bytes as base64 (chunked: String.fromCharCode over a whole file overflows the stack). */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
