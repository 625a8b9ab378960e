/**
 * XAdES at record size: a học bạ with 12 subject rows signed 15 times in the legal order
 * (12 subject teachers, homeroom covering the year and every earlier signature, principal
 * and seal covering everything), with software RSA-2048 keys. Prints XAdES signatures per
 * second (prepare + sign + complete, which re-verifies) and verifications per second, next
 * to raw RSA-2048 sign/verify in the same run, so the overhead of the XML work is visible.
 */
import { createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { hbsV1, serializeHbsV1 } from '../src/documents/hbs-xml/hbs-v1.ts';
import { fullSnapshot } from '../src/documents/hbs-xml/test-snapshots.ts';
import { createTestPki } from '../src/signing/pki/test-pki.ts';
import { softwareSigner } from '../src/signing/signers/software-signer.ts';
import { signXades, verifyAllXadesSignatures } from '../src/signing/xades/index.ts';
import type { Figure } from './results.ts';

function recordWith12Subjects() {
  const s = fullSnapshot();
  const base = s.year.subjects;
  s.year.subjects = Array.from({ length: 12 }, (_, i) => ({ ...base[i % base.length]!, code: `${base[i % base.length]!.code}${i}` }));
  return s;
}

export async function run(): Promise<Figure[]> {
  const pki = await createTestPki({ label: 'hocba BENCH' });
  const [teacher, homeroom, principal, seal] = await Promise.all(
    ['Giáo viên BENCH', 'Chủ nhiệm BENCH', 'Hiệu trưởng BENCH'].map((commonName) => pki.issue({ commonName })).concat(pki.issue({ commonName: 'Trường BENCH', kind: 'seal' })),
  );
  const signers = new Map([teacher, homeroom, principal, seal].map((id) => [id, softwareSigner({ privateKey: id!.privateKey, chain: id!.chain })]));
  const signerOf = (id: typeof teacher) => signers.get(id)!;
  const snapshot = recordWith12Subjects();
  const doc0 = serializeHbsV1(snapshot);
  const ids = hbsV1.dataElementIds(snapshot);
  const container = hbsV1.signatureContainer;
  const plan = [
    ...ids.subjects.map((s) => ({ id: `sig-${s.id}`, who: teacher, role: 'Giáo viên bộ môn', refs: [s.id], all: false })),
    { id: 'sig-homeroom', who: homeroom, role: 'Giáo viên chủ nhiệm', refs: [ids.year], all: true },
    { id: 'sig-principal', who: principal, role: 'Hiệu trưởng', refs: [ids.record], all: true },
    { id: 'sig-seal', who: seal, role: 'Văn thư', refs: [ids.record], all: true },
  ];

  async function signRecord(): Promise<string> {
    let xml = doc0;
    const done: string[] = [];
    for (const step of plan) {
      xml = await signXades({ xml, references: step.refs, signatureReferences: step.all ? [...done] : [], container, signatureId: step.id, signer: signerOf(step.who), claimedRole: step.role });
      done.push(step.id);
    }
    return xml;
  }

  await signRecord(); // warm-up (JIT, key import)
  const docs = 10;
  let t0 = performance.now();
  let signed = '';
  for (let i = 0; i < docs; i++) signed = await signRecord();
  const signMs = performance.now() - t0;
  const nSig = docs * plan.length;

  const rounds = 10;
  t0 = performance.now();
  for (let i = 0; i < rounds; i++) {
    const results = await verifyAllXadesSignatures(signed, { container });
    if (results.length !== plan.length || !results.every((r) => r.valid)) throw new Error('bench: a signature did not verify');
  }
  const verifyMs = performance.now() - t0;
  const nVer = rounds * plan.length;

  // Raw RSA-2048 with the same key, same process.
  const key = createPrivateKey({ key: Buffer.from(teacher!.privateKey), format: 'der', type: 'pkcs8' });
  const pub = createPublicKey(key);
  const data = randomBytes(256);
  const raw = 300;
  t0 = performance.now();
  let sig = Buffer.alloc(0);
  for (let i = 0; i < raw; i++) sig = sign('sha256', data, key);
  const rawSignMs = performance.now() - t0;
  t0 = performance.now();
  for (let i = 0; i < raw * 10; i++) if (!verify('sha256', data, pub, sig)) throw new Error('bench: raw verify failed');
  const rawVerifyMs = performance.now() - t0;

  const rate = (n: number, ms: number) => (n / (ms / 1000)).toFixed(0);
  console.log(`record with 12 subjects, 15 XAdES signatures each (signed document ${Math.round(Buffer.byteLength(signed) / 1024)} KiB):`);
  console.log(`  XAdES sign   ${rate(nSig, signMs).padStart(6)} signatures/s  (${(signMs / docs).toFixed(0)} ms per fully signed record; prepare + RSA + complete with self-check)`);
  console.log(`  XAdES verify ${rate(nVer, verifyMs).padStart(6)} signatures/s  (${(verifyMs / rounds).toFixed(0)} ms per record, all 15)`);
  console.log(`  raw RSA-2048 sign   ${rate(raw, rawSignMs).padStart(6)} /s · verify ${rate(raw * 10, rawVerifyMs)} /s`);
  const scale = `record with 12 subjects, 15 signatures; ${docs} records signed, ${rounds} verified`;
  return [
    { name: 'XAdES sign (RSA-2048, software)', value: nSig / (signMs / 1000), unit: 'signatures/s', scale },
    { name: 'XAdES verify', value: nVer / (verifyMs / 1000), unit: 'signatures/s', scale },
    { name: 'raw RSA-2048 sign (floor)', value: raw / (rawSignMs / 1000), unit: 'signatures/s', scale: `${raw} signatures` },
  ];
}
