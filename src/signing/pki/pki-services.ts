/**
 * HTTP front of the test PKI on node:http (no framework: it must stay inside src/signing):
 * POST /ocsp (application/ocsp-request), GET /ocsp/<base64 request> (RFC 6960 A.1),
 * GET /crl and /crl/root (DER), POST /tsa (application/timestamp-query). Listens on
 * 127.0.0.1; the URL is known before a PKI is attached, so certificates can name it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestPki } from './test-pki.ts';

const MAX_REQUEST_BYTES = 64 * 1024;

export interface PkiServices {
  url: string;
  attach(pki: TestPki): void;
  close(): Promise<void>;
  /** Added: number of requests served per path (tests use it to prove caching). */
  hits: Record<string, number>;
}

async function readBody(req: IncomingMessage): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function send(res: ServerResponse, status: number, type: string, body: Uint8Array | string): void {
  // connection: close — an idle keep-alive socket would hold a finished test process open.
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', connection: 'close' });
  res.end(body);
}

/**
 * Starts the OCSP / CRL / TSA endpoints on 127.0.0.1 (port 0 = any free port). `unref` lets
 * a process exit while the services are still listening (shared test fixtures).
 */
export async function listenPkiServices(opts: { port?: number; unref?: boolean } = {}): Promise<PkiServices> {
  let pki: TestPki | null = null;
  const hits: Record<string, number> = {};
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = path.startsWith('/ocsp/') ? '/ocsp' : path;
    hits[route] = (hits[route] ?? 0) + 1;
    void (async () => {
      if (!pki) return send(res, 503, 'text/plain', 'no PKI attached');
      if (req.method === 'POST' && (path === '/ocsp' || path === '/tsa')) {
        const body = await readBody(req);
        if (!body) return send(res, 413, 'text/plain', `request to ${path} larger than ${MAX_REQUEST_BYTES} bytes`);
        if (path === '/ocsp') return send(res, 200, 'application/ocsp-response', await pki.ocspRespond(body));
        return send(res, 200, 'application/timestamp-reply', await pki.timestamp(body));
      }
      if (req.method === 'GET' && path.startsWith('/ocsp/')) {
        const der = new Uint8Array(Buffer.from(decodeURIComponent(path.slice('/ocsp/'.length)), 'base64'));
        return send(res, 200, 'application/ocsp-response', await pki.ocspRespond(der));
      }
      if (req.method === 'GET' && path === '/crl') return send(res, 200, 'application/pkix-crl', await pki.crl());
      if (req.method === 'GET' && path === '/crl/root') return send(res, 200, 'application/pkix-crl', await pki.rootCrl());
      return send(res, 404, 'text/plain', `no such endpoint: ${req.method} ${path}`);
    })().catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `test PKI error on ${path}: ${(err as Error).message}`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  if (opts.unref) server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    attach(p: TestPki) {
      pki = p;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
