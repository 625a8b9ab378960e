/**
 * What the signers' details look like on the printed record (Decree 30/2020, appendix I):
 * who signed, in which role, when (ISO 8601 in Vietnam time), with which certificate, and
 * the images to stamp (a blue handwritten signature, the school's red seal). The signing
 * workflow hands these to the renderer; this module checks them against the snapshot and
 * decodes the images, so drawing can no longer fail half-way through a page.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../../domain/errors.ts';
import type { RecordSnapshot } from '../../domain/record/snapshot.ts';
import { viDateLine, vietnamTime } from './format-vi.ts';
import { decodePng, PNG_MAX_BYTES, PngImageError, type DecodedPng } from './png-image.ts';

/** Who signs a part of the record. 'vice_principal' signs for the principal ("KT. HIỆU TRƯỞNG"). */
export type SignatureRole = 'subject_teacher' | 'homeroom_teacher' | 'principal' | 'vice_principal' | 'school_seal';

export const SIGNATURE_ROLES: readonly SignatureRole[] = ['subject_teacher', 'homeroom_teacher', 'principal', 'vice_principal', 'school_seal'];

/** One signature of the record version, as it is shown on the page. */
export interface SignatureBlock {
  role: SignatureRole;
  /** The signer's name (for the school seal: the organisation's name). */
  fullName: string;
  /** The signing time, an ISO 8601 instant with a zone ("2026-06-25T02:19:01Z"); printed in Vietnam time. */
  signedAt: string;
  /** Subject teacher only: the subject rows (snapshot subject codes) this signature covers. */
  subjectCodes?: string[];
  /** The signer's handwritten signature, blue, PNG with a transparent background (not for the seal). */
  signatureImage?: Uint8Array;
  /** School seal only: the seal image, red, PNG with a transparent background. */
  sealImage?: Uint8Array;
  /** The signing certificate, shown briefly when there is no image. */
  certificate?: { subject: string; issuer: string; serial: string };
}

/** A signature block that cannot be shown: the message names the block and what is wrong. */
export class SignatureBlockError extends DomainError {
  constructor(readonly reason: string) {
    super('validation', { summary: reason });
    this.name = 'SignatureBlockError';
  }
}

/** A checked block, ready to draw. */
export interface PreparedSignature {
  role: SignatureRole;
  fullName: string;
  /** "2026-06-25T09:19:01+07:00". */
  time: string;
  /** "Ngày 25 tháng 6 năm 2026". */
  dateLine: string;
  certificate: { subject: string; issuer: string; serial: string } | null;
  signatureImage: DecodedPng | null;
  sealImage: DecodedPng | null;
}

/** The blocks by place on the page. */
export interface PreparedSignatures {
  /** Subject code → the subject teacher's signature on that row. */
  bySubject: Map<string, PreparedSignature>;
  homeroom: PreparedSignature | null;
  /** The principal, or the vice principal signing for the principal. */
  leader: PreparedSignature | null;
  seal: PreparedSignature | null;
}

const MAX_TEXT = 300;

/** Role names as printed in a signature's text block. */
export const SIGNATURE_ROLE_LABELS: Record<SignatureRole, string> = {
  subject_teacher: 'Giáo viên bộ môn',
  homeroom_teacher: 'Giáo viên chủ nhiệm',
  principal: 'Hiệu trưởng',
  vice_principal: 'KT. Hiệu trưởng – Phó Hiệu trưởng',
  school_seal: 'Dấu của nhà trường',
};

// Decoding is the costly part and a principal's images recur on every record of a batch.
const decoded = new Map<string, DecodedPng>();
const DECODED_KEEP = 16;

function decodeCached(bytes: Uint8Array): DecodedPng {
  if (bytes.byteLength > PNG_MAX_BYTES) return decodePng(bytes); // refused there, before hashing a large input
  const sha = createHash('sha256').update(bytes).digest('hex');
  const hit = decoded.get(sha);
  if (hit) return hit;
  const img = decodePng(bytes);
  if (decoded.size >= DECODED_KEEP) decoded.delete(decoded.keys().next().value!);
  decoded.set(sha, img);
  return img;
}

/**
 * Checks the blocks against the snapshot and decodes their images. Throws
 * SignatureBlockError (or PngImageError for a bad image), naming the block: at most one
 * homeroom, one principal or vice principal, one seal; subject signatures name existing,
 * distinct subject rows; the seal comes with the principal's signature; images are valid
 * PNGs with a transparent background.
 */
export function prepareSignatures(snapshot: RecordSnapshot, blocks: readonly SignatureBlock[] = []): PreparedSignatures {
  const out: PreparedSignatures = { bySubject: new Map(), homeroom: null, leader: null, seal: null };
  const codes = new Set(snapshot.year.subjects.map((r) => r.code));
  blocks.forEach((b, i) => {
    const name = typeof b?.fullName === 'string' ? b.fullName.normalize('NFC').trim().replace(/\s+/g, ' ') : '';
    const where = `signature block ${i + 1} (${String(b?.role)}${name ? `, ${name}` : ''})`;
    const bad = (what: string): never => {
      throw new SignatureBlockError(`${where}: ${what}`);
    };
    if (!SIGNATURE_ROLES.includes(b?.role)) bad(`role must be one of ${SIGNATURE_ROLES.join(', ')}`);
    if (name === '' || name.length > MAX_TEXT) bad(`fullName must be 1–${MAX_TEXT} characters`);
    if (typeof b.signedAt !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(b.signedAt) || Number.isNaN(Date.parse(b.signedAt))) {
      bad(`signedAt "${String(b.signedAt)}" is not an ISO 8601 instant with a time zone`);
    }
    const cert = b.certificate;
    if (cert !== undefined) {
      for (const k of ['subject', 'issuer', 'serial'] as const) {
        if (typeof cert?.[k] !== 'string' || cert[k].length > 2 * MAX_TEXT) bad(`certificate.${k} must be a string of at most ${2 * MAX_TEXT} characters`);
      }
    }
    if (b.role === 'subject_teacher') {
      if (!Array.isArray(b.subjectCodes) || b.subjectCodes.length === 0) bad('a subject teacher signature must name its subject rows (subjectCodes)');
    } else if (b.subjectCodes !== undefined) bad('only a subject teacher signature names subject rows');
    if (b.role === 'school_seal' && b.signatureImage !== undefined) bad('the school seal carries a sealImage, not a signatureImage');
    if (b.role !== 'school_seal' && b.sealImage !== undefined) bad('only the school seal block carries the seal image');
    const image = (bytes: Uint8Array | undefined, field: string): DecodedPng | null => {
      if (bytes === undefined) return null;
      if (!(bytes instanceof Uint8Array)) bad(`${field} must be PNG bytes`);
      try {
        return decodeCached(bytes);
      } catch (e) {
        if (e instanceof PngImageError) throw new PngImageError(`${where}, ${field}: ${e.reason}`);
        throw e;
      }
    };
    const prepared: PreparedSignature = {
      role: b.role,
      fullName: name,
      time: vietnamTime(b.signedAt),
      dateLine: viDateLine(b.signedAt),
      certificate: cert ? { subject: cert.subject, issuer: cert.issuer, serial: cert.serial } : null,
      signatureImage: image(b.signatureImage, 'signatureImage'),
      sealImage: image(b.sealImage, 'sealImage'),
    };
    switch (b.role) {
      case 'subject_teacher':
        for (const code of b.subjectCodes!) {
          if (!codes.has(code)) bad(`subject "${String(code)}" is not a row of this record`);
          if (out.bySubject.has(code)) bad(`subject "${code}" is already signed by another block`);
          out.bySubject.set(code, prepared);
        }
        break;
      case 'homeroom_teacher':
        if (out.homeroom) bad('the homeroom teacher already signed (one block only)');
        out.homeroom = prepared;
        break;
      case 'principal':
      case 'vice_principal':
        if (out.leader) bad('the principal (or a vice principal for the principal) already signed (one block only)');
        out.leader = prepared;
        break;
      case 'school_seal':
        if (out.seal) bad('the school seal is already applied (one block only)');
        out.seal = prepared;
        break;
    }
  });
  if (out.seal && !out.leader) throw new SignatureBlockError('the school seal is applied over the principal’s signature: a principal or vice principal block is missing');
  return out;
}

/**
 * The common name of an X.500 distinguished name ("CN=Nguyễn Văn A, O=…" → "Nguyễn Văn A"),
 * or the name itself when it has none: what a reader recognises.
 */
export function shortDn(dn: string): string {
  const m = /(?:^|[,;/+]\s*)CN\s*=\s*((?:\\.|[^,;/+\\])+)/i.exec(dn);
  const v = m ? m[1]! : dn;
  return v.replace(/\\(.)/g, '$1').trim();
}
