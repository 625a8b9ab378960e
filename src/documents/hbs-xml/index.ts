/**
 * Record document formats. Code that writes or reads record documents picks an adapter
 * here by id and version; nothing else names a concrete format.
 */
import type { RecordFormatAdapter } from './format-adapter.ts';
import { hbsV1 } from './hbs-v1.ts';

export type { DataElementIds, RecordFormatAdapter, SignatureContainer } from './format-adapter.ts';
export { RecordFormatError } from './format-adapter.ts';
export { hbsV1, HBS_V1_NAMESPACE } from './hbs-v1.ts';

/** Every known format; the first is the default for new documents. */
export const RECORD_FORMATS: readonly RecordFormatAdapter[] = [hbsV1];

/** The adapter with this id and version, or null. */
export function findRecordFormat(id: string, version: string): RecordFormatAdapter | null {
  return RECORD_FORMATS.find((f) => f.id === id && f.version === version) ?? null;
}

/** The adapter for a document's root namespace, or null. */
export function recordFormatForNamespace(namespace: string): RecordFormatAdapter | null {
  return RECORD_FORMATS.find((f) => f.namespace === namespace) ?? null;
}
