/**
 * The bench's browser stand-in: signs in over HTTP (cookie + CSRF token, like the web UI),
 * sends each request to one of the instances in turn (a load balancer without stickiness:
 * sessions live in the database, so any instance serves any request), and records latency
 * per operation. Each person has an X-Forwarded-For address of their own (one staff-room PC
 * each), so per-address rate limits count per person as behind the deployment's proxy.
 */

export class Stats {
  readonly ms = new Map<string, number[]>();
  readonly errors = new Map<string, number>();
  readonly samples = new Map<string, string>();
  readonly perInstance = new Map<string, number>();
  add(op: string, ms: number, ok: boolean, instance: string, detail?: string): void {
    if (!this.ms.has(op)) this.ms.set(op, []);
    this.ms.get(op)!.push(ms);
    this.perInstance.set(instance, (this.perInstance.get(instance) ?? 0) + 1);
    if (!ok) {
      this.errors.set(op, (this.errors.get(op) ?? 0) + 1);
      if (detail && !this.samples.has(op)) this.samples.set(op, detail.slice(0, 300));
    }
  }
}

export const pct = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
};

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    where: string,
  ) {
    super(`${where}: HTTP ${status} ${body.slice(0, 300)}`);
  }
}

/** Round-robin over the instances' base URLs. */
export class Instances {
  private next = 0;
  constructor(readonly urls: string[]) {}
  pick(): string {
    const u = this.urls[this.next % this.urls.length]!;
    this.next++;
    return u;
  }
}

let addressCounter = 0;

/** One signed-in person. */
export class Session {
  private cookie = '';
  private csrf = '';
  readonly address: string;
  constructor(
    readonly username: string,
    private readonly instances: Instances,
    private readonly stats: Stats,
  ) {
    const n = ++addressCounter;
    this.address = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  }

  /** Signs in (POST /api/auth/login) and keeps the session cookie and CSRF token. */
  async login(password: string): Promise<void> {
    const base = this.instances.pick();
    const t = performance.now();
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': this.address }, body: JSON.stringify({ username: this.username, password }) });
    const body = await res.text();
    this.stats.add('login', performance.now() - t, res.ok, base, `${res.status} ${body}`);
    if (!res.ok) throw new HttpError(res.status, body, `login ${this.username}`);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('hocba_sid='));
    if (!setCookie) throw new Error(`login ${this.username}: no session cookie`);
    this.cookie = setCookie.split(';')[0]!;
    this.csrf = (JSON.parse(body) as { csrfToken: string }).csrfToken;
  }

  /** GET of a binary document (a sealed PDF) from the next instance. */
  async bytes(op: string, path: string): Promise<Uint8Array> {
    const base = this.instances.pick();
    const t = performance.now();
    const res = await fetch(`${base}${path}`, { headers: { cookie: this.cookie, 'x-forwarded-for': this.address } });
    const body = new Uint8Array(await res.arrayBuffer());
    this.stats.add(op, performance.now() - t, res.ok, base, `${res.status}`);
    if (!res.ok) throw new HttpError(res.status, Buffer.from(body).toString('utf8'), `${op} (${this.username}) on ${base}`);
    return body;
  }

  /** A JSON request to the next instance; throws HttpError naming the operation when not 2xx. */
  async json<T>(op: string, method: 'GET' | 'POST', path: string, payload?: unknown): Promise<T> {
    const base = this.instances.pick();
    const headers: Record<string, string> = { cookie: this.cookie, 'x-forwarded-for': this.address };
    if (method === 'POST') {
      headers['content-type'] = 'application/json';
      headers['x-csrf-token'] = this.csrf;
    }
    const t = performance.now();
    let res: Response;
    let body: string;
    try {
      res = await fetch(`${base}${path}`, { method, headers, ...(method === 'POST' ? { body: JSON.stringify(payload ?? {}) } : {}) });
      body = await res.text();
    } catch (err) {
      this.stats.add(op, performance.now() - t, false, base, String(err));
      throw new Error(`${op} (${this.username}) on ${base}: ${(err as Error).message}`);
    }
    this.stats.add(op, performance.now() - t, res.ok, base, `${res.status} ${body}`);
    if (!res.ok) throw new HttpError(res.status, body, `${op} (${this.username}) on ${base}`);
    return (body ? JSON.parse(body) : null) as T;
  }
}

/** Runs `tasks` with at most `limit` at once; the first failure rejects (after the running ones settle). */
export async function pool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (failure === null && i < items.length) {
      const item = items[i++]!;
      try {
        await run(item);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== null) throw failure;
}
