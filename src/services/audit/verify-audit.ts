import type { Database } from '../../db/client.ts';
import { auditHash, GENESIS_HASH } from './audit-hash.ts';

export interface AuditBreak {
  chain: string;
  seq: number;
  id: number;
  reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'bad_genesis';
  detail: string;
}

export interface AuditVerifyReport {
  ok: boolean;
  checked: number;
  chains: Array<{ chain: string; entries: number; headSeq: number; headHash: string }>;
  firstBroken?: AuditBreak;
}

interface Row {
  id: string;
  chain: string;
  seq: string;
  school_id: string | null;
  at: string;
  actor_user_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

const PAGE = 5000;

/**
 * Walks every chain (or one) in seq order, recomputing each hash and checking that it links
 * to the previous entry. Reports the first broken link: an edited row (its hash no longer
 * matches), a deleted row (a gap in seq or a prev_hash that points elsewhere) or reordered
 * rows. Deleting the newest entries cannot be seen from inside the chain: compare the
 * reported head hash with one recorded earlier (docs/security.md).
 */
export async function verifyAudit(opts: { database: Database; schoolId?: string }): Promise<AuditVerifyReport> {
  const { database } = opts;
  const chains = opts.schoolId
    ? [`school:${opts.schoolId}`]
    : (await database.query<{ chain: string }>('select distinct chain from audit_log order by chain')).map((r) => r.chain);
  const report: AuditVerifyReport = { ok: true, checked: 0, chains: [] };
  for (const chain of chains) {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let afterSeq = 0;
    for (;;) {
      const rows = await database.query<Row>(
        `select id::text, chain, seq::text, school_id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at,
                actor_user_id, actor_label, action, target_type, target_id, before, after, prev_hash, hash
           from audit_log where chain = $1 and audit_log.seq > $2 order by audit_log.seq limit ${PAGE}`,
        [chain, afterSeq],
      );
      for (const r of rows) {
        const seq = Number(r.seq);
        const broken = check(r, seq, expectedSeq, prevHash);
        report.checked++;
        if (broken) {
          report.ok = false;
          report.firstBroken = broken;
          return report;
        }
        prevHash = r.hash;
        expectedSeq = seq + 1;
        afterSeq = seq;
      }
      if (rows.length < PAGE) break;
    }
    report.chains.push({ chain, entries: expectedSeq - 1, headSeq: expectedSeq - 1, headHash: prevHash });
  }
  return report;
}

function check(r: Row, seq: number, expectedSeq: number, prevHash: string): AuditBreak | undefined {
  const at = { chain: r.chain, seq, id: Number(r.id) };
  if (seq !== expectedSeq) {
    return { ...at, reason: 'sequence_gap', detail: `expected entry ${expectedSeq}, found ${seq}: entries are missing or were renumbered` };
  }
  if (r.prev_hash !== prevHash) {
    return {
      ...at,
      reason: seq === 1 ? 'bad_genesis' : 'prev_hash_mismatch',
      detail: `prev_hash ${r.prev_hash.slice(0, 12)}… does not match the previous entry's hash ${prevHash.slice(0, 12)}…`,
    };
  }
  const recomputed = auditHash({
    chain: r.chain,
    seq,
    schoolId: r.school_id,
    at: r.at,
    actorUserId: r.actor_user_id,
    actorLabel: r.actor_label,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    before: r.before,
    after: r.after,
    prevHash: r.prev_hash,
  });
  if (recomputed !== r.hash) {
    return { ...at, reason: 'hash_mismatch', detail: `the entry's content no longer matches its hash: it was edited after it was written` };
  }
  return undefined;
}
