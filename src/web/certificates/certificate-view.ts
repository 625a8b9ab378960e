/** Pure helpers for showing certificates: days left, standing colours, duty labels. */
import type { CertificateStanding } from '../../server/api-types.ts';
import type { MessageKey } from '../i18n/index.ts';

const DAY_MS = 86_400_000;

/** Whole days from `now` until `notAfter` (negative once expired; floor, so "0" means < 1 day left). */
export function daysLeft(notAfter: string, now: number = Date.now()): number {
  return Math.floor((Date.parse(notAfter) - now) / DAY_MS);
}

/** Standings in the order the board lists its filters: problems first, then the good ones. */
export const STANDINGS: readonly CertificateStanding[] = ['none', 'expired', 'revoked', 'untrusted', 'not_yet_valid', 'expires_before_deadline', 'revocation_unknown', 'valid'];

/** antd Tag colour per standing: red blocks signing, orange needs attention, green is fine. */
export const STANDING_COLOR: Record<CertificateStanding, string> = {
  none: 'default',
  valid: 'green',
  expires_before_deadline: 'orange',
  expired: 'red',
  not_yet_valid: 'orange',
  revoked: 'red',
  revocation_unknown: 'gold',
  untrusted: 'red',
};

export function standingKey(standing: CertificateStanding): MessageKey {
  return `cert.standing.${standing}` as MessageKey;
}

const DUTIES = new Set(['gvbm', 'gvcn', 'principal', 'vice_principal', 'seal']);

/** The label key of a board duty; unknown duties (a newer server) show their code. */
export function dutyKey(duty: string): MessageKey | null {
  return DUTIES.has(duty) ? (`board.duty.${duty}` as MessageKey) : null;
}

/** Board search: case- and diacritics-insensitive, so "nguyen van" finds "Nguyễn Văn". */
export function nameMatches(fullName: string, query: string): boolean {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().replace(/\s+/g, ' ').trim();
  const q = fold(query);
  return q === '' || fold(fullName).includes(q);
}
