/**
 * The school's signed status list (issue 9.3, docs/verification.md "Status list"): every
 * sealed record version of a school with its status — valid, superseded (by which version),
 * revoked (when, why) — in a small XML document signed (XAdES) with the school seal's key,
 * with an issue time and a next-update time. Verifiers fetch it, cache it until next-update,
 * check its signature against their trust anchors like any record signature, and read the
 * status of a record from it by the record's canonical digest.
 */
import { readXml, type XmlElement } from '../../documents/hbs-xml/xml-reader.ts';
import { writeXmlDocument, type OutElement } from '../../documents/hbs-xml/xml-writer.ts';
import type { RevocationProvider, Signer, TimestampProvider } from '../../signing/signer.ts';
import { validateDocument, type Check, type SignerInfo } from '../../signing/validation/index.ts';
import { signXades } from '../../signing/xades/index.ts';

export const STATUS_LIST_NAMESPACE = 'urn:hocba:status:1';
export const STATUS_LIST_MEDIA_TYPE = 'application/vnd.hocba.status+xml; version=1';
export const STATUS_DATA_ID = 'status';
export const STATUS_SIGNATURE_ID = 'sig-status';
const CONTAINER = { namespace: STATUS_LIST_NAMESPACE, localName: 'Signatures' };
/** A status list larger than this is refused (≈ 60 000 records). */
export const MAX_STATUS_LIST_BYTES = 16 * 1024 * 1024;

export type StatusValue = 'valid' | 'superseded' | 'revoked';

export interface StatusEntry {
  /** sha256 (hex) of the record version's canonical XML. */
  digest: string;
  code: string;
  version: number;
  status: StatusValue;
  supersededBy?: { version: number; code: string } | undefined;
  revokedAt?: string | undefined;
  reason?: string | undefined;
}

export interface StatusList {
  school: { id: string; code: string; name: string };
  issuedAt: string;
  nextUpdate: string;
  entries: StatusEntry[];
}

const text = (name: string, v: string): OutElement => ({ name, text: v });

/** The unsigned status list document (canonical: the same list gives the same bytes). */
export function statusListXml(list: StatusList): string {
  const entries = [...list.entries].sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  return writeXmlDocument({
    name: 'StatusList',
    attributes: [['xmlns', STATUS_LIST_NAMESPACE], ['version', '1']],
    children: [
      {
        name: 'Data',
        attributes: [['Id', STATUS_DATA_ID]],
        children: [
          { name: 'School', children: [text('Id', list.school.id), text('Code', list.school.code), text('Name', list.school.name)] },
          text('IssuedAt', list.issuedAt),
          text('NextUpdate', list.nextUpdate),
          {
            name: 'Records',
            children: entries.map((e) => ({
              name: 'Record',
              attributes: [
                ['digest', e.digest],
                ['code', e.code],
                ['version', String(e.version)],
                ['status', e.status],
                ...(e.supersededBy ? ([['supersededByVersion', String(e.supersededBy.version)], ['supersededByCode', e.supersededBy.code]] as const) : []),
                ...(e.revokedAt ? ([['revokedAt', e.revokedAt]] as const) : []),
              ],
              ...(e.reason ? { children: [text('Reason', e.reason)] } : {}),
            })),
          },
        ],
      },
      { name: 'Signatures' },
    ],
  });
}

/** Signs a status list with the school seal's key (XAdES, optionally with a trusted timestamp). */
export async function signStatusList(list: StatusList, signer: Signer, opts: { now: Date; timestamp?: TimestampProvider | null }): Promise<string> {
  return signXades({
    xml: statusListXml(list),
    references: [STATUS_DATA_ID],
    container: CONTAINER,
    signatureId: STATUS_SIGNATURE_ID,
    signer,
    signingTime: opts.now,
    claimedRole: 'Văn thư',
    ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
  });
}

export interface ReadStatusListResult {
  /** passed: signed, trusted and current; failed: forged, altered, malformed; indeterminate: could not be trusted or is stale. */
  check: Check;
  list: StatusList | null;
  signer: SignerInfo | null;
}

function child(e: XmlElement, local: string): XmlElement {
  const c = e.children.find((x) => x.local === local && x.ns === STATUS_LIST_NAMESPACE);
  if (!c) throw new Error(`<${e.local}> has no <${local}> (line ${e.line})`);
  return c;
}
const attr = (e: XmlElement, name: string) => e.attributes.find((a) => a.name === name)?.value;

function parseList(xml: string): StatusList {
  const root = readXml(xml, { maxChars: MAX_STATUS_LIST_BYTES });
  if (root.local !== 'StatusList' || root.ns !== STATUS_LIST_NAMESPACE) throw new Error(`the root element is <${root.name}>, not a hocba status list`);
  const datas = root.children.filter((c) => c.local === 'Data');
  if (datas.length !== 1 || attr(datas[0]!, 'Id') !== STATUS_DATA_ID) throw new Error(`the status list must hold exactly one <Data Id="${STATUS_DATA_ID}"> directly under its root`);
  const data = datas[0]!;
  const school = child(data, 'School');
  const entries: StatusEntry[] = child(data, 'Records').children.map((r) => {
    const status = attr(r, 'status');
    if (status !== 'valid' && status !== 'superseded' && status !== 'revoked') throw new Error(`record at line ${r.line} has status "${status}"`);
    const digest = attr(r, 'digest') ?? '';
    if (!/^[0-9a-f]{64}$/.test(digest)) throw new Error(`record at line ${r.line} has no sha256 digest`);
    const byVersion = attr(r, 'supersededByVersion');
    const reason = r.children.find((c) => c.local === 'Reason');
    return {
      digest,
      code: attr(r, 'code') ?? '',
      version: Number(attr(r, 'version')),
      status,
      supersededBy: byVersion ? { version: Number(byVersion), code: attr(r, 'supersededByCode') ?? '' } : undefined,
      revokedAt: attr(r, 'revokedAt'),
      reason: reason?.text,
    };
  });
  return { school: { id: child(school, 'Id').text, code: child(school, 'Code').text, name: child(school, 'Name').text }, issuedAt: child(data, 'IssuedAt').text, nextUpdate: child(data, 'NextUpdate').text, entries };
}

/**
 * Checks a fetched status list: its one XAdES signature must cover the data, be intact and
 * chain to a trust anchor (same validator as record signatures), and it must not be past its
 * next-update time. Never throws.
 */
export async function readStatusList(bytes: Uint8Array, opts: { trustAnchors: Uint8Array[]; intermediates?: Uint8Array[]; revocation?: RevocationProvider | 'offline'; now?: Date }): Promise<ReadStatusListResult> {
  const now = opts.now ?? new Date();
  const report = await validateDocument(bytes, {
    trustAnchors: opts.trustAnchors,
    intermediates: opts.intermediates ?? [],
    revocation: opts.revocation ?? 'offline',
    xmlContainer: CONTAINER,
    expected: { xml: { [STATUS_SIGNATURE_ID]: [STATUS_DATA_ID] } },
    maxBytes: MAX_STATUS_LIST_BYTES,
    now,
  });
  if (report.documentType !== 'xml') return { check: { status: 'failed', reason: 'the status list is not an XML document' }, list: null, signer: null };
  const sig = report.signatures.find((s) => s.id === STATUS_SIGNATURE_ID) ?? null;
  if (report.signatures.length !== 1 || !sig) return { check: { status: 'failed', reason: `the status list must carry exactly one signature "${STATUS_SIGNATURE_ID}" (found ${report.signatures.length})` }, list: null, signer: null };
  if (report.status !== 'passed') {
    const bad = [...Object.entries(report.documentChecks), ...Object.entries(sig.checks)].filter(([, c]) => c && c.status !== 'passed').map(([n, c]) => `${n}: ${c!.reason}`);
    return { check: { status: report.status, reason: `the status list's signature is ${report.status === 'failed' ? 'not valid' : 'not verifiable'}: ${bad.slice(0, 3).join('; ')}` }, list: null, signer: sig.signer };
  }
  let list: StatusList;
  try {
    list = parseList(new TextDecoder().decode(bytes));
  } catch (e) {
    return { check: { status: 'failed', reason: `the status list is malformed: ${(e as Error).message}` }, list: null, signer: sig.signer };
  }
  const next = Date.parse(list.nextUpdate);
  if (!Number.isFinite(next) || next < now.getTime()) return { check: { status: 'indeterminate', reason: `the status list is stale: its next update was due ${list.nextUpdate}` }, list, signer: sig.signer };
  return { check: { status: 'passed', reason: `status list of ${list.school.name} issued ${list.issuedAt}, next update ${list.nextUpdate}, signed by ${sig.signer?.commonName ?? '?'}` }, list, signer: sig.signer };
}
