/**
 * The transfer manifest and the acknowledgment (docs/transfer.md): two small XML documents
 * in the namespace urn:hocba:transfer:1, each with one data element carrying an Id and a
 * <Signatures> container outside it — the same layout as the HBS record, so the same XAdES
 * engine signs them and the same validateDocument (and xmlsec1) verifies them. Written
 * canonically (escaped the c14n way, no optional white space); read back strictly: unknown
 * or repeated elements and attributes are refused with the element named.
 */
import type { Element } from '@xmldom/xmldom';
import { SigningError } from '../../signing/signer.ts';
import { escapeXmlAttribute as attr, escapeXmlText as text } from '../../signing/xml/escape.ts';
import { childElements, parseXmlSafely } from '../../signing/xml/safe-parse.ts';

export const TRANSFER_NS = 'urn:hocba:transfer:1';
/** Where the signatures of both documents go. */
export const TRANSFER_SIGNATURE_CONTAINER = { namespace: TRANSFER_NS, localName: 'Signatures' } as const;
export const MANIFEST_DATA_ID = 'transfer';
export const MANIFEST_SIGNATURE_ID = 'sig-transfer';
export const ACK_DATA_ID = 'acknowledgment';
export const ACK_SIGNATURE_ID = 'sig-acknowledgment';
/** A manifest or acknowledgment is small: anything larger is refused before parsing. */
export const MAX_MANIFEST_BYTES = 256 * 1024;

/** Identity fields carried for enrolment (students table columns; docs/transfer.md). */
export const TRANSFER_STUDENT_FIELDS = [
  'fullName', 'gender', 'birthDate', 'birthPlace', 'ethnicityCode', 'nationality', 'personalId', 'studentCode', 'hometown',
  'address', 'phone', 'policyStatus', 'fatherName', 'fatherOccupation', 'motherName', 'motherOccupation', 'guardianName', 'guardianOccupation',
] as const;
export type TransferStudentField = (typeof TRANSFER_STUDENT_FIELDS)[number];
export type TransferStudent = Partial<Record<TransferStudentField, string>> & { fullName: string; gender: string; birthDate: string };

export interface ManifestFile {
  /** Path inside the ZIP (records/<year>-v<n>.pdf|xml). */
  path: string;
  kind: 'pdf' | 'xml';
  schoolYear: string;
  version: number;
  size: number;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
}

export interface SchoolRef {
  code: string;
  name: string;
  province: string;
}

export interface TransferManifest {
  packageId: string;
  createdAt: string;
  sendingSchool: SchoolRef;
  destination: string;
  reason: string;
  student: TransferStudent;
  files: ManifestFile[];
}

export interface TransferAcknowledgment {
  packageId: string;
  packageSha256: string;
  receivingSchool: SchoolRef;
  sendingSchool: SchoolRef;
  student: { personalId: string; fullName: string };
  receivedAt: string;
  result: 'accepted';
  recordCount: number;
}

const school = (tag: string, s: SchoolRef) => `<${tag} Code="${attr(s.code)}" Province="${attr(s.province)}">${text(s.name)}</${tag}>`;

/** The unsigned manifest document. */
export function writeManifest(m: TransferManifest): string {
  const fields = TRANSFER_STUDENT_FIELDS.filter((f) => m.student[f] !== undefined && m.student[f] !== '').map((f) => `<Field Name="${f}">${text(m.student[f]!)}</Field>`);
  const files = m.files.map((f) => `<File Path="${attr(f.path)}" Kind="${f.kind}" SchoolYear="${attr(f.schoolYear)}" Version="${f.version}" Size="${f.size}" Sha256="${f.sha256}"/>`);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<TransferManifest xmlns="${TRANSFER_NS}" Version="1">` +
    `<Transfer Id="${MANIFEST_DATA_ID}"><PackageId>${text(m.packageId)}</PackageId><CreatedAt>${text(m.createdAt)}</CreatedAt>${school('SendingSchool', m.sendingSchool)}` +
    `<Destination>${text(m.destination)}</Destination><Reason>${text(m.reason)}</Reason><Student>${fields.join('')}</Student><Files>${files.join('')}</Files></Transfer>` +
    `<Signatures></Signatures></TransferManifest>\n`
  );
}

/** The unsigned acknowledgment document. */
export function writeAcknowledgment(a: TransferAcknowledgment): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<TransferAcknowledgment xmlns="${TRANSFER_NS}" Version="1">` +
    `<Acknowledgment Id="${ACK_DATA_ID}"><PackageId>${text(a.packageId)}</PackageId><PackageSha256>${a.packageSha256}</PackageSha256>` +
    `${school('ReceivingSchool', a.receivingSchool)}${school('SendingSchool', a.sendingSchool)}` +
    `<Student PersonalId="${attr(a.student.personalId)}">${text(a.student.fullName)}</Student><ReceivedAt>${text(a.receivedAt)}</ReceivedAt>` +
    `<Result>${a.result}</Result><RecordCount>${a.recordCount}</RecordCount></Acknowledgment><Signatures></Signatures></TransferAcknowledgment>\n`
  );
}

/** A manifest or acknowledgment that does not follow the format; `element` names where. */
export class TransferFormatError extends Error {
  constructor(readonly element: string, reason: string) {
    super(`<${element}>: ${reason}`);
    this.name = 'TransferFormatError';
  }
}

function fail(el: Element | string, reason: string): never {
  throw new TransferFormatError(typeof el === 'string' ? el : el.localName ?? '?', reason);
}

function expectElement(el: Element, name: string): void {
  if (el.namespaceURI !== TRANSFER_NS || el.localName !== name) fail(el, `expected <${name}> in namespace ${TRANSFER_NS}, found <${el.localName}> in ${el.namespaceURI ?? 'no namespace'}`);
}

function attrs(el: Element, allowed: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i)!;
    if (a.name === 'xmlns') continue;
    if (!allowed.includes(a.name)) fail(el, `unexpected attribute ${a.name}`);
    out[a.name] = a.value;
  }
  for (const n of allowed) if (!(n in out)) fail(el, `missing attribute ${n}`);
  return out;
}

/** Text-only content (no child elements). */
function textOf(el: Element): string {
  if (childElements(el).length) fail(el, 'must hold text only');
  return el.textContent ?? '';
}

/** The children in exactly this order (white space between them is not allowed either: the writer never makes it). */
function children(el: Element, names: string[]): Element[] {
  for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 3 && (c.nodeValue ?? '').trim()) fail(el, 'unexpected text between elements');
  const kids = childElements(el);
  if (kids.length !== names.length) fail(el, `expected children ${names.join(', ')}, found ${kids.map((k) => k.localName).join(', ') || 'none'}`);
  kids.forEach((k, i) => expectElement(k, names[i]!));
  return kids;
}

const HEX64 = /^[0-9a-f]{64}$/;
const readSchool = (el: Element): SchoolRef => {
  const a = attrs(el, ['Code', 'Province']);
  return { code: a.Code!, province: a.Province!, name: textOf(el) };
};

function rootOf(xml: string, name: string): Element {
  let doc;
  try {
    doc = parseXmlSafely(xml, { maxBytes: MAX_MANIFEST_BYTES, maxDepth: 32 });
  } catch (e) {
    fail(name, e instanceof SigningError ? e.message : String(e));
  }
  const root = doc.documentElement!;
  expectElement(root, name);
  if (attrs(root, ['Version']).Version !== '1') fail(root, 'unsupported Version (expected 1)');
  return root;
}

/** Reads a manifest strictly; throws TransferFormatError naming the element. */
export function readManifest(xml: string): TransferManifest {
  const root = rootOf(xml, 'TransferManifest');
  const [data] = children(root, ['Transfer', 'Signatures']);
  if (attrs(data!, ['Id']).Id !== MANIFEST_DATA_ID) fail(data!, `Id must be "${MANIFEST_DATA_ID}"`);
  const [pid, created, sending, dest, reason, stu, files] = children(data!, ['PackageId', 'CreatedAt', 'SendingSchool', 'Destination', 'Reason', 'Student', 'Files']);
  const student: Record<string, string> = {};
  for (const f of childElements(stu!)) {
    expectElement(f, 'Field');
    const name = attrs(f, ['Name']).Name!;
    if (!(TRANSFER_STUDENT_FIELDS as readonly string[]).includes(name)) fail(f, `unknown student field ${name}`);
    if (name in student) fail(f, `student field ${name} appears twice`);
    student[name] = textOf(f);
  }
  for (const f of ['fullName', 'gender', 'birthDate', 'personalId'] as const) if (!student[f]) fail(stu!, `student field ${f} is required`);
  const list: ManifestFile[] = childElements(files!).map((f) => {
    expectElement(f, 'File');
    const a = attrs(f, ['Path', 'Kind', 'SchoolYear', 'Version', 'Size', 'Sha256']);
    if (a.Kind !== 'pdf' && a.Kind !== 'xml') fail(f, `Kind must be pdf or xml, not ${a.Kind}`);
    if (!/^[1-9][0-9]{0,5}$/.test(a.Version!)) fail(f, `Version ${a.Version} is not a positive whole number`);
    if (!/^(0|[1-9][0-9]{0,9})$/.test(a.Size!)) fail(f, `Size ${a.Size} is not a byte count`);
    if (!HEX64.test(a.Sha256!)) fail(f, `Sha256 of ${a.Path} is not 64 lower-case hex digits`);
    if (!/^[0-9]{4}-[0-9]{4}$/.test(a.SchoolYear!)) fail(f, `SchoolYear ${a.SchoolYear} is not like 2025-2026`);
    return { path: a.Path!, kind: a.Kind, schoolYear: a.SchoolYear!, version: Number(a.Version), size: Number(a.Size), sha256: a.Sha256! };
  });
  if (list.length === 0) fail(files!, 'lists no file');
  return { packageId: textOf(pid!), createdAt: textOf(created!), sendingSchool: readSchool(sending!), destination: textOf(dest!), reason: textOf(reason!), student: student as TransferStudent, files: list };
}

/** Reads an acknowledgment strictly; throws TransferFormatError naming the element. */
export function readAcknowledgment(xml: string): TransferAcknowledgment {
  const root = rootOf(xml, 'TransferAcknowledgment');
  const [data] = children(root, ['Acknowledgment', 'Signatures']);
  if (attrs(data!, ['Id']).Id !== ACK_DATA_ID) fail(data!, `Id must be "${ACK_DATA_ID}"`);
  const [pid, sha, recv, send, stu, at, result, count] = children(data!, ['PackageId', 'PackageSha256', 'ReceivingSchool', 'SendingSchool', 'Student', 'ReceivedAt', 'Result', 'RecordCount']);
  const packageSha256 = textOf(sha!);
  if (!HEX64.test(packageSha256)) fail(sha!, 'not 64 lower-case hex digits');
  if (textOf(result!) !== 'accepted') fail(result!, `unknown result ${textOf(result!)}`);
  const n = textOf(count!);
  if (!/^[0-9]{1,4}$/.test(n)) fail(count!, 'not a count');
  return {
    packageId: textOf(pid!),
    packageSha256,
    receivingSchool: readSchool(recv!),
    sendingSchool: readSchool(send!),
    student: { personalId: attrs(stu!, ['PersonalId']).PersonalId!, fullName: textOf(stu!) },
    receivedAt: textOf(at!),
    result: 'accepted',
    recordCount: Number(n),
  };
}
