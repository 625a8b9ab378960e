/**
 * Share links (đường dẫn chia sẻ): the student, a parent or authorised staff make a link to
 * one sealed version, valid until a chosen day (at most MAX_SHARE_DAYS) unless revoked.
 * Whoever holds the link may view and download that version without signing in. The token
 * is 256 random bits; only its sha256 is stored. Creating and opening are both logged.
 */
import { assertRealSchool } from '../practice/practice-school.ts';
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, inSystem } from '../../db/scope.ts';
import { enrolments, recordVersions, schools, shareLinks } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { canReadStudentRecord, hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import type { CreatedShareLinkView, SharedRecordView, ShareLinkView } from '../../server/api-types.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import type { Tx } from '../../db/scope.ts';
import { recordIssuedCopy } from './issued-copies.ts';
import { actingRole, assertIssuable, copyFileName, loadVersionFacts, sealedPdfOf, signedXmlOf, type IssuableVersion } from './version-copy.ts';

export const MAX_SHARE_DAYS = 90;
/** base64url of 32 random bytes. */
export const SHARE_TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

/** Vietnam local time for messages: "29/11/2026 07:42". */
function vnTime(d: Date): string {
  const v = new Date(d.getTime() + 7 * 3_600_000).toISOString();
  return `${v.slice(8, 10)}/${v.slice(5, 7)}/${v.slice(0, 4)} ${v.slice(11, 16)}`;
}

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** The student or parent of the record, or staff who may issue copies and read the student's class. */
async function assertMayShare(tx: Tx, actor: ActorScope, studentId: string): Promise<void> {
  if (actor.studentIds.has(studentId)) return;
  if (!hasPermission(actor.roles, 'records.issue_copy')) throw new DomainError('forbidden');
  const [e] = await tx.select({ classId: enrolments.classId }).from(enrolments).where(and(eq(enrolments.studentId, studentId), eq(enrolments.status, 'active')));
  if (!canReadStudentRecord(actor, studentId, e?.classId ?? null)) throw new DomainError('forbidden');
}

/** A version the person may share, or not_found for one they may not even know of (another family's). */
async function versionFor(tx: Tx, actor: ActorScope, versionId: string): Promise<IssuableVersion> {
  const v = await loadVersionFacts(tx, versionId);
  if (actor.studentIds.has(v.studentId)) return v;
  if (!hasPermission(actor.roles, 'records.issue_copy')) throw new DomainError('not_found', { what: `bản học bạ ${versionId} / record version ${versionId}` });
  await assertMayShare(tx, actor, v.studentId);
  return v;
}

function present(r: typeof shareLinks.$inferSelect & { version: number; opens: number }, actor: ActorScope, now: Date): ShareLinkView {
  const status = r.revokedAt ? 'revoked' : r.expiresAt <= now ? 'expired' : 'active';
  return {
    id: r.id,
    versionId: r.versionId,
    version: r.version,
    purpose: r.purpose,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdByLabel,
    expiresAt: r.expiresAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
    status,
    opens: r.opens,
    canRevoke: status === 'active' && (r.createdBy === actor.userId || actor.studentIds.has(r.studentId) || hasPermission(actor.roles, 'records.issue_copy')),
  };
}

async function linksWhere(tx: Tx, where: ReturnType<typeof eq>) {
  return tx
    .select({
      link: shareLinks,
      version: recordVersions.version,
      opens: sql<number>`(select count(*)::int from issued_copies i where i.share_link_id = "share_links"."id" and i.channel = 'share_link_opened')`,
    })
    .from(shareLinks)
    .innerJoin(recordVersions, eq(recordVersions.id, shareLinks.versionId))
    .where(where)
    .orderBy(desc(shareLinks.createdAt));
}

export interface CreateShareLinkOptions {
  db: Db;
  actor: ActorScope;
  who: Actor;
  schoolId: string;
  versionId: string;
  /** 1..MAX_SHARE_DAYS days from now. */
  expiresInDays: number;
  purpose?: string | null;
  /** Where people reach the platform (the link is `${publicUrl}/share/<token>`). */
  publicUrl: string;
  now?: Date;
}

/** Makes a link to one sealed version; the token appears only in the returned URL. */
export async function createShareLink(opts: CreateShareLinkOptions): Promise<CreatedShareLinkView> {
  await assertRealSchool(opts.db, opts.schoolId, { vi: 'chia sẻ học bạ ra ngoài', en: 'share records outside the school' });
  const days = opts.expiresInDays;
  if (!Number.isInteger(days) || days < 1 || days > MAX_SHARE_DAYS) {
    throw new DomainError('validation', { summary: `expiresInDays ${days}` }, [{ path: 'expiresInDays', message: `Thời hạn từ 1 đến ${MAX_SHARE_DAYS} ngày / between 1 and ${MAX_SHARE_DAYS} days` }]);
  }
  const purpose = opts.purpose?.normalize('NFC').replace(/\s+/g, ' ').trim() || null;
  const now = opts.now ?? new Date();
  const token = randomBytes(32).toString('base64url');
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const v = await versionFor(tx, opts.actor, opts.versionId);
    if (v.state !== 'sealed') throw new DomainError('access.not_sealed', { version: v.version, state: v.state });
    const role = actingRole(opts.actor, v.studentId);
    const [row] = await tx
      .insert(shareLinks)
      .values({
        schoolId: opts.schoolId,
        versionId: v.id,
        studentId: v.studentId,
        tokenHash: hashToken(token),
        purpose,
        createdBy: opts.who.userId!,
        createdByLabel: opts.who.label,
        createdByRole: role,
        createdAt: now,
        expiresAt: new Date(now.getTime() + days * 86_400_000),
      })
      .returning();
    await recordIssuedCopy(tx, { schoolId: opts.schoolId, versionId: v.id, studentId: v.studentId, channel: 'share_link_created', actorUserId: opts.who.userId, actorLabel: opts.who.label, actorRole: role, purpose, shareLinkId: row!.id });
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'share_link.created', targetType: 'record_version', targetId: v.id, after: { shareLinkId: row!.id, expiresAt: row!.expiresAt, purpose } });
    return { link: present({ ...row!, version: v.version, opens: 0 }, opts.actor, now), url: `${opts.publicUrl.replace(/\/+$/, '')}/share/${token}` };
  });
}

/** The links of one version that the person may see (the family: all of their child's; staff with issue rights: all). */
export async function listShareLinks(opts: { db: Db; actor: ActorScope; schoolId: string; versionId: string; now?: Date }): Promise<ShareLinkView[]> {
  const now = opts.now ?? new Date();
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    await versionFor(tx, opts.actor, opts.versionId);
    const rows = await linksWhere(tx, eq(shareLinks.versionId, opts.versionId));
    return rows.map((r) => present({ ...r.link, version: r.version, opens: Number(r.opens) }, opts.actor, now));
  });
}

/** Revokes a link: its creator, the student / parent, or staff with issue rights over the student. */
export async function revokeShareLink(opts: { db: Db; actor: ActorScope; who: Actor; schoolId: string; linkId: string; now?: Date }): Promise<ShareLinkView> {
  const now = opts.now ?? new Date();
  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const [found] = await linksWhere(tx, eq(shareLinks.id, opts.linkId));
    const link = found?.link;
    const mine = link && (link.createdBy === opts.actor.userId || opts.actor.studentIds.has(link.studentId));
    if (!link || (!mine && !hasPermission(opts.actor.roles, 'records.issue_copy'))) throw new DomainError('not_found', { what: `đường dẫn chia sẻ ${opts.linkId} / share link ${opts.linkId}` });
    if (!mine) await assertMayShare(tx, opts.actor, link.studentId);
    if (link.revokedAt) return present({ ...link, version: found.version, opens: Number(found.opens) }, opts.actor, now);
    const [row] = await tx.update(shareLinks).set({ revokedAt: now, revokedBy: opts.who.userId }).where(eq(shareLinks.id, link.id)).returning();
    await appendAudit(tx, { actor: opts.who, schoolId: opts.schoolId, action: 'share_link.revoked', targetType: 'record_version', targetId: link.versionId, after: { shareLinkId: link.id } });
    return present({ ...row!, version: found.version, opens: Number(found.opens) }, opts.actor, now);
  });
}

interface ResolvedLink {
  link: typeof shareLinks.$inferSelect;
  schoolName: string;
}

/** Finds a live link by its token (system scope: the token names no school), or explains why not. */
async function resolve(db: Db, token: string, now: Date): Promise<ResolvedLink> {
  if (!SHARE_TOKEN_RE.test(token)) throw new DomainError('share.invalid');
  const found = await inSystem(db, async (tx) =>
    tx.select({ link: shareLinks, schoolName: schools.name }).from(shareLinks).innerJoin(schools, eq(schools.id, shareLinks.schoolId)).where(eq(shareLinks.tokenHash, hashToken(token))),
  );
  const r = found[0];
  if (!r) throw new DomainError('share.invalid');
  if (r.link.revokedAt) throw new DomainError('share.revoked', { at: vnTime(r.link.revokedAt) });
  if (r.link.expiresAt <= now) throw new DomainError('share.expired', { at: vnTime(r.link.expiresAt) });
  return r;
}

/** What the holder of a link sees about the record (not logged: the files are). */
export async function openShareLink(opts: { db: Db; token: string; now?: Date }): Promise<SharedRecordView> {
  const r = await resolve(opts.db, opts.token, opts.now ?? new Date());
  return inSchool(opts.db, r.link.schoolId, async (tx) => {
    const v = await loadVersionFacts(tx, r.link.versionId);
    const pdf = await sealedPdfOf(tx, v);
    const [succ] = await tx.select({ version: recordVersions.version }).from(recordVersions).where(and(eq(recordVersions.supersedesId, v.id), eq(recordVersions.state, 'sealed')));
    return {
      schoolName: r.schoolName,
      studentName: v.studentName,
      schoolYear: v.schoolYear,
      version: v.version,
      state: v.state,
      successorVersion: succ?.version ?? null,
      purpose: r.link.purpose,
      expiresAt: r.link.expiresAt.toISOString(),
      sha256: pdf.sha256,
    };
  });
}

/** A file through a link (PDF shown or downloaded, or the signed XML); each one is logged as opened. */
export async function shareLinkFile(opts: { db: Db; token: string; format: 'pdf' | 'xml'; now?: Date }): Promise<{ body: Buffer | string; fileName: string; sha256: string | null }> {
  const r = await resolve(opts.db, opts.token, opts.now ?? new Date());
  return inSchool(opts.db, r.link.schoolId, async (tx) => {
    const v = await loadVersionFacts(tx, r.link.versionId);
    assertIssuable(v);
    const body = opts.format === 'pdf' ? await sealedPdfOf(tx, v) : { pdf: await signedXmlOf(tx, v), sha256: null };
    await recordIssuedCopy(tx, {
      schoolId: r.link.schoolId,
      versionId: v.id,
      studentId: v.studentId,
      channel: 'share_link_opened',
      actorUserId: null,
      actorLabel: `Mở qua đường dẫn chia sẻ — ${opts.format.toUpperCase()}`,
      actorRole: 'share_link',
      purpose: r.link.purpose,
      shareLinkId: r.link.id,
    });
    return { body: body.pdf, fileName: copyFileName(v, opts.format), sha256: body.sha256 };
  });
}
