/**
 * `hocba verify <file>`: checks every signature of a học bạ (HBS XML or PDF) with the same
 * validator as the public verification page, prints one line per check (✓ passed, ✗ failed,
 * ? could not be checked) or the JSON report, and exits 0 (valid), 1 (invalid) or 2 (could
 * not be decided: e.g. OCSP unreachable, no trust anchor, or the file could not be read).
 */
import { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../server/config.ts';
import { derOf, pemBlocks } from '../signing/pki/der.ts';
import { loadTrustAnchors, trustAnchorsFromEnv } from '../signing/pki/trust-anchors.ts';
import { revocationClient } from '../signing/revocation/revocation-client.ts';
import { MAX_PDF_BYTES } from '../signing/pades/pdf-document.ts';
import { validateDocument, type Check, type CheckStatus, type SignatureCheckName, type ValidationReport } from '../signing/validation/index.ts';
import type { GlobalOpts } from './open.ts';

export const EXIT_CODES: Record<CheckStatus, number> = { passed: 0, failed: 1, indeterminate: 2 };
const MARK: Record<CheckStatus, string> = { passed: '✓', failed: '✗', indeterminate: '?' };
const VERDICT: Record<CheckStatus, string> = { passed: 'HỢP LỆ / VALID', failed: 'KHÔNG HỢP LỆ / INVALID', indeterminate: 'CHƯA XÁC ĐỊNH ĐƯỢC / INDETERMINATE' };
const CHECK_LABEL: Record<SignatureCheckName, string> = {
  format: 'định dạng / format',
  integrity: 'toàn vẹn / integrity',
  signingCertificate: 'chứng thư ký / signing certificate',
  chain: 'chuỗi tin cậy / chain',
  keyUsage: 'mục đích khóa / key usage',
  revocation: 'thu hồi / revocation',
  timestamp: 'dấu thời gian / timestamp',
  scope: 'phạm vi / scope',
};
const ORDER: SignatureCheckName[] = ['format', 'integrity', 'signingCertificate', 'chain', 'keyUsage', 'revocation', 'timestamp', 'scope'];

interface TrustSource {
  anchors: Uint8Array[];
  intermediates: Uint8Array[];
  from: string;
}

/** Certificates from a PEM file (every CERTIFICATE block) or a DER file. */
async function certificatesIn(file: string): Promise<Uint8Array[]> {
  const bytes = new Uint8Array(await readFile(file));
  const text = Buffer.from(bytes).toString('latin1');
  const ders = text.includes('-----BEGIN') ? pemBlocks(text, 'CERTIFICATE') : [derOf(bytes)];
  if (ders.length === 0) throw new Error(`${file} holds no CERTIFICATE block`);
  ders.forEach((der, i) => {
    try {
      new X509Certificate(Buffer.from(der));
    } catch {
      throw new Error(`${file}${ders.length > 1 ? ` (certificate #${i + 1})` : ''} is not a readable X.509 certificate (PEM or DER)`);
    }
  });
  return ders;
}

/** --trust, else HOCBA_TRUST_ANCHORS, else the demo test PKI of the data directory (`hocba pki demo`). */
async function trustSource(program: Command, trust: string | undefined): Promise<TrustSource> {
  if (trust) {
    const anchors = (await stat(trust)).isDirectory() ? await loadTrustAnchors(trust) : await certificatesIn(trust);
    return { anchors, intermediates: [], from: trust };
  }
  const env = await trustAnchorsFromEnv();
  if (env) return { anchors: env, intermediates: [], from: `HOCBA_TRUST_ANCHORS (${process.env.HOCBA_TRUST_ANCHORS})` };
  const g = program.opts<GlobalOpts>();
  const dir = join(loadConfig({ ...(g.dataDir ? { dataDir: g.dataDir } : {}) }).dataDir, 'pki');
  const root = join(dir, 'root.crt.pem');
  if (existsSync(root)) {
    const issuing = join(dir, 'issuing.crt.pem');
    return { anchors: await certificatesIn(root), intermediates: existsSync(issuing) ? await certificatesIn(issuing) : [], from: `${root} (PKI THỬ NGHIỆM / TEST PKI)` };
  }
  return { anchors: [], intermediates: [], from: 'none' };
}

const line = (c: Check, label: string) => `  ${MARK[c.status]} ${label.padEnd(36)} ${c.reason}`;

/** The report as lines a person reads (Vietnamese first, English after the slash). */
export function formatReport(report: ValidationReport, file: string): string[] {
  const out = [`${MARK[report.status]} ${VERDICT[report.status]} — ${file} (${report.documentType.toUpperCase()})`, 'Tài liệu / document:'];
  for (const [name, c] of Object.entries(report.documentChecks)) out.push(line(c, name));
  report.signatures.forEach((s, i) => {
    out.push('', `Chữ ký / signature ${i + 1}/${report.signatures.length}: ${s.id} — ${MARK[s.status]} ${VERDICT[s.status]}`);
    out.push(`  Người ký / signer:      ${s.signer ? `${s.signer.commonName} (${s.signer.subject})` : '(không rõ / unknown)'}`);
    if (s.signer) out.push(`  Cấp bởi / issuer:       ${s.signer.issuer}, serial ${s.signer.serialNumber}`);
    if (s.claimedRole) out.push(`  Vai trò / role:         ${s.claimedRole}`);
    out.push(`  Thời điểm ký / signed: ${s.signingTime ?? '(không ghi / not stated)'}${s.timestampTime ? `; dấu thời gian / timestamp ${s.timestampTime}` : ''}`);
    out.push(`  Phạm vi / covers:       ${s.covers.join('; ') || '(nothing)'}`);
    for (const name of ORDER) {
      const c = s.checks[name];
      if (c) out.push(line(c, CHECK_LABEL[name]));
    }
  });
  return out;
}

export function registerVerifyCommands(program: Command): void {
  program
    .command('verify <file>')
    .description('kiểm tra chữ ký số của học bạ (XML hoặc PDF) / verify the signatures of a record (XML or PDF); exit 0 valid, 1 invalid, 2 undecided')
    .option('--trust <pem file or dir>', 'trusted root certificate(s) (default: HOCBA_TRUST_ANCHORS, else the test PKI of `hocba pki demo`)')
    .option('--offline', 'only the validation data embedded in the document: no OCSP or CRL requests')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, o: { trust?: string; offline?: boolean; json?: boolean }) => {
      let bytes: Uint8Array;
      let trust: TrustSource;
      try {
        const size = (await stat(file)).size;
        if (size > MAX_PDF_BYTES) throw new Error(`${file} is ${size} bytes, above the ${MAX_PDF_BYTES}-byte limit`);
        bytes = new Uint8Array(await readFile(file));
        trust = await trustSource(program, o.trust);
      } catch (err) {
        // Nothing was checked: undecided, not invalid.
        console.error(`Lỗi / error: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? `no such file: ${(err as NodeJS.ErrnoException).path}` : (err as Error).message}`);
        process.exitCode = EXIT_CODES.indeterminate;
        return;
      }
      const report = await validateDocument(bytes, {
        trustAnchors: trust.anchors,
        intermediates: trust.intermediates,
        revocation: o.offline ? 'offline' : revocationClient(),
      });
      if (o.json) console.log(JSON.stringify(report, null, 2));
      else {
        if (trust.anchors.length === 0) console.log('Cảnh báo / warning: no trust anchors (use --trust, HOCBA_TRUST_ANCHORS or `hocba pki demo`): no certificate chain can be trusted');
        else console.log(`Tin cậy / trust anchors: ${trust.from}`);
        for (const l of formatReport(report, basename(file))) console.log(l);
      }
      process.exitCode = EXIT_CODES[report.status];
    });
}
