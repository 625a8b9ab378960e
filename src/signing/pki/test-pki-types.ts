/**
 * The shared contract of the test PKI (see test-pki.ts): what other parts of the signing
 * engine and the tests consume. Members marked "Added" extend the agreed contract.
 */
import type { KeyUsageName } from './cert-builder.ts';
import type { KeyType } from './keys.ts';

export interface PkiIdentity {
  certificate: Uint8Array; // DER
  privateKey: Uint8Array; // PKCS#8 DER
  chain: Uint8Array[]; // [this cert, issuing CA] (root NOT included); for CAs: [this cert, ...]
  certificatePem: string;
  privateKeyPem: string; // PKCS#8 PEM
  subject: string; // display form, e.g. "CN=Nguyễn Văn A, O=..."
  /** Added: serial number as lowercase hex, the key type, and the validity period. */
  serialNumber: string;
  keyType: KeyType;
  notBefore: Date;
  notAfter: Date;
}

export interface IssueOptions {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  email?: string;
  kind?: 'person' | 'seal'; // seal = organisation certificate (school seal)
  keyType?: KeyType; // rsa-1024 only for negative tests
  notBefore?: Date;
  notAfter?: Date; // for expired / not-yet-valid negative tests
  keyUsages?: KeyUsageName[]; // default digitalSignature+nonRepudiation
  /** Added: subject serialNumber and UID attributes (e.g. the username), country (default VN). */
  serialNumber?: string;
  uid?: string;
  country?: string;
  /** Added for negative tests: sign the certificate with SHA-1. */
  signatureHash?: 'SHA-1' | 'SHA-256';
}

export type RevocationReason = number; // RFC 5280 CRLReason

export interface RevocationEntry {
  issuer: 'root' | 'issuing';
  serial: string;
  date: string; // ISO
  reason: RevocationReason;
}

export interface TestPki {
  root: PkiIdentity;
  issuing: PkiIdentity;
  tsa: PkiIdentity;
  ocspResponder: PkiIdentity;
  baseUrl: string | null; // when set, issued certs carry AIA OCSP `${baseUrl}/ocsp` and CDP `${baseUrl}/crl`
  issue(opts: IssueOptions): Promise<PkiIdentity>;
  revoke(certificate: Uint8Array, opts?: { date?: Date; reason?: number }): void;
  crl(): Promise<Uint8Array>; // DER CRL of the issuing CA (current revocations)
  rootCrl(): Promise<Uint8Array>; // DER CRL of the root (pkijs path validation wants one per CA)
  ocspRespond(request: Uint8Array): Promise<Uint8Array>; // DER OCSPRequest -> DER OCSPResponse
  timestamp(request: Uint8Array): Promise<Uint8Array>; // DER TimeStampReq -> DER TimeStampResp
  save(dir: string): Promise<void>; // PEM/DER files + state (revocations) so it can be reloaded
  /** Added: the label in every CA name, the TSA policy OID, and the current revocation list. */
  label: string;
  tsaPolicy: string;
  revocations(): RevocationEntry[];
}
