/**
 * A complete TEST public key infrastructure: root CA → issuing CA → person / seal
 * certificates, a TSA certificate, a delegated OCSP responder, CRLs, an OCSP responder and
 * an RFC 3161 time-stamping authority. For tests, the demo and `hocba pki demo` ONLY:
 * every name says TEST and the keys sit unprotected on disk. Production trust anchors come
 * from HOCBA_TRUST_ANCHORS (see trust-anchors.ts and docs/pki.md).
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueCertificate, displayName, x509, type IssuerKey } from './cert-builder.ts';
import { buildCrl } from './crl-builder.ts';
import { derOf, toArrayBuffer, toPem } from './der.ts';
import { generateKeyPair, importPrivateKey, keyTypeOfPkcs8, type KeyType } from './keys.ts';
import { respondOcsp } from './ocsp-responder.ts';
import { respondTimestamp, TEST_TSA_POLICY } from './tsa-responder.ts';
import type { IssueOptions, PkiIdentity, RevocationEntry, TestPki } from './test-pki-types.ts';

export type { IssueOptions, PkiIdentity, RevocationEntry, RevocationReason, TestPki } from './test-pki-types.ts';

const DAY = 86_400_000;
const STATE_FILE = 'state.json';
const ROLES = ['root', 'issuing', 'tsa', 'ocsp'] as const;

interface Held {
  id: PkiIdentity;
  cert: x509.X509Certificate;
  key: CryptoKey;
}

function identityOf(cert: x509.X509Certificate, pkcs8: Uint8Array, keyType: KeyType, chainRest: Uint8Array[]): PkiIdentity {
  const der = new Uint8Array(cert.rawData);
  return {
    certificate: der,
    privateKey: pkcs8,
    chain: [der, ...chainRest],
    certificatePem: toPem(der, 'CERTIFICATE'),
    privateKeyPem: toPem(pkcs8, 'PRIVATE KEY'),
    subject: displayName(cert.subjectName),
    serialNumber: cert.serialNumber.toLowerCase(),
    keyType,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  };
}

async function hold(id: PkiIdentity): Promise<Held> {
  return { id, cert: new x509.X509Certificate(toArrayBuffer(id.certificate)), key: await importPrivateKey(id.privateKey, id.keyType) };
}

interface State {
  label: string;
  baseUrl: string | null;
  crlNumber: number;
  revocations: RevocationEntry[];
}

class TestPkiImpl implements TestPki {
  readonly tsaPolicy = TEST_TSA_POLICY;
  constructor(
    private readonly held: Record<(typeof ROLES)[number], Held>,
    private state: State,
  ) {}

  get root() { return this.held.root.id; }
  get issuing() { return this.held.issuing.id; }
  get tsa() { return this.held.tsa.id; }
  get ocspResponder() { return this.held.ocsp.id; }
  get baseUrl() { return this.state.baseUrl; }
  get label() { return this.state.label; }

  private issuerKey(role: 'root' | 'issuing'): IssuerKey & { certificate: x509.X509Certificate } {
    const h = this.held[role];
    return { certificate: h.cert, privateKey: h.key, keyType: h.id.keyType };
  }

  async issue(opts: IssueOptions): Promise<PkiIdentity> {
    const keyType = opts.keyType ?? 'rsa-2048';
    const pair = await generateKeyPair(keyType);
    const issuer = this.issuerKey('issuing');
    if (opts.signatureHash === 'SHA-1') issuer.privateKey = await importPrivateKey(this.issuing.privateKey, this.issuing.keyType, 'SHA-1');
    const now = Date.now();
    const cert = await issueCertificate({
      subject: {
        country: opts.country ?? 'VN',
        organization: opts.kind === 'seal' ? (opts.organization ?? opts.commonName) : opts.organization,
        organizationalUnit: opts.organizationalUnit,
        commonName: opts.commonName,
        serialNumber: opts.serialNumber,
        uid: opts.uid,
        email: opts.email,
      },
      publicKey: pair.publicKey,
      issuer,
      profile: opts.kind === 'seal' ? 'seal' : 'person',
      notBefore: opts.notBefore ?? new Date(now - 3_600_000),
      notAfter: opts.notAfter ?? new Date(now + 2 * 365 * DAY),
      keyUsages: opts.keyUsages,
      email: opts.email,
      hash: opts.signatureHash ?? 'SHA-256',
      ...this.urls(''),
    });
    return identityOf(cert, pair.pkcs8, keyType, [this.issuing.certificate]);
  }

  private urls(suffix: string): { ocspUrl?: string; crlUrl?: string } {
    return this.state.baseUrl ? { ocspUrl: `${this.state.baseUrl}/ocsp`, crlUrl: `${this.state.baseUrl}/crl${suffix}` } : {};
  }

  revoke(certificate: Uint8Array, opts: { date?: Date; reason?: number } = {}): void {
    const cert = new x509.X509Certificate(toArrayBuffer(certificate));
    const issuer = cert.issuer === this.held.issuing.cert.subject ? 'issuing' : cert.issuer === this.held.root.cert.subject ? 'root' : null;
    if (!issuer) throw new Error(`revoke: certificate ${cert.serialNumber} (${cert.subject}) was not issued by this test PKI`);
    const serial = cert.serialNumber.toLowerCase();
    if (this.state.revocations.some((r) => r.issuer === issuer && r.serial === serial)) return;
    this.state.revocations.push({ issuer, serial, date: (opts.date ?? new Date()).toISOString(), reason: opts.reason ?? 0 });
  }

  revocations(): RevocationEntry[] {
    return this.state.revocations.map((r) => ({ ...r }));
  }

  private async crlOf(role: 'root' | 'issuing'): Promise<Uint8Array> {
    this.state.crlNumber = Math.max(this.state.crlNumber + 1, Math.floor(Date.now() / 1000));
    return buildCrl({
      ca: this.issuerKey(role),
      entries: this.state.revocations.filter((r) => r.issuer === role).map((r) => ({ serialHex: r.serial, date: new Date(r.date), reason: r.reason })),
      validityMs: 7 * DAY,
      crlNumber: this.state.crlNumber,
    });
  }

  crl(): Promise<Uint8Array> { return this.crlOf('issuing'); }
  rootCrl(): Promise<Uint8Array> { return this.crlOf('root'); }

  ocspRespond(request: Uint8Array): Promise<Uint8Array> {
    return respondOcsp(request, {
      authorities: [
        { name: 'issuing', ca: this.held.issuing.cert, signer: this.held.ocsp.cert, signerKey: this.held.ocsp.key },
        { name: 'root', ca: this.held.root.cert, signer: this.held.root.cert, signerKey: this.held.root.key },
      ],
      revocations: this.state.revocations,
    });
  }

  timestamp(request: Uint8Array): Promise<Uint8Array> {
    return respondTimestamp(request, { certificate: this.held.tsa.cert, privateKey: this.held.tsa.key, policy: this.tsaPolicy });
  }

  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    for (const role of ROLES) {
      const id = this.held[role].id;
      await writeFile(join(dir, `${role}.crt.pem`), id.certificatePem);
      await writeFile(join(dir, `${role}.key.pem`), id.privateKeyPem, { mode: 0o600 });
      await chmod(join(dir, `${role}.key.pem`), 0o600);
    }
    await writeFile(join(dir, 'chain.pem'), this.issuing.certificatePem + this.root.certificatePem);
    await writeFile(join(dir, 'issuing.crl.pem'), toPem(await this.crl(), 'X509 CRL'));
    await writeFile(join(dir, 'root.crl.pem'), toPem(await this.rootCrl(), 'X509 CRL'));
    await writeFile(join(dir, STATE_FILE), `${JSON.stringify(this.state, null, 2)}\n`);
  }

  /** Rebinds AIA/CDP URLs for certificates issued from now on (e.g. services restarted on a new port). */
  setBaseUrl(url: string | null): void {
    this.state.baseUrl = url;
  }
}

/** Creates a fresh test PKI (four RSA-2048 keys: root, issuing CA, TSA, OCSP responder). */
export async function createTestPki(opts: { baseUrl?: string; label?: string } = {}): Promise<TestPki> {
  const label = opts.label ?? 'hocba TEST';
  const baseUrl = opts.baseUrl?.replace(/\/+$/, '') ?? null;
  const now = Date.now();
  const o = `${label} — KHÔNG DÙNG THẬT / NOT FOR REAL USE`;
  const urls = (suffix: string) => (baseUrl ? { ocspUrl: `${baseUrl}/ocsp`, crlUrl: `${baseUrl}/crl${suffix}` } : {});

  const rootKeys = await generateKeyPair('rsa-2048');
  const rootCert = await issueCertificate({
    subject: { country: 'VN', organization: o, commonName: `${label} Root CA — KHÔNG DÙNG THẬT` },
    publicKey: rootKeys.publicKey,
    issuer: { certificate: null, privateKey: rootKeys.privateKey, keyType: 'rsa-2048' },
    profile: 'root',
    notBefore: new Date(now - 3 * 365 * DAY),
    notAfter: new Date(now + 20 * 365 * DAY),
  });
  const root = identityOf(rootCert, rootKeys.pkcs8, 'rsa-2048', []);
  const rootIssuer = { certificate: rootCert, privateKey: rootKeys.privateKey, keyType: 'rsa-2048' as const };

  const caKeys = await generateKeyPair('rsa-2048');
  const caCert = await issueCertificate({
    subject: { country: 'VN', organization: o, commonName: `${label} Issuing CA — KHÔNG DÙNG THẬT` },
    publicKey: caKeys.publicKey,
    issuer: rootIssuer,
    profile: 'ca',
    notBefore: new Date(now - 3 * 365 * DAY),
    notAfter: new Date(now + 10 * 365 * DAY),
    ...urls('/root'),
  });
  const issuing = identityOf(caCert, caKeys.pkcs8, 'rsa-2048', []);
  const caIssuer = { certificate: caCert, privateKey: caKeys.privateKey, keyType: 'rsa-2048' as const };

  const leafOf = async (profile: 'tsa' | 'ocsp', cn: string) => {
    const keys = await generateKeyPair('rsa-2048');
    const cert = await issueCertificate({
      subject: { country: 'VN', organization: o, commonName: `${label} ${cn}` },
      publicKey: keys.publicKey,
      issuer: caIssuer,
      profile,
      notBefore: new Date(now - 365 * DAY),
      notAfter: new Date(now + 5 * 365 * DAY),
      ...(profile === 'tsa' ? urls('') : {}),
    });
    return identityOf(cert, keys.pkcs8, 'rsa-2048', [issuing.certificate]);
  };
  const tsa = await leafOf('tsa', 'Time-Stamping Authority — KHÔNG DÙNG THẬT');
  const ocsp = await leafOf('ocsp', 'OCSP Responder — KHÔNG DÙNG THẬT');
  const held = { root: await hold(root), issuing: await hold(issuing), tsa: await hold(tsa), ocsp: await hold(ocsp) };
  return new TestPkiImpl(held, { label, baseUrl, crlNumber: 0, revocations: [] });
}

/** Reloads a test PKI written by save(): the same keys, certificates and revocations. */
export async function loadTestPki(dir: string): Promise<TestPki> {
  const state = JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as State;
  const issuingDer = derOf(await readFile(join(dir, 'issuing.crt.pem'), 'utf8'), 'CERTIFICATE');
  const entries = await Promise.all(
    ROLES.map(async (role) => {
      const certDer = derOf(await readFile(join(dir, `${role}.crt.pem`), 'utf8'), 'CERTIFICATE');
      const pkcs8 = derOf(await readFile(join(dir, `${role}.key.pem`), 'utf8'), 'PRIVATE KEY');
      const rest = role === 'tsa' || role === 'ocsp' ? [issuingDer] : [];
      return [role, await hold(identityOf(new x509.X509Certificate(toArrayBuffer(certDer)), pkcs8, keyTypeOfPkcs8(pkcs8), rest))] as const;
    }),
  );
  return new TestPkiImpl(Object.fromEntries(entries) as Record<(typeof ROLES)[number], Held>, {
    label: state.label,
    baseUrl: state.baseUrl ?? null,
    crlNumber: state.crlNumber ?? 0,
    revocations: state.revocations ?? [],
  });
}
