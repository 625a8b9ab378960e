/** Client for the signature and seal image routes (server/routes/signature-image-routes.ts). */
import type { SignatureImageResponse } from '../../server/api-types.ts';
import { request } from '../api.ts';

/** Which image: one's own signature, or the school's seal. */
export type ImageTarget = 'signature' | 'seal';

const PATHS: Record<ImageTarget, string> = { signature: '/api/me/signature-image', seal: '/api/school/seal-image' };

export const signatureImageApi = {
  get: (target: ImageTarget) => request<SignatureImageResponse>('GET', PATHS[target]),
  put: (target: ImageTarget, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<SignatureImageResponse>('PUT', PATHS[target], form);
  },
  remove: (target: ImageTarget) => request<void>('DELETE', PATHS[target]),
};
