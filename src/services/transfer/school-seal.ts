/**
 * The school seal's server-held key, for signing transfer manifests and acknowledgments.
 * As for sealing records, the person re-enters their account password to unlock it; the
 * seal certificate must be valid now (chain, revocation) before anything is signed.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool, inSystem } from '../../db/scope.ts';
import { schools, users } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Signer } from '../../signing/signer.ts';
import { signXades } from '../../signing/xades/index.ts';
import { verifyPassword } from '../auth/password-hash.ts';
import { activeCertificate, checkCertificateNow, type SigningCertificate } from '../certificates/signing-certificates.ts';
import { serverSigner } from '../signing/server-signer.ts';
import { engineError, type SigningEnv } from '../signing/signing-env.ts';
import { TRANSFER_SIGNATURE_CONTAINER, type SchoolRef } from './manifest.ts';

/** The school's code, name and province (deployment-wide table). */
export async function schoolRef(db: Db, schoolId: string): Promise<SchoolRef> {
  const [s] = await inSystem(db, (tx) => tx.select({ code: schools.code, name: schools.name, province: schools.province }).from(schools).where(eq(schools.id, schoolId)));
  if (!s) throw new DomainError('not_found', { what: 'trường / school' });
  return s;
}

/** Checks the password, then opens the seal key; the caller must close() the signer. */
export async function openSchoolSeal(opts: { db: Db; userId: string; schoolId: string; password: string; env: SigningEnv }): Promise<{ signer: Signer; cert: SigningCertificate }> {
  const [u] = await opts.db.select({ passwordHash: users.passwordHash, disabledAt: users.disabledAt }).from(users).where(eq(users.id, opts.userId));
  if (!u || u.disabledAt || !(await verifyPassword(u.passwordHash, opts.password))) throw new DomainError('auth.invalid_credentials');
  const cert = await inSchool(opts.db, opts.schoolId, (tx) => activeCertificate(tx, opts.schoolId, null));
  if (!cert) throw new DomainError('signing.no_certificate', { who: 'con dấu của trường / the school seal' });
  const check = await checkCertificateNow(cert, opts.env.trust);
  if (!check.ok) throw new DomainError('signing.certificate_invalid', { reason: `${check.reason}: ${check.message}` });
  return { signer: await serverSigner(cert, opts.env), cert };
}

/** Signs a transfer document's data element with the seal (XAdES, -T when a TSA is configured). */
export async function sealTransferDocument(opts: { xml: string; dataId: string; signatureId: string; signer: Signer; env: SigningEnv; now: Date; what: string }): Promise<string> {
  try {
    return await signXades({
      xml: opts.xml,
      references: [opts.dataId],
      container: TRANSFER_SIGNATURE_CONTAINER,
      signatureId: opts.signatureId,
      signer: opts.signer,
      signingTime: opts.now,
      claimedRole: 'Văn thư',
      label: opts.what,
      ...(opts.env.timestamp ? { timestamp: opts.env.timestamp } : {}),
    });
  } catch (e) {
    throw engineError(e, opts.what);
  }
}
