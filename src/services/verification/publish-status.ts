/**
 * Publishing a school's status list (GET /api/public/status/:school): the current status of
 * every sealed version, signed with the school seal's server-held key. The signed list is
 * reused until its content changes (a version superseded or revoked) or half its validity
 * has passed, so a busy verifier costs one signature per school per half hour at most.
 */
import { createHash } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { recordRevocations, recordVersions } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { verificationCode } from '../../domain/record/verification-code.ts';
import { activeCertificate } from '../certificates/signing-certificates.ts';
import { serverSigner } from '../signing/server-signer.ts';
import type { SigningEnv } from '../signing/signing-env.ts';
import { findSchool } from './local-status.ts';
import { signStatusList, type StatusEntry } from './status-list.ts';

/** How long a published list stays valid (its NextUpdate). */
export const STATUS_LIST_VALIDITY_MS = 60 * 60_000;

const cache = new Map<string, { key: string; issued: number; xml: string }>();

/** The entries of a school: sealed and superseded versions, with revocations and successors. */
export async function statusEntries(db: Db, schoolId: string): Promise<StatusEntry[]> {
  return inSchool(db, schoolId, async (tx) => {
    const rows = await tx
      .select({ id: recordVersions.id, version: recordVersions.version, state: recordVersions.state, digest: recordVersions.digest, supersedesId: recordVersions.supersedesId })
      .from(recordVersions)
      .where(inArray(recordVersions.state, ['sealed', 'superseded']));
    const revs = new Map((await tx.select().from(recordRevocations)).map((r) => [r.versionId, r]));
    const successor = new Map(rows.filter((r) => r.supersedesId).map((r) => [r.supersedesId!, r]));
    return rows.map((r): StatusEntry => {
      const code = verificationCode(r.digest);
      const rev = revs.get(r.id);
      if (rev) return { digest: r.digest, code, version: r.version, status: 'revoked', revokedAt: rev.revokedAt.toISOString(), reason: rev.reason };
      if (r.state === 'superseded') {
        let next = successor.get(r.id);
        while (next && successor.get(next.id)) next = successor.get(next.id);
        return { digest: r.digest, code, version: r.version, status: 'superseded', supersededBy: next ? { version: next.version, code: verificationCode(next.digest) } : undefined };
      }
      return { digest: r.digest, code, version: r.version, status: 'valid' };
    });
  });
}

/**
 * The signed status list of a school (by id or code). not_found when the school does not
 * exist; signing.no_certificate when it has no active seal certificate with a server-held key.
 */
export async function publishStatusList(opts: { db: Db; school: string; env: SigningEnv; now?: Date }): Promise<{ xml: string; schoolId: string }> {
  const school = await findSchool(opts.db, opts.school);
  if (!school) throw new DomainError('not_found', { what: `trường / school ${opts.school}` });
  const now = opts.now ?? new Date();
  const entries = await statusEntries(opts.db, school.id);
  const key = createHash('sha256').update(JSON.stringify([school, entries.sort((a, b) => a.digest.localeCompare(b.digest))])).digest('hex');
  const hit = cache.get(school.id);
  if (hit && hit.key === key && now.getTime() - hit.issued < STATUS_LIST_VALIDITY_MS / 2 && now.getTime() >= hit.issued) return { xml: hit.xml, schoolId: school.id };
  const cert = await inSchool(opts.db, school.id, (tx) => activeCertificate(tx, school.id, null));
  if (!cert) throw new DomainError('signing.no_certificate', { who: `con dấu của ${school.name} / the seal of ${school.name}` });
  const signer = await serverSigner(cert, opts.env);
  let xml: string;
  try {
    const issuedAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
    xml = await signStatusList({ school, issuedAt: issuedAt.toISOString(), nextUpdate: new Date(issuedAt.getTime() + STATUS_LIST_VALIDITY_MS).toISOString(), entries }, signer, { now: issuedAt });
  } finally {
    await signer.close?.();
  }
  cache.set(school.id, { key, issued: now.getTime(), xml });
  return { xml, schoolId: school.id };
}

/** Forgets the cached list of a school (after a revocation, so the next fetch shows it at once). */
export function forgetStatusList(schoolId: string): void {
  cache.delete(schoolId);
}
