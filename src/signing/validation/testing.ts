/**
 * Test support for the validation tests and the benchmark (not used by production code):
 * signing documents in a given order, adding PAdES B-LT data, and running the independent
 * tools — pdfsig over an NSS database that trusts a root, and `openssl ocsp` against a
 * responder. xmlsec1 is run through src/signing/xades/testing.ts.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { listenPkiServices } from '../pki/pki-services.ts';
import { createTestPki, type PkiIdentity, type TestPki } from '../pki/test-pki.ts';
import { toPem } from '../pki/der.ts';
import type { RevocationProvider, TimestampProvider } from '../signer.ts';
import { softwareSigner } from '../signers/software-signer.ts';
import { addDss, gatherValidationData, readPdfSignatures } from '../pades/index.ts';
import { readCmsSignature } from '../cms/read-cms.ts';
import { signXades } from '../xades/index.ts';
import { run } from '../xades/testing.ts';

export interface XmlSigningStep {
  id: string;
  who: PkiIdentity;
  role: string;
  /** Data element Ids. */
  references: string[];
  /** Earlier signature Ids. */
  signatureReferences?: string[];
  signingTime?: Date;
  /** XAdES-T with this TSA. */
  timestamp?: TimestampProvider;
  /** The chain to embed (default the identity's own). */
  chain?: Uint8Array[];
}

/** Signs `xml` step by step (XAdES, software keys), each signature going into `container`. */
export async function signXmlInOrder(xml: string, steps: XmlSigningStep[], container: { namespace: string; localName: string }): Promise<string> {
  let doc = xml;
  for (const s of steps) {
    doc = await signXades({
      xml: doc,
      references: s.references,
      signatureReferences: s.signatureReferences ?? [],
      container,
      signatureId: s.id,
      signer: softwareSigner({ privateKey: s.who.privateKey, chain: s.chain ?? s.who.chain }),
      ...(s.signingTime ? { signingTime: s.signingTime } : {}),
      claimedRole: s.role,
      ...(s.timestamp ? { timestamp: s.timestamp } : {}),
    });
  }
  return doc;
}

/**
 * PAdES B-LT for every signature already in the PDF: the certificates and the revocation
 * evidence (from `revocation`) of each signer chain and each timestamp's TSA chain, in one
 * /DSS update. `extra` adds certificates (e.g. the root).
 */
export async function addValidationDataForAll(pdf: Uint8Array, revocation: RevocationProvider, extra: Uint8Array[] = []): Promise<Uint8Array> {
  const certificates: Uint8Array[] = [];
  const ocspResponses: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  for (const sig of readPdfSignatures(pdf)) {
    const cms = readCmsSignature(sig.cms);
    const d = await gatherValidationData({ chain: cms.certificates, extra, timestampToken: cms.timestampToken, revocation });
    certificates.push(...d.certificates);
    ocspResponses.push(...d.ocspResponses);
    crls.push(...d.crls);
  }
  return addDss({ pdf, certificates, ocspResponses, crls });
}

export interface PdfsigSignature {
  text: string;
  field: string;
  commonName: string;
  valid: boolean;
  trusted: boolean;
  revoked: boolean;
  expired: boolean;
  totalDocument: boolean;
}

/** pdfsig (poppler + NSS) with a scratch NSS database trusting `rootPem`. */
export async function pdfsigRunner(rootPem: string): Promise<{ check(pdf: Uint8Array): Promise<{ output: string; signatures: PdfsigSignature[] }>; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'hocba-pdfsig-'));
  await mkdir(join(dir, 'nss'));
  await writeFile(join(dir, 'root.pem'), rootPem);
  const init = await run('certutil', ['-N', '-d', `sql:${dir}/nss`, '--empty-password']);
  if (init.status !== 0) throw new Error(`certutil -N failed: ${init.output}`);
  const add = await run('certutil', ['-A', '-d', `sql:${dir}/nss`, '-n', 'hocba-test-root', '-t', 'CT,C,C', '-i', join(dir, 'root.pem')]);
  if (add.status !== 0) throw new Error(`certutil -A failed: ${add.output}`);
  return {
    async check(pdf) {
      const file = join(dir, `doc-${randomBytes(6).toString('hex')}.pdf`);
      await writeFile(file, pdf);
      const r = await run('pdfsig', ['-nssdir', `sql:${dir}/nss`, file]);
      await rm(file, { force: true });
      const signatures = r.output
        .split(/^Signature #\d+:$/m)
        .slice(1)
        .map((text) => ({
          text,
          field: /Signature Field Name: (.*)/.exec(text)?.[1] ?? '',
          commonName: /Signer Certificate Common Name: (.*)/.exec(text)?.[1] ?? '',
          valid: /Signature Validation: Signature is Valid\./.test(text),
          trusted: /Certificate Validation: Certificate is Trusted\./.test(text),
          revoked: /Certificate has been Revoked/.test(text),
          expired: /Certificate has Expired/.test(text),
          totalDocument: /- Total document signed/.test(text),
        }));
      return { output: r.output, signatures };
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

/** `openssl ocsp` asking `url` about `certificate`: the status line it prints ("good", "revoked", …) or null when it got no answer. */
export async function opensslOcspStatus(certificate: Uint8Array, issuer: Uint8Array, root: Uint8Array, url: string): Promise<{ status: string | null; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'hocba-ocsp-'));
  try {
    await writeFile(join(dir, 'cert.pem'), toPem(certificate, 'CERTIFICATE'));
    await writeFile(join(dir, 'issuer.pem'), toPem(issuer, 'CERTIFICATE'));
    await writeFile(join(dir, 'root.pem'), toPem(root, 'CERTIFICATE'));
    const r = await run('openssl', ['ocsp', '-issuer', join(dir, 'issuer.pem'), '-cert', join(dir, 'cert.pem'), '-url', url, '-CAfile', join(dir, 'root.pem'), '-verify_other', join(dir, 'issuer.pem'), '-timeout', '5']);
    const m = /cert\.pem: (\w+)/.exec(r.output);
    return { status: r.status === 0 && m ? m[1]! : null, output: r.output };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A test PKI whose OCSP responder and CRL server were shut down: its certificates' revocation cannot be checked. */
export async function unreachablePki(label = 'hocba TEST Mất Mạng'): Promise<TestPki> {
  const services = await listenPkiServices();
  try {
    const pki = await createTestPki({ baseUrl: services.url, label });
    services.attach(pki);
    return pki;
  } finally {
    await services.close();
  }
}
