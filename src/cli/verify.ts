/**
 * `hocba verify FILE...`: verifies học bạ documents (HBS XML or PDF) with the same service as
 * the public verification page (verifyRecord): every signature, the XML a PDF embeds, what the
 * record says, and — with --status-url / --status-from — its current status from the school's
 * signed status list. Prints one line per check (✓ passed, ✗ failed, ? could not be checked) or,
 * with --json, the report in the API's shape; exits 0 (valid), 1 (invalid, revoked or
 * superseded) or 2 (could not be decided: OCSP unreachable, no trust anchor, unreadable file).
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
import type { Check, CheckStatus, SignatureCheckName } from '../signing/validation/index.ts';
import type { VerificationReportView, VerificationSignatureView, VerificationVerdict } from '../server/api-types.ts';
import { statusListClient } from '../services/verification/status-client.ts';
import { verifyRecord } from '../services/verification/verify-record.ts';
import type { GlobalOpts } from './open.ts';

export const EXIT_CODES: Record<VerificationVerdict, number> = { valid: 0, invalid: 1, revoked: 1, superseded: 1, practice: 1, indeterminate: 2 };
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

const line = (c: Check | { status: CheckStatus; reason: string }, label: string) => `  ${MARK[c.status]} ${label.padEnd(36)} ${c.reason}`;

const VERDICT_LINE: Record<VerificationVerdict, string> = {
  valid: '✓ HỢP LỆ / VALID',
  invalid: '✗ KHÔNG HỢP LỆ / INVALID',
  indeterminate: '? CHƯA XÁC ĐỊNH ĐƯỢC / INDETERMINATE',
  superseded: '✗ ĐÃ ĐƯỢC THAY THẾ BẰNG PHIÊN BẢN MỚI / SUPERSEDED',
  revoked: '✗ ĐÃ BỊ THU HỒI / REVOKED',
  practice: '✗ BẢN THỰC HÀNH — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ / PRACTICE COPY — NOT A VALID RECORD',
};
const STATE_LABEL: Record<VerificationReportView['status']['state'], string> = {
  valid: 'còn hiệu lực / valid',
  superseded: 'đã được thay thế / superseded',
  revoked: 'đã bị thu hồi / revoked',
  unknown: 'không rõ (chỉ kiểm tra theo chứng thư gốc) / unknown (checked by trust anchors only)',
  indeterminate: 'không kiểm tra được / could not be checked',
  practice: 'trường thực hành, không có giá trị / practice school, no legal value',
};

function signatureLines(sigs: VerificationSignatureView[], title: string): string[] {
  const out: string[] = [];
  sigs.forEach((s, i) => {
    out.push('', `${title} ${i + 1}/${sigs.length}: ${s.id} — ${MARK[s.status]} ${VERDICT[s.status]}`);
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

/** The report as lines a person reads (Vietnamese first, English after the slash). */
export function formatReport(report: VerificationReportView, file: string): string[] {
  const out = [`${VERDICT_LINE[report.verdict]} — ${file} (${report.documentType.toUpperCase()})`];
  const r = report.record;
  if (r) {
    out.push(`Học bạ / record:          ${r.studentName}${r.birthDate ? ` (${r.birthDate})` : ''}, lớp / class ${r.className}, ${r.school.name} (${r.school.code}), năm học / year ${r.schoolYear}`);
    out.push(`Mã kiểm tra / code:       ${report.code}`);
    out.push(`Kết quả / results:        ${r.subjects.map((s) => `${s.name} ${s.wholeYear}`).join(', ')}`);
  }
  const st = report.status;
  out.push(`Tình trạng / status:      ${STATE_LABEL[st.state]} — ${st.reason}`);
  if (st.statusList) out.push(`Danh sách trạng thái / status list: ${st.statusList.url} (issued ${st.statusList.issuedAt}, next update ${st.statusList.nextUpdate})`);
  out.push('Tài liệu / document:');
  for (const [name, c] of Object.entries(report.validation.documentChecks)) out.push(line(c, name));
  if (report.embeddedXml) out.push(line(report.embeddedXml.check, 'XML đính kèm / embedded XML'));
  out.push(...signatureLines(report.validation.signatures, report.documentType === 'pdf' ? 'Chữ ký PDF / PDF signature' : 'Chữ ký / signature'));
  if (report.embeddedXml?.validation) out.push(...signatureLines(report.embeddedXml.validation.signatures, 'Chữ ký trong XML / XML signature'));
  return out;
}

const worst = (codes: number[]) => (codes.includes(1) ? 1 : codes.includes(2) ? 2 : 0);

export function registerVerifyCommands(program: Command): void {
  program
    .command('verify <files...>')
    .description('kiểm tra học bạ (XML hoặc PDF): chữ ký số, nội dung, tình trạng / verify records (XML or PDF): signatures, content, current status; exit 0 valid, 1 invalid/revoked/superseded/practice, 2 undecided')
    .option('--trust <pem file or dir>', 'trusted root certificate(s) (default: HOCBA_TRUST_ANCHORS, else the test PKI of `hocba pki demo`)')
    .option('--offline', 'only the validation data embedded in the document: no OCSP or CRL requests')
    .option('--status-url <url>', "the school's signed status list (GET …/api/public/status/<school>): reports superseded / revoked")
    .option('--status-from <base url>', "the school's hocba address: the status list is <base url>/api/public/status/<school code of the document>")
    .option('--json', 'print the report as JSON (the shape of POST /api/public/verify; an array for several files)')
    .addHelpText(
      'after',
      `
Exit codes / mã thoát: 0 valid, 1 invalid (or the record is revoked / superseded), 2 undecided
(e.g. OCSP unreachable, no trust anchor, status list unreachable, file unreadable).
Without --status-url / --status-from the current status is "unknown": signatures are checked
against the trust anchors only. Examples:
  hocba verify hoc-ba.pdf --trust root.pem
  hocba verify *.xml --status-from https://hocba.truong.edu.vn --json`,
    )
    .action(async (files: string[], o: { trust?: string; offline?: boolean; json?: boolean; statusUrl?: string; statusFrom?: string }) => {
      let trust: TrustSource;
      try {
        trust = await trustSource(program, o.trust);
      } catch (err) {
        console.error(`Lỗi / error: ${(err as Error).message}`);
        process.exitCode = 2;
        return;
      }
      const revocation = o.offline ? ('offline' as const) : revocationClient();
      const client = o.statusUrl || o.statusFrom ? statusListClient({ trustAnchors: trust.anchors, intermediates: trust.intermediates, revocation }) : null;
      const statusBase = o.statusFrom?.replace(/\/+$/, '');
      const reports: VerificationReportView[] = [];
      const codes: number[] = [];
      if (!o.json) {
        if (trust.anchors.length === 0) console.log('Cảnh báo / warning: no trust anchors (use --trust, HOCBA_TRUST_ANCHORS or `hocba pki demo`): no certificate chain can be trusted');
        else console.log(`Tin cậy / trust anchors: ${trust.from}`);
      }
      for (const file of files) {
        let bytes: Uint8Array;
        try {
          const size = (await stat(file)).size;
          if (size > MAX_PDF_BYTES) throw new Error(`${file} is ${size} bytes, above the ${MAX_PDF_BYTES}-byte limit`);
          bytes = new Uint8Array(await readFile(file));
        } catch (err) {
          // Nothing was checked: undecided, not invalid.
          console.error(`Lỗi / error: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? `no such file: ${(err as NodeJS.ErrnoException).path}` : (err as Error).message}`);
          codes.push(2);
          continue;
        }
        const report = await verifyRecord(bytes, {
          trust: { trustAnchors: trust.anchors, intermediates: trust.intermediates, revocation },
          fileName: basename(file),
          ...(client ? { statusList: async (rec) => client(o.statusUrl ?? `${statusBase}/api/public/status/${encodeURIComponent(rec.snapshot.school.code)}`) } : {}),
        });
        reports.push(report);
        codes.push(EXIT_CODES[report.verdict]);
        if (!o.json) {
          if (files.length > 1) console.log('');
          for (const l of formatReport(report, basename(file))) console.log(l);
        }
      }
      if (o.json) console.log(JSON.stringify(files.length === 1 ? (reports[0] ?? null) : reports, null, 2));
      process.exitCode = worst(codes);
    });
}
