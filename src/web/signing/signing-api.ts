/**
 * The signing workflow endpoints (issue 7): the "to sign" list, batches (prepare, read,
 * complete, sign with a server-held key), a version's signatures and returning a record,
 * and the principal's delegations. Types mirror the server's answers (the web talks HTTP only).
 */
import { request } from '../api.ts';

const enc = encodeURIComponent;

export type SigningStep = 'subject' | 'homeroom' | 'principal' | 'seal';
export type SigningTarget = { versionIds: string[] } | { classId: string } | { grade: number } | { school: true };

export interface ToSignRow {
  classId: string;
  className: string;
  grade: number;
  step: SigningStep;
  ready: number;
  waiting: number;
}

export interface ItemLabel {
  studentName: string;
  className: string;
  version: number;
  subjects: { code: string; name: string }[];
}

export interface BatchProgress {
  total: number;
  pending: number;
  signed: number;
  failed: number;
  refused: number;
}

export interface PreparedBatch {
  batchId: string;
  step: SigningStep;
  algorithm: string;
  certificate: { id: string; subject: string; fingerprint: string; notAfter: string };
  expiresAt: string;
  items: { itemId: string; versionId: string; signatureId: string; digest: string; label: ItemLabel }[];
  refused: { itemId: string; versionId: string; label: ItemLabel; code: string; message: string }[];
}

export type ItemStatus = 'pending' | 'signed' | 'failed' | 'refused';

export interface BatchItemView {
  itemId: string;
  versionId: string;
  signatureId: string | null;
  label: ItemLabel;
  status: ItemStatus;
  digest: string | null;
  error: { code: string; message: string } | null;
}

export interface BatchView {
  batchId: string;
  step: SigningStep;
  algorithm: string;
  certificateId: string;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
  progress: BatchProgress;
  items: BatchItemView[];
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

export interface ItemResult {
  itemId: string;
  versionId: string;
  status: 'signed' | 'failed' | 'skipped';
  error: { code: string; message: string } | null;
}

export interface CompleteResult {
  batchId: string;
  results: ItemResult[];
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

export interface DelegationView {
  id: string;
  principalUserId: string;
  delegateUserId: string;
  delegateName: string | null;
  decisionNumber: string;
  grades: number[];
  validFrom: string;
  validTo: string;
  revokedAt: string | null;
  createdAt: string;
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
  signWithServerKey: (batchId: string, password: string) =>
    request<CompleteResult>('POST', `/api/signing/batches/${enc(batchId)}/sign-with-server-key`, { password }),
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
