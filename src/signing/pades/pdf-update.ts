/**
 * Writes an incremental update (ISO 32000-1 §7.5.6): new and replaced objects appended after
 * the last %%EOF, followed by a cross-reference section whose /Prev points at the previous one.
 * Earlier bytes are never touched, which is what keeps earlier signatures valid. The section is
 * a classic xref table when the file uses tables, and an xref stream when it uses streams.
 */
import { createHash } from 'node:crypto';
import type { PdfDocument } from './pdf-document.ts';
import { PdfDict, PdfRef, PdfString, makeStream, name, serialize, type PdfValue } from './pdf-objects.ts';

export interface UpdateObject {
  num: number;
  value: PdfValue;
  /** Pre-serialised body (used for the signature dictionary, whose layout must be known). */
  body?: Buffer;
}

export interface WrittenUpdate {
  pdf: Uint8Array;
  /** Offset of each written object ("N 0 obj") in the new file. */
  offsets: Map<number, number>;
}

/** Allocates object numbers above the document's current /Size. */
export class ObjectAllocator {
  private next: number;
  constructor(doc: PdfDocument) {
    this.next = doc.size;
  }
  ref(): PdfRef {
    return new PdfRef(this.next++, 0);
  }
  get size(): number {
    return this.next;
  }
}

function xrefTable(entries: [number, number][]): string {
  // Contiguous runs become subsections; each entry is exactly 20 bytes.
  const sorted = [...entries].sort((a, b) => a[0] - b[0]);
  let out = 'xref\n';
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]![0] === sorted[j]![0] + 1) j++;
    out += `${sorted[i]![0]} ${j - i + 1}\n`;
    for (let k = i; k <= j; k++) out += `${String(sorted[k]![1]).padStart(10, '0')} 00000 n\r\n`;
    i = j + 1;
  }
  return out;
}

/** Appends `objects` to the document as one incremental update. */
export function writeUpdate(doc: PdfDocument, objects: UpdateObject[], alloc: ObjectAllocator): WrittenUpdate {
  const src = doc.bytes;
  const parts: Buffer[] = [Buffer.from(src.buffer, src.byteOffset, src.byteLength)];
  let length = src.length;
  const push = (b: Buffer) => {
    parts.push(b);
    length += b.length;
  };
  const last = src[src.length - 1];
  if (last !== 0x0a && last !== 0x0d) push(Buffer.from('\n'));
  const offsets = new Map<number, number>();
  for (const o of objects) {
    offsets.set(o.num, length);
    push(Buffer.concat([Buffer.from(`${o.num} 0 obj\n`), o.body ?? serialize(o.value), Buffer.from('\nendobj\n')]));
  }
  const old = doc.trailer;
  const trailer = new PdfDict();
  const prevSection = doc.sections[0]!;
  // A new second ID marks a modified file (ISO 32000 §14.4); derived from the update so the same input gives the same bytes.
  const updateHash = createHash('sha256').update(Buffer.concat(parts.slice(1))).digest().subarray(0, 16);
  const oldId = old.get('ID');
  const firstId = Array.isArray(oldId) && oldId[0] instanceof PdfString ? oldId[0] : new PdfString(updateHash, true);
  for (const key of ['Root', 'Info']) if (old.get(key) !== undefined) trailer.set(key, old.get(key)!);
  trailer.set('ID', [firstId, new PdfString(updateHash, true)]);
  trailer.set('Prev', prevSection.offset);

  if (prevSection.kind === 'table') {
    trailer.set('Size', Math.max(alloc.size, doc.size));
    const xrefAt = length;
    push(Buffer.from(xrefTable([...offsets])));
    push(Buffer.concat([Buffer.from('trailer\n'), serialize(reorder(trailer)), Buffer.from(`\nstartxref\n${xrefAt}\n%%EOF\n`)]));
  } else {
    const self = alloc.ref().num;
    const xrefAt = length;
    const entries: [number, number][] = [...offsets.entries(), [self, xrefAt] as [number, number]].sort((a, b) => a[0] - b[0]);
    const rows = Buffer.alloc(entries.length * 7);
    entries.forEach(([, off], i) => {
      rows[i * 7] = 1;
      rows.writeUInt32BE(off, i * 7 + 1);
      rows.writeUInt16BE(0, i * 7 + 5);
    });
    const dict = reorder(trailer);
    dict.set('Type', name('XRef')).set('Size', Math.max(alloc.size, doc.size)).set('W', [1, 4, 2]).set('Index', entries.flatMap(([n]) => [n, 1]));
    push(Buffer.concat([Buffer.from(`${self} 0 obj\n`), serialize(makeStream(dict, rows)), Buffer.from(`\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`)]));
  }
  return { pdf: new Uint8Array(Buffer.concat(parts, length)), offsets };
}

/** Trailer keys in the customary order (Size first) for readability. */
function reorder(d: PdfDict): PdfDict {
  const out = new PdfDict();
  for (const k of ['Size', 'Root', 'Info', 'ID', 'Prev']) if (d.get(k) !== undefined) out.set(k, d.get(k)!);
  for (const [k, v] of d.map) if (!out.map.has(k)) out.set(k, v);
  return out;
}
