/**
 * What this deployment knows about a record version, across all its schools (the public page
 * has no school scope): looked up by the canonical digest (a document) or by the printed
 * verification code, with its current status — valid (sealed), superseded by version N
 * (the newest sealed successor), revoked (reason, date) — and its stored signed XML and PDF.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSystem } from '../../db/scope.ts';
import { recordRevocations, recordVersions, schools } from '../../db/schema.ts';
import { normaliseVerificationCode, verificationCode } from '../../domain/record/verification-code.ts';
import type { RecordStatusView } from '../../server/api-types.ts';
import { currentSignedXml, sealedPdfOf } from '../records/document-store.ts';
import { verificationOf } from '../records/render-version.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export interface LocalRecord {
  schoolId: string;
  versionId: string;
  version: number;
  state: string;
  digest: string;
  status: RecordStatusView;
  /** The newest signed XML of the version (its last record_signatures row), null when unsigned. */
  signedXml: string | null;
}

/** The first 12 hex digits of the digests a code can come from (the code is the digest's first 50 bits). */
export function digestPrefixOf(code: string): string {
  const c = code.replace(/-/g, '');
  let bits = 0n;
  for (const ch of c) bits = (bits << 5n) | BigInt(ALPHABET.indexOf(ch));
  return (bits >> 2n).toString(16).padStart(12, '0');
}

type VersionRow = typeof recordVersions.$inferSelect;

async function statusOf(tx: Parameters<Parameters<typeof inSystem>[1]>[0], v: Pick<VersionRow, 'id' | 'version' | 'state' | 'digest' | 'schoolId'>, publicUrl: string): Promise<RecordStatusView> {
  const base = { source: 'local' as const, version: v.version, supersededBy: null, revocation: null, statusList: null };
  const [school] = await tx.select({ practiceOf: schools.practiceOfSchoolId }).from(schools).where(eq(schools.id, v.schoolId));
  if (school?.practiceOf) {
    return { ...base, state: 'practice', reason: `version ${v.version} belongs to a practice school (a rehearsal with test certificates): it is not a real record and has no legal value` };
  }
  const [rev] = await tx.select().from(recordRevocations).where(eq(recordRevocations.versionId, v.id));
  if (rev) {
    return { ...base, state: 'revoked', reason: `version ${v.version} was revoked by the school on ${rev.revokedAt.toISOString()}: ${rev.reason}`, revocation: { reason: rev.reason, revokedAt: rev.revokedAt.toISOString() } };
  }
  if (v.state === 'superseded') {
    // Follow supersedes_id forward to the newest sealed successor.
    let current = v.id;
    let newest: { version: number; digest: string } | null = null;
    for (let i = 0; i < 100; i++) {
      const [next] = await tx.select({ id: recordVersions.id, version: recordVersions.version, state: recordVersions.state, digest: recordVersions.digest }).from(recordVersions).where(eq(recordVersions.supersedesId, current)).orderBy(desc(recordVersions.version)).limit(1);
      if (!next) break;
      if (next.state === 'sealed' || next.state === 'superseded') newest = next;
      current = next.id;
    }
    const by = newest ? { version: newest.version, ...verificationOf(newest.digest, publicUrl) } : null;
    return { ...base, state: 'superseded', reason: by ? `version ${v.version} was replaced by version ${by.version} (code ${by.code})` : `version ${v.version} was replaced by a newer version`, supersededBy: by };
  }
  if (v.state === 'sealed') return { ...base, state: 'valid', reason: `version ${v.version} is the school's current sealed version of this record` };
  return { ...base, state: 'unknown', reason: `version ${v.version} is not sealed (state ${v.state}): it is not a finished record` };
}

async function withXml(tx: Parameters<Parameters<typeof inSystem>[1]>[0], v: VersionRow, publicUrl: string): Promise<LocalRecord> {
  const sig = (await currentSignedXml(tx, [v.id])).get(v.id);
  return { schoolId: v.schoolId, versionId: v.id, version: v.version, state: v.state, digest: v.digest, status: await statusOf(tx, v, publicUrl), signedXml: sig?.xml ?? null };
}

/** The version of this deployment whose canonical XML has this digest (the newest one if several); null when none. */
export async function localRecordByDigest(db: Db, digest: string, publicUrl: string): Promise<LocalRecord | null> {
  return inSystem(db, async (tx) => {
    const [v] = await tx.select().from(recordVersions).where(eq(recordVersions.digest, digest)).orderBy(desc(recordVersions.version)).limit(1);
    return v ? withXml(tx, v, publicUrl) : null;
  });
}

/**
 * The sealed (or since superseded) version a printed code names, with its stored PDF; null
 * when the code is malformed or names nothing sealed here.
 */
export async function sealedRecordByCode(db: Db, typed: string, publicUrl: string): Promise<(LocalRecord & { pdf: Buffer }) | null> {
  const code = normaliseVerificationCode(typed);
  if (!code) return null;
  return inSystem(db, async (tx) => {
    const rows = await tx
      .select()
      .from(recordVersions)
      .where(and(sql`left(${recordVersions.digest}, 12) = ${digestPrefixOf(code)}`, inArray(recordVersions.state, ['sealed', 'superseded'])))
      .orderBy(desc(recordVersions.version));
    for (const v of rows.filter((r) => verificationCode(r.digest) === code)) {
      const pdf = await sealedPdfOf(tx, v.id);
      if (pdf) return { ...(await withXml(tx, v, publicUrl)), pdf: pdf.pdf };
    }
    return null;
  });
}

/** A school by id or by its code (the code is what a record names). */
export async function findSchool(db: Db, idOrCode: string): Promise<{ id: string; code: string; name: string } | null> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrCode);
  return inSystem(db, async (tx) => {
    const [s] = await tx.select({ id: schools.id, code: schools.code, name: schools.name }).from(schools).where(isUuid ? eq(schools.id, idOrCode) : eq(schools.code, idOrCode));
    return s ?? null;
  });
}
