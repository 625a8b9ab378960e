/**
 * The wire format of docs/sync.md, shared by the client and the reference server: the
 * submission manifest, per-record results and status answers, and the record idempotency key.
 */
import { z } from 'zod';

export type SyncTarget = 'hbs' | 'vneid';

/** What the server said about one record version. */
export type RemoteStatus = 'accepted' | 'rejected' | 'duplicate' | 'pending' | 'unknown';

export interface RecordResult {
  key: string;
  status: RemoteStatus;
  code?: string | undefined;
  message?: string | undefined;
  receiptId?: string | undefined;
}

export const recordResultSchema = z.object({
  key: z.string().min(1).max(200),
  status: z.enum(['accepted', 'rejected', 'duplicate', 'pending', 'unknown']),
  code: z.string().max(40).optional(),
  message: z.string().max(2000).optional(),
  receiptId: z.string().max(200).optional(),
});

export const submissionAnswerSchema = z.object({ submissionId: z.string().max(200), results: z.array(recordResultSchema).max(10_000) });
export const statusAnswerSchema = z.object({ results: z.array(recordResultSchema).max(10_000) });

export const manifestRecordSchema = z.strictObject({
  key: z.string().min(1).max(200),
  versionId: z.string().uuid(),
  version: z.number().int().positive(),
  studentCode: z.string().max(40).nullable(),
  personalId: z.string().max(40).nullable(),
  supersedes: z.string().max(200).nullable(),
  xmlSha256: z.string().regex(/^[0-9a-f]{64}$/),
  pdfSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ManifestRecord = z.infer<typeof manifestRecordSchema>;

export const manifestSchema = z.strictObject({
  schoolCode: z.string().min(1).max(40),
  schoolYear: z.string().min(1).max(40),
  format: z.strictObject({ id: z.string().max(40), version: z.string().max(40) }),
  createdAt: z.string().max(40),
  count: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  records: z.array(manifestRecordSchema).max(1000),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const submissionSchema = z.strictObject({
  manifest: manifestSchema,
  documents: z.array(z.strictObject({ key: z.string().min(1).max(200), xml: z.string(), pdf: z.string() })).max(1000),
});
export type Submission = z.infer<typeof submissionSchema>;

/** The idempotency key of a record version: the same for every attempt, whatever the batch. */
export function recordKey(schoolCode: string, versionId: string): string {
  return `hocba:${schoolCode}:${versionId}`;
}

/** A batch ready to send: the manifest and each record's bytes (VNeID uses the manifest only). */
export interface OutgoingBatch {
  batchKey: string;
  manifest: Manifest;
  documents: Array<{ key: string; xml: Buffer; pdf: Buffer; studentName: string; verifyUrl: string }>;
}

/** Where records go: the HBS database client or the VNeID client (and their test doubles). */
export interface SyncTransport {
  readonly target: SyncTarget;
  /** Sends one batch; per-record results. Throws TransientSyncError for timeouts, 429 and 5xx. */
  submit(batch: OutgoingBatch, signal?: AbortSignal): Promise<RecordResult[]>;
  /** What the server knows about these keys ('unknown': never stored). */
  status(keys: string[], signal?: AbortSignal): Promise<RecordResult[]>;
}

/** A failure worth retrying (timeout, connection reset, 429, 5xx): the outcome of the call is unknown. */
export class TransientSyncError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientSyncError';
  }
}

/** A failure retrying will not fix (credentials refused, 4xx): the run stops with this message. */
export class PermanentSyncError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentSyncError';
  }
}
