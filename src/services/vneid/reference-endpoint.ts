/**
 * A small reference of the VNeID sharing endpoint (docs/sync.md), for the tests: bearer API
 * key, idempotent PUT per key (200 when the same key comes again), 422 VNEID-E101 without a
 * 12-digit personal identity number, scripted 500s, and a count of every PUT per key.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VneidReference {
  url: string;
  readonly shares: Map<string, { shareId: string; body: Record<string, unknown> }>;
  readonly puts: Map<string, number>;
  pushFaults(...f: Array<'ok' | 'error500'>): void;
  close(): Promise<void>;
}

/** Starts the endpoint on 127.0.0.1:0 with this API key. */
export async function startVneidReference(apiKey = 'vneid-khoa-thu'): Promise<VneidReference> {
  const shares = new Map<string, { shareId: string; body: Record<string, unknown> }>();
  const puts = new Map<string, number>();
  const faults: Array<'ok' | 'error500'> = [];
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let s = '';
      req.on('data', (c: Buffer) => (s.length < 100_000 ? (s += c.toString('utf8')) : req.destroy()));
      req.on('end', () => resolve(s));
    });
  const server = createServer((req, res) => {
    void (async () => {
      if (req.headers.authorization !== `Bearer ${apiKey}`) return json(res, 401, { error: 'unauthorized' });
      const m = /^\/v1\/shares\/([^/?]+)$/.exec(req.url ?? '');
      if (!m) return json(res, 404, { error: 'not_found' });
      const key = decodeURIComponent(m[1]!);
      if (req.method === 'GET') {
        const s = shares.get(key);
        return s ? json(res, 200, { shareId: s.shareId }) : json(res, 404, { error: 'not_found' });
      }
      if (req.method !== 'PUT') return json(res, 405, { error: 'method' });
      const body = JSON.parse((await read(req)) || '{}') as Record<string, unknown>;
      if ((faults.shift() ?? 'ok') === 'error500') return json(res, 500, { error: 'scripted' });
      puts.set(key, (puts.get(key) ?? 0) + 1);
      const had = shares.get(key);
      if (had) return json(res, 200, { shareId: had.shareId });
      if (typeof body.personalId !== 'string' || !/^\d{12}$/.test(body.personalId)) return json(res, 422, { code: 'VNEID-E101', message: 'Không có số định danh cá nhân hợp lệ / no valid personal identity number' });
      const shareId = `VNEID-${randomUUID()}`;
      shares.set(key, { shareId, body });
      return json(res, 201, { shareId });
    })().catch(() => json(res, 500, { error: 'internal' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    shares,
    puts,
    pushFaults: (...f) => void faults.push(...f),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
