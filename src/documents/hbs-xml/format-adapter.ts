/**
 * The seam between the frozen snapshot and a document format (DESIGN.md "HBS XML"): the
 * domain builds a RecordSnapshot, the signing code signs the elements a format names by
 * Id, and neither knows which schema is in use. Adding the Ministry's schema later means
 * one more adapter, nothing else.
 */
import { DomainError } from '../../domain/errors.ts';
import type { RecordSnapshot } from '../../domain/record/snapshot.ts';

/** The Ids of the signable data elements of one document, in document order. */
export interface DataElementIds {
  /** The whole data block (principal and school seal reference it). */
  record: string;
  /** The identity block. */
  identity: string;
  /** The year block (the homeroom teacher references it). */
  year: string;
  /** One entry per subject row (a subject teacher references their rows). */
  subjects: { code: string; id: string }[];
}

/** Where signatures go: an element outside the signed data. */
export interface SignatureContainer {
  namespace: string;
  localName: string;
}

/** A record document format: canonical writer, strict reader, and the Ids signatures reference. */
export interface RecordFormatAdapter {
  /** Stable identifier, e.g. "hbs". */
  readonly id: string;
  /** Format version, e.g. "1". */
  readonly version: string;
  /** XML namespace of the format's elements. */
  readonly namespace: string;
  /** Media type of a serialised document. */
  readonly mediaType: string;
  readonly signatureContainer: SignatureContainer;
  /** Canonical document text (UTF-8 when encoded): the same snapshot always gives the same string. Throws RecordFormatError on a malformed snapshot. */
  serialize(snapshot: RecordSnapshot): string;
  /** Reads a document back; `parse(serialize(s))` deep-equals `s`. Throws RecordFormatError naming the element and line. */
  parse(xml: string): RecordSnapshot;
  /** The Ids of the signable elements of a document (or of the document a snapshot would give). */
  dataElementIds(source: string | RecordSnapshot): DataElementIds;
}

/** A document or snapshot a format refuses; `element` and `line` locate it when known. */
export class RecordFormatError extends DomainError {
  readonly element: string | null;
  readonly line: number | null;

  constructor(reason: string, where: { element?: string | null; line?: number | null } = {}) {
    const element = where.element ?? null;
    const line = where.line ?? null;
    const at = [element ? `<${element}>` : null, line ? `line ${line}` : null].filter(Boolean).join(', ');
    super('file.invalid', { reason: at ? `${reason} (${at})` : reason });
    this.name = 'RecordFormatError';
    this.element = element;
    this.line = line;
  }
}
