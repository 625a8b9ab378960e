/**
 * The registry of signing certificates: which X.509 certificate a staff member (or the
 * school seal) signs records with. Registration is where a certificate is judged — before
 * anyone relies on it at signing time — so every refusal names exactly what is wrong:
 * unreadable file, name not the person's (or the school's), outside its validity period,
 * no signing key usage, weak key/algorithm, no chain to a trust anchor, revoked.
 *
 * Revocation policy (docs/certificates.md): "revoked" always refuses. When the status
 * cannot be learnt (TrustContext.revocation = 'offline', or no OCSP/CRL answer) the
 * certificate is registered with revocationAtRegistration = 'unknown' and a warning, because
 * a school must be able to register while a CA's responder is down; the status is asked
 * again at signing time (checkCertificateNow) and shown on the board.
 *
 * At most one certificate per person / per seal is 'active'; registering a new one marks
 * the earlier one 'replaced' (rows are never deleted: signatures made with them name them).
 */
import 'reflect-metadata';
import { createHash, createPublicKey } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import * as pkijs from 'pkijs';
import type { Db } from '../../db/client.ts';
import { inSchool, inSystem, type Tx } from '../../db/scope.ts';
import { schools, signingCertificates, staff, users } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import { WEAK_SIGNATURE_OIDS } from '../../signing/pki/algorithms.ts';
import { displayName, x509 } from '../../signing/pki/cert-builder.ts';
import { validateChain } from '../../signing/pki/chain.ts';
import { pemBlocks, toArrayBuffer } from '../../signing/pki/der.ts';
import { checkRevocation } from '../../signing/revocation/check-revocation.ts';
import type { RevocationProvider } from '../../signing/signer.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';

/** What a certificate is judged against: trust anchors, extra intermediates, how to learn revocation, the clock. */
export interface TrustContext {
  trustAnchors: Uint8Array[];
  intermediates?: Uint8Array[];
  /** 'offline': revocation is not asked (the result is "unknown", never "good"). */
  revocation: RevocationProvider | 'offline';
  now?: () => Date;
}

/** Where a server-held key lives ('file': demo staff keys, the school seal; 'csc': a remote signing credential). Never the key itself. */
export type KeyRef = { kind: 'file'; path: string } | { kind: 'csc'; baseUrl: string; credentialId: string } | null;

export type CertificateSource = 'upload' | 'agent' | 'csc' | 'demo' | 'server_key';

export interface SigningCertificate {
  id: string;
  schoolId: string;
  /** null = the school seal. */
  userId: string | null;
  /** DER. */
  certificate: Uint8Array;
  /** Intermediates (DER), issuing CA first; the root is not included. */
  chain: Uint8Array[];
  /** sha256 of the DER, lowercase hex. */
  fingerprint: string;
  subject: string;
  commonName: string;
  notBefore: Date;
  notAfter: Date;
  source: CertificateSource;
  keyRef: KeyRef;
  status: 'active' | 'replaced' | 'revoked';
  /** Added: issuer display name, serial (hex), what revocation said at registration, when registered. */
  issuer: string;
  serialNumber: string;
  revocationAtRegistration: 'good' | 'unknown';
  registeredAt: Date;
  registeredBy: string;
  /** Added: set by registerCertificate when it registered despite a problem (revocation not checked). */
  warnings?: string[];
}

export type CertificateCheck =
  | { ok: true }
  | { ok: false; reason: 'expired' | 'not_yet_valid' | 'revoked' | 'untrusted' | 'key_usage' | 'revocation_unknown'; message: string };

/** Largest certificate file accepted (a certificate with its chain is a few KB). */
export const CERTIFICATE_MAX_BYTES = 64 * 1024;

type Row = typeof signingCertificates.$inferSelect;

const b64 = (d: Uint8Array) => Buffer.from(d).toString('base64');
const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

function toModel(r: Row): SigningCertificate {
  return {
    id: r.id,
    schoolId: r.schoolId,
    userId: r.userId,
    certificate: new Uint8Array(r.certificate),
    chain: (r.chain ?? []).map(fromB64),
    fingerprint: r.fingerprint,
    subject: r.subject,
    commonName: r.commonName,
    notBefore: r.notBefore,
    notAfter: r.notAfter,
    source: r.source as CertificateSource,
    keyRef: (r.keyRef ?? null) as KeyRef,
    status: r.status as SigningCertificate['status'],
    issuer: r.issuer,
    serialNumber: r.serialNumber,
    revocationAtRegistration: r.revocationAtRegistration === 'good' ? 'good' : 'unknown',
    registeredAt: r.registeredAt,
    registeredBy: r.registeredBy,
  };
}

/** The fields of a parsed certificate that the registry stores and shows. */
export interface ParsedCertificate {
  der: Uint8Array;
  /** Further certificates found in the same PEM file (taken as the chain). */
  extra: Uint8Array[];
  cert: x509.X509Certificate;
  subject: string;
  issuer: string;
  commonName: string;
  organization: string | null;
  serialNumber: string;
  fingerprint: string;
}

function attr(name: x509.Name, field: 'CN' | 'O'): string | null {
  return name.getField(field)[0] ?? null;
}

/**
 * Parses a certificate file: DER, or PEM (the first CERTIFICATE block is the certificate,
 * any further ones its chain). Throws certificate.unreadable saying why.
 */
export function parseCertificateFile(bytes: Uint8Array): ParsedCertificate {
  if (bytes.length === 0) throw new DomainError('certificate.unreadable', { detail: 'the file is empty' });
  if (bytes.length > CERTIFICATE_MAX_BYTES) throw new DomainError('certificate.unreadable', { detail: `the file is larger than ${CERTIFICATE_MAX_BYTES / 1024} KB` });
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 4096))).toString('latin1');
  let ders: Uint8Array[];
  if (head.includes('-----BEGIN')) {
    const text = Buffer.from(bytes).toString('latin1');
    ders = pemBlocks(text, 'CERTIFICATE');
    if (ders.length === 0) {
      const labels = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]);
      throw new DomainError('certificate.unreadable', { detail: `PEM file without a CERTIFICATE block (found: ${labels.join(', ') || 'none'})` });
    }
  } else {
    if (bytes[0] !== 0x30) throw new DomainError('certificate.unreadable', { detail: 'neither PEM text nor DER (a DER certificate starts with byte 0x30)' });
    ders = [bytes];
  }
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(toArrayBuffer(ders[0]!));
  } catch (err) {
    throw new DomainError('certificate.unreadable', { detail: `the ${ders.length > 1 ? 'first ' : ''}certificate cannot be decoded (${(err as Error).message.slice(0, 120)})` });
  }
  const extra: Uint8Array[] = [];
  for (const [i, d] of ders.slice(1).entries()) {
    try {
      new x509.X509Certificate(toArrayBuffer(d));
    } catch {
      throw new DomainError('certificate.unreadable', { detail: `certificate #${i + 2} in the PEM file cannot be decoded` });
    }
    extra.push(d);
  }
  const der = new Uint8Array(cert.rawData);
  return {
    der,
    extra,
    cert,
    subject: displayName(cert.subjectName),
    issuer: displayName(cert.issuerName),
    commonName: attr(cert.subjectName, 'CN') ?? '',
    organization: attr(cert.subjectName, 'O'),
    serialNumber: cert.serialNumber.toLowerCase(),
    fingerprint: createHash('sha256').update(der).digest('hex'),
  };
}

/** Names compare after NFC, trimming, collapsing spaces and lower-casing; diacritics stay significant. */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('vi');
  return norm(a) !== '' && norm(a) === norm(b);
}

function hasSigningUsage(cert: x509.X509Certificate): boolean {
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  // No keyUsage extension: RFC 5280 puts no restriction; the chain validator agrees.
  if (!ku) return true;
  return (ku.usages & (x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation)) !== 0;
}

/** null when the key and the signature algorithm are acceptable, else what is wrong. */
function weakness(cert: x509.X509Certificate): string | null {
  const key = createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) return `RSA key of ${bits} bits (at least 2048 required)`;
  } else if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? 'unknown';
    if (!['prime256v1', 'secp384r1', 'secp521r1'].includes(curve)) return `EC key on curve ${curve} (P-256, P-384 or P-521 required)`;
  } else {
    return `${key.asymmetricKeyType ?? 'unknown'} key (RSA or ECDSA required)`;
  }
  const weakAlg = WEAK_SIGNATURE_OIDS[sigAlgOid(cert)];
  if (weakAlg) return `signed with ${weakAlg}`;
  return null;
}

/** The signatureAlgorithm OID (@peculiar/x509 only exposes a WebCrypto name for it). */
function sigAlgOid(cert: x509.X509Certificate): string {
  return pkijs.Certificate.fromBER(cert.rawData).signatureAlgorithm.algorithmId;
}

type Judgement =
  | { ok: true; issuerDer: Uint8Array | null; path: Uint8Array[] }
  | { ok: false; reason: 'expired' | 'not_yet_valid' | 'untrusted' | 'key_usage' | 'weak'; error: DomainError; message: string };

/** Validity, key usage, key strength and chain — everything except revocation. */
async function judge(cert: x509.X509Certificate, der: Uint8Array, intermediates: Uint8Array[], trust: TrustContext, now: Date): Promise<Judgement> {
  const subject = displayName(cert.subjectName);
  if (now < cert.notBefore) {
    const error = new DomainError('certificate.not_yet_valid', { subject, date: cert.notBefore.toISOString() });
    return { ok: false, reason: 'not_yet_valid', error, message: error.message };
  }
  if (now > cert.notAfter) {
    const error = new DomainError('certificate.expired', { subject, date: cert.notAfter.toISOString() });
    return { ok: false, reason: 'expired', error, message: error.message };
  }
  if (!hasSigningUsage(cert)) {
    const error = new DomainError('certificate.key_usage', { subject });
    return { ok: false, reason: 'key_usage', error, message: error.message };
  }
  const weak = weakness(cert);
  if (weak) {
    const error = new DomainError('certificate.weak', { subject, detail: weak });
    return { ok: false, reason: 'weak', error, message: error.message };
  }
  if (trust.trustAnchors.length === 0) {
    const error = new DomainError('certificate.untrusted', { subject, detail: 'no trust anchors are configured (HOCBA_TRUST_ANCHORS)' });
    return { ok: false, reason: 'untrusted', error, message: error.message };
  }
  const chain = await validateChain({ certificate: der, intermediates: [...intermediates, ...(trust.intermediates ?? [])], trustAnchors: trust.trustAnchors, atTime: now, requireKeyUsage: 'signing' });
  if (chain.status !== 'passed') {
    if (chain.code === 'weak_key' || chain.code === 'weak_algorithm') {
      const error = new DomainError('certificate.weak', { subject, detail: chain.reason });
      return { ok: false, reason: 'weak', error, message: error.message };
    }
    if (chain.code === 'key_usage') {
      const error = new DomainError('certificate.key_usage', { subject });
      return { ok: false, reason: 'key_usage', error, message: error.message };
    }
    const error = new DomainError('certificate.untrusted', { subject, detail: chain.reason });
    return { ok: false, reason: 'untrusted', error, message: error.message };
  }
  return { ok: true, issuerDer: chain.chain[1] ?? null, path: chain.chain };
}

type RevocationAnswer = { status: 'good' } | { status: 'revoked'; revokedAt: Date; reason: string } | { status: 'unknown'; reason: string };

async function revocationOf(der: Uint8Array, issuer: Uint8Array | null, trust: TrustContext, now: Date): Promise<RevocationAnswer> {
  if (trust.revocation === 'offline') return { status: 'unknown', reason: 'revocation checking is off (offline)' };
  if (!issuer) return { status: 'unknown', reason: 'the certificate is itself a trust anchor' };
  let evidence;
  try {
    evidence = await trust.revocation(der, issuer);
  } catch (err) {
    return { status: 'unknown', reason: `no OCSP/CRL answer: ${(err as Error).message}` };
  }
  const r = await checkRevocation(der, issuer, evidence, now, { now });
  if (r.status === 'revoked') return { status: 'revoked', revokedAt: r.revokedAt ?? now, reason: r.reason };
  if (r.status === 'good') return { status: 'good' };
  return { status: 'unknown', reason: r.reason };
}

function mayRegister(actor: ActorScope, userId: string | null): boolean {
  if (actor.roles.has('system_admin')) return true;
  if (userId === null) return hasPermission(actor.roles, 'seal_certificate.manage');
  return actor.userId === userId && hasPermission(actor.roles, 'own_certificate.manage');
}

/** The name a certificate must carry: the person's full name on the school's staff, or the school's name. */
async function expectedName(db: Db, schoolId: string, userId: string | null): Promise<{ what: string; name: string }> {
  if (userId !== null) {
    const [p] = await inSchool(db, schoolId, (tx) => tx.select({ fullName: staff.fullName }).from(staff).where(and(eq(staff.schoolId, schoolId), eq(staff.userId, userId))));
    if (p) return { what: 'full name', name: p.fullName };
  }
  // schools and users are deployment-wide tables: read outside the school scope.
  return inSystem(db, async (tx) => {
    if (userId === null) {
      const [s] = await tx.select({ name: schools.name }).from(schools).where(eq(schools.id, schoolId));
      if (!s) throw new DomainError('not_found', { what: `school ${schoolId}` });
      return { what: 'school name', name: s.name };
    }
    const [u] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, userId));
    if (!u) throw new DomainError('not_found', { what: `user ${userId}` });
    return { what: 'full name', name: u.name };
  });
}

/**
 * Registers a certificate for a person (`userId`) or the school seal (`userId` null) after
 * checking it (see the module comment) and replaces the previous active one, audited in the
 * same transaction. Registering the certificate that is already active returns it unchanged.
 */
export async function registerCertificate(opts: {
  db: Db;
  actor: ActorScope;
  who: Actor;
  schoolId: string;
  userId: string | null;
  certificate: Uint8Array;
  chain?: Uint8Array[];
  source: SigningCertificate['source'];
  keyRef?: KeyRef;
  trust: TrustContext;
}): Promise<SigningCertificate> {
  if (!mayRegister(opts.actor, opts.userId)) throw new DomainError('forbidden');
  const parsed = parseCertificateFile(opts.certificate);
  const now = opts.trust.now?.() ?? new Date();
  const chainIn = opts.chain && opts.chain.length ? opts.chain : parsed.extra;

  const expected = await expectedName(opts.db, opts.schoolId, opts.userId);
  const nameOk = opts.userId === null ? sameName(parsed.commonName, expected.name) || sameName(parsed.organization ?? '', expected.name) : sameName(parsed.commonName, expected.name);
  if (!nameOk) {
    throw new DomainError('certificate.name_mismatch', { found: parsed.commonName || parsed.subject, expectedWhat: expected.what === 'school name' ? 'tên trường / school name' : 'họ tên / full name', expected: expected.name });
  }
  const verdict = await judge(parsed.cert, parsed.der, chainIn, opts.trust, now);
  if (!verdict.ok) throw verdict.error;
  const revocation = await revocationOf(parsed.der, verdict.issuerDer, opts.trust, now);
  if (revocation.status === 'revoked') throw new DomainError('certificate.revoked', { subject: parsed.subject, date: revocation.revokedAt.toISOString() });
  const warnings = revocation.status === 'unknown' ? [`revocation not checked: ${revocation.reason}`] : [];
  // Store the intermediates the path used (root excluded), so signing can embed them.
  const storedChain = verdict.path.slice(1, -1).length ? verdict.path.slice(1, -1) : chainIn;

  return inSchool(opts.db, opts.schoolId, async (tx) => {
    const ownerWhere = opts.userId === null ? isNull(signingCertificates.userId) : eq(signingCertificates.userId, opts.userId);
    const [before] = await tx.select().from(signingCertificates).where(and(ownerWhere, eq(signingCertificates.status, 'active')));
    if (before && before.fingerprint === parsed.fingerprint && before.source === opts.source && JSON.stringify(before.keyRef ?? null) === JSON.stringify(opts.keyRef ?? null)) {
      return { ...toModel(before), warnings };
    }
    if (before) await tx.update(signingCertificates).set({ status: 'replaced', replacedAt: now }).where(eq(signingCertificates.id, before.id));
    const [row] = await tx
      .insert(signingCertificates)
      .values({
        schoolId: opts.schoolId,
        userId: opts.userId,
        certificate: Buffer.from(parsed.der),
        chain: storedChain.map(b64),
        fingerprint: parsed.fingerprint,
        subject: parsed.subject,
        commonName: parsed.commonName,
        issuer: parsed.issuer,
        serialNumber: parsed.serialNumber,
        notBefore: parsed.cert.notBefore,
        notAfter: parsed.cert.notAfter,
        source: opts.source,
        keyRef: (opts.keyRef ?? null) as Record<string, string> | null,
        status: 'active',
        revocationAtRegistration: revocation.status,
        registeredBy: opts.who.label,
        registeredAt: now,
      })
      .returning();
    const summary = (r: { fingerprint: string; subject: string; serialNumber: string; notAfter: Date; source: string }) => ({
      fingerprint: r.fingerprint,
      subject: r.subject,
      serialNumber: r.serialNumber,
      notAfter: r.notAfter.toISOString(),
      source: r.source,
    });
    await appendAudit(tx, {
      actor: opts.who,
      schoolId: opts.schoolId,
      action: `${opts.userId === null ? 'seal_certificate' : 'signing_certificate'}.${before ? 'replaced' : 'registered'}`,
      targetType: opts.userId === null ? 'school' : 'user',
      targetId: opts.userId ?? opts.schoolId,
      before: before ? summary(before) : null,
      after: { ...summary(row!), revocation: revocation.status, ...(warnings.length ? { warnings } : {}) },
    });
    return { ...toModel(row!), warnings };
  });
}

/** The active certificate of a person (or, with userId null, of the school seal), or null. Call inside inSchool. */
export async function activeCertificate(tx: Tx, schoolId: string, userId: string | null): Promise<SigningCertificate | null> {
  const ownerWhere = userId === null ? isNull(signingCertificates.userId) : eq(signingCertificates.userId, userId);
  const [r] = await tx
    .select()
    .from(signingCertificates)
    .where(and(eq(signingCertificates.schoolId, schoolId), ownerWhere, eq(signingCertificates.status, 'active')));
  return r ? toModel(r) : null;
}

/** Every certificate of a person / the seal, newest first (history for the account page). */
export async function certificateHistory(tx: Tx, schoolId: string, userId: string | null): Promise<SigningCertificate[]> {
  const ownerWhere = userId === null ? isNull(signingCertificates.userId) : eq(signingCertificates.userId, userId);
  const rows = await tx.select().from(signingCertificates).where(and(eq(signingCertificates.schoolId, schoolId), ownerWhere)).orderBy(desc(signingCertificates.registeredAt));
  return rows.map(toModel);
}

/** All active certificates of a school (the board). Call inside inSchool. */
export async function activeCertificates(tx: Tx, schoolId: string): Promise<SigningCertificate[]> {
  const rows = await tx.select().from(signingCertificates).where(and(eq(signingCertificates.schoolId, schoolId), eq(signingCertificates.status, 'active')));
  return rows.map(toModel);
}

/**
 * Whether a registered certificate may sign now: validity, key usage, chain to the trust
 * anchors and revocation. With revocation 'offline' the revocation step is skipped (ok);
 * with a provider that gives no usable answer the result is 'revocation_unknown'.
 */
export async function checkCertificateNow(cert: SigningCertificate, trust: TrustContext): Promise<CertificateCheck> {
  const now = trust.now?.() ?? new Date();
  let parsed: x509.X509Certificate;
  try {
    parsed = new x509.X509Certificate(toArrayBuffer(cert.certificate));
  } catch {
    return { ok: false, reason: 'untrusted', message: `certificate ${cert.id} cannot be decoded` };
  }
  if (cert.status === 'revoked') return { ok: false, reason: 'revoked', message: `The certificate "${cert.subject}" is marked revoked in the registry.` };
  const verdict = await judge(parsed, cert.certificate, cert.chain, trust, now);
  if (!verdict.ok) return { ok: false, reason: verdict.reason === 'weak' ? 'untrusted' : verdict.reason, message: verdict.message };
  if (trust.revocation === 'offline') return { ok: true };
  const r = await revocationOf(cert.certificate, verdict.issuerDer, trust, now);
  if (r.status === 'revoked') return { ok: false, reason: 'revoked', message: new DomainError('certificate.revoked', { subject: cert.subject, date: r.revokedAt.toISOString() }).message };
  if (r.status === 'unknown') return { ok: false, reason: 'revocation_unknown', message: `The revocation status of "${cert.subject}" is unknown: ${r.reason}` };
  return { ok: true };
}

