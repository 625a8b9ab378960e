/**
 * The package reader and the manifest reader on hostile input, without a database: unsafe
 * names, duplicates, bombs (honest and lying headers), sizes; manifests with a DOCTYPE,
 * unknown or repeated elements, bad digests. Each refusal names the entry and the check.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zipSync } from 'fflate';
import { readManifest, TransferFormatError, writeManifest, type TransferManifest } from './manifest.ts';
import { isSafeEntryPath, MAX_ENTRIES, PackageError, readPackage, writePackage } from './package-zip.ts';

const refusedWith = (fn: () => unknown, file: RegExp, check: RegExp) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PackageError, String(e));
    assert.match(e.file, file);
    assert.match(e.check, check);
    return true;
  });

test('entry names: only plain relative ASCII paths', () => {
  for (const ok of ['manifest.xml', 'records/2025-2026-v1.pdf', 'a/b_c/d-e.f']) assert.ok(isSafeEntryPath(ok), ok);
  for (const bad of ['', '/etc/passwd', '../x', 'a/../b', 'a//b', 'a\\b', 'C:/x', 'a/.hidden', 'tên.xml', 'a\u0000b', 'x/..', '.', 'a/./b']) assert.ok(!isSafeEntryPath(bad), JSON.stringify(bad));
});

test('a well-formed package round-trips; the same input gives the same bytes', () => {
  const files = [
    { path: 'manifest.xml', bytes: new Uint8Array(Buffer.from('<x/>')) },
    { path: 'records/2025-2026-v1.pdf', bytes: new Uint8Array(5000).fill(7) },
  ];
  const at = new Date('2026-06-01T00:00:00Z');
  const zip = writePackage(files, at);
  assert.deepEqual(writePackage(files, at), zip);
  const read = readPackage(zip);
  assert.deepEqual([...read.keys()].sort(), ['manifest.xml', 'records/2025-2026-v1.pdf']);
  assert.deepEqual(read.get('records/2025-2026-v1.pdf'), files[1]!.bytes);
});

test('hostile ZIPs are refused before inflating, naming the entry and the check', () => {
  refusedWith(() => readPackage(zipSync({ '../../evil.sh': new Uint8Array([1]) })), /evil\.sh/, /entry name/);
  refusedWith(() => readPackage(zipSync({ '/abs.xml': new Uint8Array([1]) })), /abs\.xml/, /entry name/);
  refusedWith(() => readPackage(zipSync({ 'bomb.xml': [new Uint8Array(10 * 1024 * 1024), { level: 9 }] })), /bomb\.xml/, /compression ratio/);
  refusedWith(() => readPackage(zipSync({ 'big.pdf': [new Uint8Array(17 * 1024 * 1024), { level: 0 }] })), /big\.pdf/, /size/);
  const many: Record<string, Uint8Array> = {};
  for (let i = 0; i <= MAX_ENTRIES; i++) many[`f${i}.xml`] = new Uint8Array([i]);
  refusedWith(() => readPackage(zipSync(many)), /package/, /entries/);
  refusedWith(() => readPackage(new Uint8Array(Buffer.from('not a zip at all, just text'))), /package/, /format/);
  refusedWith(() => readPackage(new Uint8Array(33 * 1024 * 1024)), /package/, /size/);
});

test('a duplicated name in the central directory is refused', () => {
  const zip = Buffer.from(zipSync({ 'a.xml': new Uint8Array([1]), 'b.xml': new Uint8Array([2]) }, { level: 0 }));
  // Rename b.xml to a.xml in both the local and the central headers.
  const patched = Buffer.from(zip.toString('latin1').replaceAll('b.xml', 'a.xml'), 'latin1');
  refusedWith(() => readPackage(new Uint8Array(patched)), /a\.xml/, /entry name/);
});

test('a header that understates the inflated size is refused early, not inflated to the end', () => {
  const big = new Uint8Array(8 * 1024 * 1024);
  const zip = Buffer.from(zipSync({ 'x.xml': [big, { level: 1 }] }));
  // Lie in the central directory: uncompressed size 8 MiB → 1000 bytes (offset 24 of the CEN header).
  const cen = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  zip.writeUInt32LE(1000, cen + 24);
  refusedWith(() => readPackage(new Uint8Array(zip)), /x\.xml/, /size/);
  // A flipped byte in the data: the CRC-32 (or the inflater) catches it.
  const ok = Buffer.from(zipSync({ 'y.xml': [new Uint8Array(Buffer.from('<a>'.repeat(300))), { level: 0 }] }));
  const i = ok.indexOf('<a>') + 10;
  ok[i] = ok[i]! ^ 0x01;
  refusedWith(() => readPackage(new Uint8Array(ok)), /y\.xml/, /CRC-32/);
});

const manifest: TransferManifest = {
  packageId: '6f1f7a2e-0000-4000-8000-000000000001',
  createdAt: '2026-06-01T00:00:00.000Z',
  sendingSchool: { code: 'THPT-A', name: 'Trường THPT A & "B"', province: 'Hà Nội' },
  destination: 'Trường THPT C <D>',
  reason: 'Gia đình chuyển nơi ở',
  student: { fullName: 'Nguyễn Văn An', gender: 'male', birthDate: '2010-01-02', personalId: '001210000001', studentCode: '0123456789' },
  files: [{ path: 'records/2025-2026-v1.pdf', kind: 'pdf', schoolYear: '2025-2026', version: 1, size: 10, sha256: 'a'.repeat(64) }],
};

test('the manifest round-trips through its strict reader, escaping included', () => {
  assert.deepEqual(readManifest(writeManifest(manifest)), manifest);
});

test('the manifest reader refuses DOCTYPEs, unknown and repeated elements, bad digests, naming the element', () => {
  const xml = writeManifest(manifest);
  const refused = (text: string, re: RegExp) => assert.throws(() => readManifest(text), (e: unknown) => e instanceof TransferFormatError && re.test(e.message));
  refused(xml.replace('<TransferManifest', '<!DOCTYPE x [<!ENTITY e "x">]><TransferManifest'), /DOCTYPE/);
  refused(xml.replace('<Reason>', '<Extra/><Reason>'), /<Transfer>.*expected children/);
  refused(xml.replace('<Field Name="gender">', '<Field Name="fullName">x</Field><Field Name="gender">'), /fullName appears twice/);
  refused(xml.replace('a'.repeat(64), 'A'.repeat(64)), /<File>.*Sha256/);
  refused(xml.replace('Kind="pdf"', 'Kind="exe"'), /Kind must be pdf or xml/);
  refused(xml.replace('<Field Name="personalId">001210000001</Field>', ''), /personalId is required/);
  refused(xml.replace('Version="1">', 'Version="2">'), /unsupported Version/);
  refused(xml.replace('xmlns="urn:hocba:transfer:1"', 'xmlns="urn:other"'), /namespace/);
});
