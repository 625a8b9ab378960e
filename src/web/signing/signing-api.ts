/**
 * The signing workflow endpoints (issue 7): the "to sign" list, batches (prepare, read,
 * complete, sign with a server-held key), a version's signatures and returning a record,
 * and the principal's delegations. Response types come from the shared src/server/api-types.ts (the web talks HTTP only).
 */
import type { BatchItemView, BatchProgress, BatchView, CompleteResult, DelegationView, ItemLabel, ItemResult, ItemStatus, ToSignRow } from '../../server/api-types.ts';
import { request } from '../api.ts';

export type { BatchItemView, BatchProgress, BatchView, CompleteResult, DelegationView, ItemLabel, ItemResult, ItemStatus, ToSignRow };

const enc = encodeURIComponent;

export type SigningStep = 'subject' | 'homeroom' | 'principal' | 'seal';
export type SigningTarget = { versionIds: string[] } | { classId: string } | { grade: number } | { school: true };

export interface PreparedBatch {
  batchId: string;
  step: SigningStep;
  algorithm: string;
  certificate: { id: string; subject: string; fingerprint: string; notAfter: string };
  expiresAt: string;
  items: { itemId: string; versionId: string; signatureId: string; digest: string; label: ItemLabel }[];
  refused: { itemId: string; versionId: string; label: ItemLabel; code: string; message: string }[];
}

export interface BatchSummary {
  batchId: string;
  step: SigningStep;
  target: unknown;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
  progress: BatchProgress;
}

export interface RecordSignature {
  seq: number;
  step: SigningStep;
  signatureId: string;
  signerUserId: string | null;
  claimedRole: string;
  subjects: unknown;
  delegationId: string | null;
  signedAt: string;
  signer: string;
  certificateSubject: string;
  certificateFingerprint: string;
}

export interface RecordSignatures {
  versionId: string;
  version: number;
  state: string;
  signatures: RecordSignature[];
  sealedPdf: { sha256: string; createdAt: string } | null;
}

export interface DelegationCreate {
  delegateUserId: string;
  decisionNumber: string;
  grades: number[];
  validFrom: string;
  validTo: string;
}

/** The most values the server takes in one complete call. */
export const COMPLETE_CHUNK = 500;

export const signingApi = {
  toSign: () => request<{ rows: ToSignRow[] }>('GET', '/api/signing/to-sign'),
  prepare: (step: SigningStep, target: SigningTarget) => request<PreparedBatch>('POST', '/api/signing/batches', { step, target }),
  batches: () => request<{ batches: BatchSummary[] }>('GET', '/api/signing/batches'),
  batch: (batchId: string) => request<BatchView>('GET', `/api/signing/batches/${enc(batchId)}`),
  complete: (batchId: string, values: { itemId: string; signatureValue: string }[]) =>
    request<CompleteResult>('POST', `/api/signing/batches/${enc(batchId)}/complete`, { values }),
  signWithServerKey: (batchId: string, password: string, max?: number) =>
    request<CompleteResult>('POST', `/api/signing/batches/${enc(batchId)}/sign-with-server-key`, { password, ...(max ? { max } : {}) }),
  signRemote: (batchId: string, body: { username: string; password: string; pin?: string; otp?: string }) =>
    request<CompleteResult>('POST', `/api/signing/batches/${enc(batchId)}/sign-remote`, body),
  signatures: (versionId: string) => request<RecordSignatures>('GET', `/api/signing/versions/${enc(versionId)}/signatures`),
  signedXmlUrl: (versionId: string) => `/api/signing/versions/${enc(versionId)}/signed.xml`,
  sealedPdfUrl: (versionId: string) => `/api/signing/versions/${enc(versionId)}/sealed.pdf`,
  returnRecord: (versionId: string, reason: string) => request<unknown>('POST', `/api/signing/versions/${enc(versionId)}/return`, { reason }),
  myCertificate: () => request<{ certificate: { serverKey: 'file' | 'csc' | null; commonName: string; notAfter: string } | null }>('GET', '/api/me/certificate'),
  sealCertificate: () => request<{ certificate: { serverKey: 'file' | 'csc' | null; commonName: string; notAfter: string } | null }>('GET', '/api/school/seal-certificate'),
  delegations: () => request<{ delegations: DelegationView[] }>('GET', '/api/delegations'),
  createDelegation: (body: DelegationCreate) => request<{ delegation: DelegationView }>('POST', '/api/delegations', body),
  revokeDelegation: (id: string) => request<{ delegation: DelegationView }>('POST', `/api/delegations/${enc(id)}/revoke`),
};

/** Splits a list into chunks of at most `size` (server and agent limits). */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** One line naming an item for the person (and the agent's confirmation list). */
export function itemLabelText(label: ItemLabel): string {
  const subjects = label.subjects.map((s) => s.name).join(', ');
  return `${label.studentName} – ${label.className} – v${label.version}${subjects ? ` – ${subjects}` : ''}`;
}
