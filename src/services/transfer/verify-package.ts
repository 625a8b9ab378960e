/**
 * Verifies a transfer package completely before anything is stored (docs/transfer.md,
 * "Import"): the ZIP's shape, the manifest's XAdES signature against the receiving
 * deployment's trust anchors and that it was made by the sending school's seal, every
 * file's size and SHA-256 against the manifest (no file missing, none extra), and every
 * record's signatures (PDF: PAdES seal; XML: the whole chain with the XAdES-T seal). Any
 * failure throws PackageError naming the file and the check; "could not check" (e.g. an
 * OCSP responder down) refuses too: a record nobody could verify is not attached.
 */
import { createHash } from 'node:crypto';
import { hbsV1 } from '../../documents/hbs-xml/hbs-v1.ts';
import type { RecordSnapshot } from '../../domain/record/snapshot.ts';
import { validateDocument, type ValidationReport } from '../../signing/validation/index.ts';
import type { TrustContext } from '../certificates/signing-certificates.ts';
import { sameName } from '../certificates/signing-certificates.ts';
import { MANIFEST_DATA_ID, MANIFEST_SIGNATURE_ID, MAX_MANIFEST_BYTES, readManifest, TRANSFER_SIGNATURE_CONTAINER, TransferFormatError, type ManifestFile, type TransferManifest } from './manifest.ts';
import { MANIFEST_PATH, PackageError, readPackage } from './package-zip.ts';

export interface VerifiedRecord {
  schoolYear: string;
  version: number;
  pdf: Uint8Array;
  pdfSha256: string;
  xml: string;
  xmlSha256: string;
  snapshot: RecordSnapshot;
  report: { pdf: ValidationReport; xml: ValidationReport };
}

export interface VerifiedPackage {
  sha256: string;
  manifest: TransferManifest;
  manifestXml: string;
  manifestReport: ValidationReport;
  records: VerifiedRecord[];
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The first failed (else indeterminate) check of a report, as "signature id, check: reason". */
export function firstProblem(r: ValidationReport): string {
  const all: Array<[string, { status: string; reason: string }]> = [];
  for (const [name, c] of Object.entries(r.documentChecks)) all.push([`document ${name}`, c]);
  for (const s of r.signatures) for (const [name, c] of Object.entries(s.checks)) if (c) all.push([`signature ${s.id} ${name}`, c]);
  const bad = all.find(([, c]) => c.status === 'failed') ?? all.find(([, c]) => c.status === 'indeterminate');
  if (bad) return `${bad[0]} ${bad[1].status === 'failed' ? 'failed' : 'could not be checked'}: ${bad[1].reason}`;
  return r.signatures.length === 0 ? 'the document carries no signature' : `status ${r.status}`;
}

function decodeUtf8(file: string, b: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    throw new PackageError(file, 'format', 'not valid UTF-8 text');
  }
}

/** Verifies a package (see the module comment). `now` is the validation time. */
export async function verifyTransferPackage(bytes: Uint8Array, trust: TrustContext, now: Date = new Date()): Promise<VerifiedPackage> {
  const entries = readPackage(bytes);
  const manifestBytes = entries.get(MANIFEST_PATH);
  if (!manifestBytes) throw new PackageError(MANIFEST_PATH, 'presence', 'the package has no manifest.xml');
  if (manifestBytes.length > MAX_MANIFEST_BYTES) throw new PackageError(MANIFEST_PATH, 'size', `${manifestBytes.length} bytes, above ${MAX_MANIFEST_BYTES}`);
  const manifestXml = decodeUtf8(MANIFEST_PATH, manifestBytes);
  let manifest: TransferManifest;
  try {
    manifest = readManifest(manifestXml);
  } catch (e) {
    if (e instanceof TransferFormatError) throw new PackageError(MANIFEST_PATH, 'format', e.message);
    throw e;
  }
  const validation = { trustAnchors: trust.trustAnchors, intermediates: trust.intermediates ?? [], revocation: trust.revocation, now: trust.now?.() ?? now };

  // 1. The manifest's signature: valid, trusted, covering the data element, by the sending school's seal.
  const manifestReport = await validateDocument(manifestBytes, { ...validation, xmlContainer: TRANSFER_SIGNATURE_CONTAINER, expected: { xml: { [MANIFEST_SIGNATURE_ID]: [MANIFEST_DATA_ID] } }, maxBytes: MAX_MANIFEST_BYTES });
  if (manifestReport.status !== 'passed') throw new PackageError(MANIFEST_PATH, 'manifest signature', firstProblem(manifestReport));
  if (manifestReport.signatures.length !== 1) throw new PackageError(MANIFEST_PATH, 'manifest signature', `expected one signature, found ${manifestReport.signatures.length}`);
  const sealSigner = manifestReport.signatures[0]!.signer;
  if (!sealSigner || !sameName(sealSigner.commonName, manifest.sendingSchool.name)) {
    throw new PackageError(MANIFEST_PATH, 'manifest signer', `signed by "${sealSigner?.commonName ?? '?'}", not by the seal of the sending school "${manifest.sendingSchool.name}"`);
  }

  // 2. Files: exactly the listed ones, each with its size and digest.
  const listed = new Map<string, ManifestFile>();
  for (const f of manifest.files) {
    if (listed.has(f.path)) throw new PackageError(f.path, 'manifest', 'listed twice in the manifest');
    if (f.path === MANIFEST_PATH) throw new PackageError(f.path, 'manifest', 'the manifest cannot list itself');
    listed.set(f.path, f);
  }
  for (const name of entries.keys()) if (name !== MANIFEST_PATH && !listed.has(name)) throw new PackageError(name, 'extra file', 'in the ZIP but not listed in the manifest');
  for (const f of manifest.files) {
    const b = entries.get(f.path);
    if (!b) throw new PackageError(f.path, 'missing file', 'listed in the manifest but not in the ZIP');
    if (b.length !== f.size) throw new PackageError(f.path, 'size', `${b.length} bytes, the manifest says ${f.size}`);
    const d = sha256(b);
    if (d !== f.sha256) throw new PackageError(f.path, 'SHA-256', `${d} ≠ manifest ${f.sha256}`);
  }

  // 3. Records: a PDF and an XML per (year, version), each fully verified and about this student.
  const pairs = new Map<string, { pdf?: ManifestFile; xml?: ManifestFile }>();
  for (const f of manifest.files) {
    const key = `${f.schoolYear} v${f.version}`;
    const p = pairs.get(key) ?? {};
    if (p[f.kind]) throw new PackageError(f.path, 'manifest', `a second ${f.kind.toUpperCase()} for ${key}`);
    p[f.kind] = f;
    pairs.set(key, p);
  }
  const records: VerifiedRecord[] = [];
  for (const [key, p] of pairs) {
    if (!p.pdf || !p.xml) throw new PackageError((p.pdf ?? p.xml)!.path, 'manifest', `${key} has no ${p.pdf ? 'XML' : 'PDF'}`);
    const pdf = entries.get(p.pdf.path)!;
    const xmlBytes = entries.get(p.xml.path)!;
    const xml = decodeUtf8(p.xml.path, xmlBytes);
    const xmlReport = await validateDocument(xmlBytes, { ...validation, xmlContainer: hbsV1.signatureContainer, requireTimestamp: ['sig-seal'] });
    if (xmlReport.status !== 'passed') throw new PackageError(p.xml.path, 'record signatures', firstProblem(xmlReport));
    const seal = xmlReport.signatures.find((s) => s.id === 'sig-seal');
    if (!seal) throw new PackageError(p.xml.path, 'record seal', 'the record XML carries no school seal (sig-seal): only sealed records are transferred');
    const pdfReport = await validateDocument(pdf, { ...validation, requireTimestamp: true });
    if (pdfReport.status !== 'passed') throw new PackageError(p.pdf.path, 'record signatures', firstProblem(pdfReport));
    if (!pdfReport.signatures.some((s) => s.signer?.fingerprint === seal.signer?.fingerprint)) throw new PackageError(p.pdf.path, 'record seal', 'the PDF is not sealed with the certificate that sealed the XML');
    let snapshot: RecordSnapshot;
    try {
      snapshot = hbsV1.parse(xml);
    } catch (e) {
      throw new PackageError(p.xml.path, 'record format', (e as Error).message);
    }
    if (snapshot.schoolYear !== p.xml.schoolYear) throw new PackageError(p.xml.path, 'record', `is for school year ${snapshot.schoolYear}, the manifest says ${p.xml.schoolYear}`);
    if (snapshot.identity.personalId !== manifest.student.personalId) throw new PackageError(p.xml.path, 'record student', `personal id ${snapshot.identity.personalId ?? '(none)'} is not the transferred student's ${manifest.student.personalId}`);
    if (!sameName(seal.signer?.commonName ?? '', snapshot.school.name)) throw new PackageError(p.xml.path, 'record seal', `sealed by "${seal.signer?.commonName}", not by the school named in the record`);
    records.push({ schoolYear: p.xml.schoolYear, version: p.xml.version, pdf, pdfSha256: p.pdf.sha256, xml, xmlSha256: p.xml.sha256, snapshot, report: { pdf: pdfReport, xml: xmlReport } });
  }
  records.sort((a, b) => a.schoolYear.localeCompare(b.schoolYear) || a.version - b.version);
  return { sha256: sha256(bytes), manifest, manifestXml, manifestReport, records };
}
