/**
 * Finding the same student in another list (an import, the sector database, VNeID): by
 * personal ID first, then the Ministry student code, then name + birth date — the first
 * key that finds anyone decides; several hits are reported, never guessed (DOMAIN.md §6).
 */
import { foldVietnamese } from './names.ts';

export interface IdentityKeys {
  personalId?: string | null | undefined;
  studentCode?: string | null | undefined;
  fullName?: string | null | undefined;
  birthDate?: string | null | undefined;
}

export type MatchKey = 'personalId' | 'studentCode' | 'nameBirthDate';
export type MatchResult<T> = { status: 'matched'; by: MatchKey; record: T } | { status: 'several'; by: MatchKey; records: T[] } | { status: 'none' };

/** Name + birth date as compared: accents, case and spacing ignored. */
export function nameBirthKey(fullName: string, birthDate: string): string {
  return `${foldVietnamese(fullName).replace(/\s+/g, ' ').trim()}|${birthDate}`;
}

/** An index of records by the three keys, for repeated matching. */
export class IdentityIndex<T> {
  private readonly byPid = new Map<string, T[]>();
  private readonly byCode = new Map<string, T[]>();
  private readonly byName = new Map<string, T[]>();

  constructor(records: Iterable<T>, keys: (r: T) => IdentityKeys) {
    const add = (m: Map<string, T[]>, k: string | null | undefined, r: T) => k && m.set(k, [...(m.get(k) ?? []), r]);
    for (const r of records) {
      const k = keys(r);
      add(this.byPid, k.personalId, r);
      add(this.byCode, k.studentCode, r);
      if (k.fullName && k.birthDate) add(this.byName, nameBirthKey(k.fullName, k.birthDate), r);
    }
  }

  /** Records holding this personal ID or student code (for "already used by someone else"). */
  holders(key: 'personalId' | 'studentCode', value: string): T[] {
    return (key === 'personalId' ? this.byPid : this.byCode).get(value) ?? [];
  }

  match(k: IdentityKeys): MatchResult<T> {
    const tries: Array<[MatchKey, T[] | undefined]> = [
      ['personalId', k.personalId ? this.byPid.get(k.personalId) : undefined],
      ['studentCode', k.studentCode ? this.byCode.get(k.studentCode) : undefined],
      ['nameBirthDate', k.fullName && k.birthDate ? this.byName.get(nameBirthKey(k.fullName, k.birthDate)) : undefined],
    ];
    for (const [by, found] of tries) {
      if (found?.length === 1) return { status: 'matched', by, record: found[0]! };
      if (found && found.length > 1) return { status: 'several', by, records: found };
    }
    return { status: 'none' };
  }
}
