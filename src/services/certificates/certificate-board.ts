/**
 * The certificate board: every person who must sign this school year's records — subject
 * teachers (GVBM) and homeroom teachers (GVCN) with an assignment in the current year, the
 * principal, the vice principals (who sign on delegation) — and the school seal, each with
 * how their certificate stands: none / valid / expires before their signing deadline /
 * expired / not yet valid / revoked / revocation unknown / untrusted.
 *
 * Signing deadlines (DOMAIN.md §1) default to 15 June (GVBM), 20 June (GVCN), 25 June
 * (principal, vice principal) and 30 June (seal) of the year the school year ends; env
 * HOCBA_SIGNING_DEADLINES="gvbm=06-15,gvcn=06-20,principal=06-25,seal=06-30" overrides them.
 * A person with several duties must hold a certificate valid through the latest of them.
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, inSystem, type Tx } from '../../db/scope.ts';
import { classes, classSubjects, homeroomAssignments, roleGrants, schools, schoolYears, staff, users } from '../../db/schema.ts';
import type { Lang } from '../../domain/errors.ts';
import type { CertificateBoardResponse, CertificateBoardRow, CertificateCardResponse, CertificateStanding, CertificateView } from '../../server/api-types.ts';
import { activeCertificate, activeCertificates, certificateHistory, checkCertificateNow, type SigningCertificate, type TrustContext } from './signing-certificates.ts';

export type Duty = 'gvbm' | 'gvcn' | 'principal' | 'vice_principal' | 'seal';

const DEFAULT_DEADLINES: Record<Duty, string> = { gvbm: '06-15', gvcn: '06-20', principal: '06-25', vice_principal: '06-25', seal: '06-30' };

/** Month-day deadlines per duty, from env HOCBA_SIGNING_DEADLINES over the defaults. */
export function signingDeadlines(env: NodeJS.ProcessEnv = process.env): Record<Duty, string> {
  const out = { ...DEFAULT_DEADLINES };
  for (const part of (env.HOCBA_SIGNING_DEADLINES ?? '').split(',')) {
    const m = /^\s*(gvbm|gvcn|principal|vice_principal|seal)\s*=\s*(\d{2}-\d{2})\s*$/.exec(part);
    if (m) {
      out[m[1] as Duty] = m[2]!;
      if (m[1] === 'principal' && !/vice_principal=/.test(env.HOCBA_SIGNING_DEADLINES ?? '')) out.vice_principal = m[2]!;
    }
  }
  return out;
}

/** The deadline date (YYYY-MM-DD) for a set of duties in a school year ending in `endYear`. */
export function deadlineFor(duties: Duty[], endYear: number, deadlines = signingDeadlines()): string {
  const days = duties.map((d) => deadlines[d]).sort();
  return `${endYear}-${days[days.length - 1] ?? deadlines.seal}`;
}

/** The UI view of a certificate (no key material; whether a server-held key goes with it). */
export function certificateView(c: SigningCertificate): CertificateView {
  return {
    id: c.id,
    subject: c.subject,
    commonName: c.commonName,
    issuer: c.issuer,
    serialNumber: c.serialNumber,
    fingerprint: c.fingerprint,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    source: c.source,
    status: c.status,
    revocationAtRegistration: c.revocationAtRegistration,
    registeredAt: c.registeredAt.toISOString(),
    registeredBy: c.registeredBy,
    serverKey: c.keyRef?.kind ?? null,
  };
}

const MESSAGES: Record<Exclude<CertificateStanding, 'valid'>, { vi: string; en: string }> = {
  none: { vi: 'Chưa đăng ký chứng thư số.', en: 'No signing certificate registered.' },
  expires_before_deadline: { vi: 'Chứng thư hết hạn ngày {date}, trước hạn ký {deadline}.', en: 'The certificate expires on {date}, before the signing deadline {deadline}.' },
  expired: { vi: 'Chứng thư đã hết hạn ngày {date}.', en: 'The certificate expired on {date}.' },
  not_yet_valid: { vi: 'Chứng thư chưa có hiệu lực (từ {date}).', en: 'The certificate is not valid yet (from {date}).' },
  revoked: { vi: 'Chứng thư đã bị thu hồi.', en: 'The certificate has been revoked.' },
  revocation_unknown: { vi: 'Chưa xác minh được tình trạng thu hồi (OCSP/CRL không trả lời).', en: 'Revocation status unknown (no OCSP/CRL answer).' },
  untrusted: { vi: 'Chứng thư không chuỗi về tổ chức chứng thực tin cậy.', en: 'The certificate does not chain to a trusted certification authority.' },
};

function say(standing: Exclude<CertificateStanding, 'valid'>, lang: Lang, params: Record<string, string>): string {
  return MESSAGES[standing][lang].replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? `{${k}}`);
}

/** How a certificate stands now against a deadline (YYYY-MM-DD, end of that day in Vietnam). */
export async function standingOf(cert: SigningCertificate | null, deadline: string | null, trust: TrustContext, lang: Lang): Promise<{ standing: CertificateStanding; message: string | null }> {
  if (!cert) return { standing: 'none', message: say('none', lang, {}) };
  const date = cert.notAfter.toISOString().slice(0, 10);
  const check = await checkCertificateNow(cert, trust);
  if (!check.ok) {
    const standing: CertificateStanding = check.reason === 'key_usage' ? 'untrusted' : check.reason;
    const params = { date: standing === 'not_yet_valid' ? cert.notBefore.toISOString().slice(0, 10) : date };
    // The detailed reason (which certificate, which CA) is kept in English beside the summary.
    return { standing, message: `${say(standing, lang, params)}${standing === 'untrusted' || standing === 'revocation_unknown' ? ` (${check.message})` : ''}` };
  }
  if (deadline && cert.notAfter.getTime() < new Date(`${deadline}T23:59:59+07:00`).getTime()) {
    return { standing: 'expires_before_deadline', message: say('expires_before_deadline', lang, { date, deadline }) };
  }
  return { standing: 'valid', message: null };
}

/** Runs fn over items with at most `n` in flight (revocation checks go over HTTP). */
async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

interface Signer {
  userId: string;
  fullName: string;
  username: string;
  duties: Set<Duty>;
}

async function currentYear(tx: Tx, schoolId: string) {
  const [y] = await tx.select().from(schoolYears).where(and(eq(schoolYears.schoolId, schoolId), eq(schoolYears.isCurrent, true)));
  return y ?? null;
}

/** Who must sign this school year and with which duties (see the module comment). */
export async function signersOfYear(db: Db, schoolId: string): Promise<{ year: { name: string; endYear: number } | null; signers: Signer[] }> {
  const people = new Map<string, Signer>();
  const add = (p: { userId: string | null; fullName: string }, duty: Duty) => {
    if (!p.userId) return;
    let s = people.get(p.userId);
    if (!s) people.set(p.userId, (s = { userId: p.userId, fullName: p.fullName, username: '', duties: new Set() }));
    s.duties.add(duty);
  };
  const { year, staffRows } = await inSchool(db, schoolId, async (tx) => {
    const year = await currentYear(tx, schoolId);
    if (year) {
      const gvbm = await tx
        .selectDistinct({ userId: staff.userId, fullName: staff.fullName })
        .from(classSubjects)
        .innerJoin(classes, eq(classes.id, classSubjects.classId))
        .innerJoin(staff, eq(staff.id, classSubjects.teacherStaffId))
        .where(and(eq(classSubjects.schoolId, schoolId), eq(classes.schoolYearId, year.id), isNotNull(classSubjects.teacherStaffId)));
      for (const p of gvbm) add(p, 'gvbm');
      const gvcn = await tx
        .selectDistinct({ userId: staff.userId, fullName: staff.fullName })
        .from(homeroomAssignments)
        .innerJoin(classes, eq(classes.id, homeroomAssignments.classId))
        .innerJoin(staff, eq(staff.id, homeroomAssignments.staffId))
        .where(and(eq(homeroomAssignments.schoolId, schoolId), eq(classes.schoolYearId, year.id)));
      for (const p of gvcn) add(p, 'gvcn');
    }
    const staffRows = await tx.select({ userId: staff.userId, fullName: staff.fullName }).from(staff).where(and(eq(staff.schoolId, schoolId), isNotNull(staff.userId)));
    return { year, staffRows };
  });
  // Role grants and usernames are deployment-wide: read outside the school scope.
  const grants = await inSystem(db, (tx) =>
    tx
      .select({ userId: roleGrants.userId, role: roleGrants.role, username: users.username, displayName: users.displayName, disabledAt: users.disabledAt })
      .from(roleGrants)
      .innerJoin(users, eq(users.id, roleGrants.userId))
      .where(and(eq(roleGrants.schoolId, schoolId))),
  );
  const nameOf = new Map(staffRows.map((s) => [s.userId, s.fullName]));
  for (const g of grants) {
    if ((g.role === 'principal' || g.role === 'vice_principal') && !g.disabledAt) add({ userId: g.userId, fullName: nameOf.get(g.userId) ?? g.displayName }, g.role);
  }
  const username = new Map(grants.map((g) => [g.userId, g.username]));
  for (const p of people.values()) p.username = username.get(p.userId) ?? '';
  const endYear = year ? Number(String(year.endsOn).slice(0, 4)) : new Date().getFullYear();
  return { year: year ? { name: year.name, endYear } : null, signers: [...people.values()].sort((x, y) => x.fullName.localeCompare(y.fullName, 'vi')) };
}

const DUTY_ORDER: Duty[] = ['principal', 'vice_principal', 'gvcn', 'gvbm', 'seal'];

/** The board for a school (principal, vice principal, school admin). */
export async function certificateBoard(opts: { db: Db; schoolId: string; schoolName?: string; trust: TrustContext; lang: Lang }): Promise<CertificateBoardResponse> {
  const { year, signers } = await signersOfYear(opts.db, opts.schoolId);
  const certs = await inSchool(opts.db, opts.schoolId, (tx) => activeCertificates(tx, opts.schoolId));
  const [school] = await inSystem(opts.db, (tx) => tx.select({ name: schools.name }).from(schools).where(eq(schools.id, opts.schoolId)));
  const schoolName = school?.name ?? '';
  const endYear = year?.endYear ?? new Date().getFullYear();
  const byUser = new Map(certs.map((c) => [c.userId, c]));
  const entries: Array<{ kind: 'person' | 'seal'; userId: string | null; fullName: string; username: string | null; duties: Duty[] }> = [
    ...signers.map((s) => ({ kind: 'person' as const, userId: s.userId, fullName: s.fullName, username: s.username, duties: DUTY_ORDER.filter((d) => s.duties.has(d)) })),
    { kind: 'seal', userId: null, fullName: schoolName, username: null, duties: ['seal'] },
  ];
  const rows: CertificateBoardRow[] = await pool(entries, 8, async (e) => {
    const cert = byUser.get(e.userId) ?? null;
    const deadline = deadlineFor(e.duties, endYear);
    const s = await standingOf(cert, deadline, opts.trust, opts.lang);
    return { ...e, deadline, standing: s.standing, message: s.message, certificate: cert ? certificateView(cert) : null };
  });
  const counts = Object.fromEntries((['none', 'valid', 'expires_before_deadline', 'expired', 'not_yet_valid', 'revoked', 'revocation_unknown', 'untrusted'] as CertificateStanding[]).map((k) => [k, 0])) as Record<CertificateStanding, number>;
  for (const r of rows) counts[r.standing]++;
  return { schoolYear: year?.name ?? null, rows, counts };
}

/** "My certificate" / the seal card: the active certificate, how it stands, and its history. */
export async function certificateCard(opts: { db: Db; schoolId: string; userId: string | null; trust: TrustContext; lang: Lang; warnings?: string[] }): Promise<CertificateCardResponse> {
  const { cert, history, yearRow } = await inSchool(opts.db, opts.schoolId, async (tx) => ({
    cert: await activeCertificate(tx, opts.schoolId, opts.userId),
    history: await certificateHistory(tx, opts.schoolId, opts.userId),
    yearRow: await currentYear(tx, opts.schoolId),
  }));
  let duties: Duty[] = ['seal'];
  let endYear = yearRow ? Number(String(yearRow.endsOn).slice(0, 4)) : new Date().getFullYear();
  if (opts.userId !== null) {
    const s = await signersOfYear(opts.db, opts.schoolId);
    endYear = s.year?.endYear ?? endYear;
    duties = [...(s.signers.find((p) => p.userId === opts.userId)?.duties ?? [])];
  }
  const deadline = duties.length ? deadlineFor(duties, endYear) : null;
  const s = await standingOf(cert, deadline, opts.trust, opts.lang);
  return {
    certificate: cert ? certificateView(cert) : null,
    standing: s.standing,
    message: s.message,
    deadline,
    history: history.map(certificateView),
    ...(opts.warnings?.length ? { warnings: opts.warnings } : {}),
  };
}

