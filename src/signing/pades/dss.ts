/**
 * PAdES B-LT: the Document Security Store (ETSI EN 319 142-1 §5.4.2), a /DSS dictionary in the
 * catalog holding the certificates, OCSP responses and CRLs a verifier needs years later, when
 * the OCSP responder may be gone. Written as an incremental update after the last signature,
 * so every earlier signature still covers its revision byte for byte. VRI entries are optional
 * and not written (their SHA-1 keys add nothing a validator cannot recompute).
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { openPdf, type PdfDocument } from './pdf-document.ts';
import { PdfDict, PdfRef, PdfStream, makeStream, name, type PdfValue } from './pdf-objects.ts';
import { ObjectAllocator, writeUpdate, type UpdateObject } from './pdf-update.ts';

export interface DssContent {
  certificates: Uint8Array[];
  ocspResponses: Uint8Array[];
  crls: Uint8Array[];
}

export interface DssData extends DssContent {
  /** True when the latest revision's catalog has a /DSS dictionary. */
  present: boolean;
}

const KEYS = { certificates: 'Certs', ocspResponses: 'OCSPs', crls: 'CRLs' } as const;
const MAX_DSS_ITEMS = 10_000;

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function dssDict(doc: PdfDocument): { dict: PdfDict | null; ref: PdfRef | null } {
  const v = doc.catalog().get('DSS');
  const dict = doc.resolve(v);
  return { dict: dict instanceof PdfDict ? dict : null, ref: v instanceof PdfRef ? v : null };
}

function streamsOf(doc: PdfDocument, dict: PdfDict | null, key: string): { refs: PdfValue[]; data: Uint8Array[] } {
  const arr = dict ? doc.resolve(dict.get(key)) : null;
  const refs = Array.isArray(arr) ? arr.slice(0, MAX_DSS_ITEMS) : [];
  const data: Uint8Array[] = [];
  refs.forEach((r, i) => {
    const s = doc.resolve(r);
    if (s instanceof PdfStream) data.push(doc.decode(s, `DSS /${key} entry ${i + 1}`));
  });
  return { refs, data };
}

/** Reads the /DSS of the latest revision: certificates, OCSP responses and CRLs as DER. */
export function readDss(pdf: Uint8Array): DssData {
  const doc = openPdf(pdf);
  const { dict } = dssDict(doc);
  return {
    present: dict !== null,
    certificates: streamsOf(doc, dict, KEYS.certificates).data,
    ocspResponses: streamsOf(doc, dict, KEYS.ocspResponses).data,
    crls: streamsOf(doc, dict, KEYS.crls).data,
  };
}

/**
 * Appends validation data to the PDF's /DSS (created when absent, merged without duplicates when
 * present) as one incremental update. Returns the PDF unchanged when there is nothing new.
 */
export function addDss(opts: { pdf: Uint8Array } & Partial<DssContent>): Uint8Array {
  const doc = openPdf(opts.pdf);
  const { dict: oldDss, ref: oldRef } = dssDict(doc);
  const alloc = new ObjectAllocator(doc);
  const objects: UpdateObject[] = [];
  const dss = (oldDss ?? new PdfDict()).clone();
  let added = 0;
  for (const [field, key] of Object.entries(KEYS) as [keyof DssContent, string][]) {
    const existing = streamsOf(doc, oldDss, key);
    const seen = new Set(existing.data.map(sha));
    const refs = [...existing.refs];
    for (const item of opts[field] ?? []) {
      const h = sha(item);
      if (seen.has(h)) continue;
      seen.add(h);
      const ref = alloc.ref();
      objects.push({ num: ref.num, value: makeStream(new PdfDict().set('Filter', name('FlateDecode')), new Uint8Array(deflateSync(item))) });
      refs.push(ref);
      added++;
    }
    if (refs.length) dss.set(key, refs);
  }
  if (added === 0) return opts.pdf;
  if (oldRef) objects.push({ num: oldRef.num, value: dss });
  else {
    const ref = alloc.ref();
    objects.push({ num: ref.num, value: dss.set('Type', name('DSS')) });
    objects.push({ num: doc.catalogRef.num, value: doc.catalog().clone().set('DSS', ref) });
  }
  return writeUpdate(doc, objects, alloc).pdf;
}
