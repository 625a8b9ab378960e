/**
 * One-call PAdES signing for keys the server can reach directly (software key, HSM, PKCS#11):
 * prepare → Signer.signDigests → complete → (B-LT) DSS. Signers that need a person's approval
 * use preparePadesSignature / completePadesSignature with the state stored in between.
 */
import { X509Certificate } from 'node:crypto';
import { SigningError, type RevocationProvider, type SignatureAlgorithm, type Signer, type TimestampProvider } from '../signer.ts';
import { displayName } from '../cms/certificate.ts';
import { readCmsSignature } from '../cms/read-cms.ts';
import { addDss, type DssContent } from './dss.ts';
import { readPdfSignatures } from './read-signatures.ts';
import { completePadesSignature, preparePadesSignature, type PreparePadesOptions } from './prepare-pades.ts';

export interface SignPdfOptions extends Omit<PreparePadesOptions, 'chain' | 'algorithm' | 'timestamp'> {
  signer: Signer;
  /** Default: the signer's preferred algorithm. */
  algorithm?: SignatureAlgorithm;
  /** PAdES B-T: a signature timestamp from this TSA. */
  timestamp?: TimestampProvider;
  /** PAdES B-LT: revocation evidence for every certificate is stored in the DSS. */
  revocation?: RevocationProvider;
  /** Extra certificates (e.g. the root) to store in the DSS and to find issuers with. */
  certificates?: Uint8Array[];
  /** Shown to the person approving, for signers that ask. */
  label?: string;
  signal?: AbortSignal;
}

/** Signs a PDF with a Signer; returns the signed PDF (B-B, B-T with `timestamp`, B-LT with `revocation`). */
export async function signPdf(opts: SignPdfOptions): Promise<Uint8Array> {
  const { signer } = opts;
  const chain = await signer.certificateChain();
  const algorithm = opts.algorithm ?? (await signer.algorithms())[0];
  if (!algorithm) throw new SigningError('unsupported_algorithm', `${signer.description} offers no signature algorithm`);
  const prepared = preparePadesSignature({ ...opts, chain, algorithm, timestamp: Boolean(opts.timestamp) });
  const values = await signer.signDigests({ algorithm, items: [{ digest: prepared.digest, label: opts.label ?? opts.fieldName }], signal: opts.signal });
  if (values.length !== 1 || !values[0]) throw new SigningError('signer_unavailable', `${signer.description} returned ${values.length} signature values for 1 digest`);
  const signed = await completePadesSignature({ preparedPdf: prepared.preparedPdf, state: prepared.state, signatureValue: values[0], timestamp: opts.timestamp });
  if (!opts.revocation) return signed;
  const token = opts.timestamp ? readCmsSignature(lastCms(signed)).timestampToken : null;
  const evidence = await gatherValidationData({ chain, extra: opts.certificates ?? [], timestampToken: token, revocation: opts.revocation });
  return addDss({ pdf: signed, ...evidence });
}

/** The CMS of the newest signature (the one just added). */
function lastCms(pdf: Uint8Array): Uint8Array {
  const sigs = readPdfSignatures(pdf);
  return sigs[sigs.length - 1]!.cms;
}

/**
 * Collects the certificates and the revocation evidence (OCSP/CRL from the provider) for a
 * signer chain and, when present, the timestamp token's TSA chain: every certificate whose
 * issuer is known gets checked; self-signed roots are trust anchors and are not.
 */
export async function gatherValidationData(opts: { chain: Uint8Array[]; extra?: Uint8Array[]; timestampToken?: Uint8Array | null; revocation: RevocationProvider }): Promise<DssContent> {
  const tokenCerts = opts.timestampToken ? readCmsSignature(opts.timestampToken).certificates : [];
  const all = [...new Map([...opts.chain, ...(opts.extra ?? []), ...tokenCerts].map((c) => [Buffer.from(c).toString('base64'), c])).values()];
  const parsed = all.map((der) => ({ der, x: new X509Certificate(Buffer.from(der)) }));
  const out: DssContent = { certificates: all, ocspResponses: [], crls: [] };
  for (const cert of parsed) {
    if (cert.x.checkIssued(cert.x) && cert.x.verify(cert.x.publicKey)) continue; // self-signed root
    const issuer = parsed.find((i) => i !== cert && cert.x.checkIssued(i.x) && cert.x.verify(i.x.publicKey));
    if (!issuer) continue;
    let evidence;
    try {
      evidence = await opts.revocation(cert.der, issuer.der);
    } catch (e) {
      if (e instanceof SigningError) throw e;
      throw new SigningError('revocation_unavailable', `revocation data for ${displayName(cert.x.subject)} could not be obtained: ${(e as Error).message}`, { cause: e });
    }
    out.ocspResponses.push(...evidence.ocspResponses);
    out.crls.push(...evidence.crls);
  }
  return out;
}
