/**
 * The user guide inside the product (issue 13.2): GET /api/guide/:page gives one page of
 * docs/guide as markdown and GET /api/guide/images/:file one of its screenshots. Both are
 * public — the verification page, used without signing in, links to the guide too. Names are
 * checked against the fixed page list and a strict image-name pattern before any file is read,
 * and files are read at run time so an updated guide shows without rebuilding the UI.
 * GET/PUT /api/me/help keeps whether the signed-in person dismissed the first-run tour.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { GUIDE_IMAGE_NAME, isGuidePage } from '../../domain/help/guide-pages.ts';
import { DomainError } from '../../domain/errors.ts';
import { getTourState, setTourDismissed } from '../../services/help/tour-state.ts';
import { requireAuth } from '../authorize.ts';

export const GUIDE_DIR = fileURLToPath(new URL('../../../docs/guide', import.meta.url));
/** A guide page is a few tens of KB; anything far larger is not ours. */
const MAX_PAGE_BYTES = 512 * 1024;
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const IMAGE_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', svg: 'image/svg+xml' };

/** Serves a file with a validator (size + mtime) so browsers revalidate cheaply; 304 when unchanged. */
async function sendFile(req: FastifyRequest, reply: FastifyReply, path: string, maxBytes: number, type: string, what: string, maxAge: number) {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new DomainError('not_found', { what });
  if (info.size > maxBytes) throw new DomainError('payload_too_large');
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  // The guide is public documentation (no personal data): unlike the rest of /api it may be cached.
  reply.header('cache-control', `public, max-age=${maxAge}, must-revalidate`).header('etag', etag);
  if (req.headers['if-none-match'] === etag) return reply.status(304).send();
  const body = await readFile(path);
  return reply.type(type).header('x-content-type-options', 'nosniff').send(body);
}

export function guideRoutes(app: FastifyInstance, opts: { database: Database; guideDir?: string }): void {
  const { db } = opts.database;
  const dir = opts.guideDir ?? GUIDE_DIR;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['help'];

  r.get(
    '/api/guide/:page',
    { config: { access: 'public' }, schema: { tags, summary: 'One page of the user guide (docs/guide/<page>.md) as markdown; no sign-in', params: z.object({ page: z.string().max(64) }) } },
    async (req, reply) => {
      const page = req.params.page.replace(/\.md$/, '');
      if (!isGuidePage(page)) throw new DomainError('not_found', { what: `trang hướng dẫn / guide page "${page.slice(0, 40)}"` });
      return sendFile(req, reply, join(dir, `${page}.md`), MAX_PAGE_BYTES, 'text/markdown; charset=utf-8', `trang hướng dẫn / guide page "${page}"`, 300);
    },
  );

  r.get(
    '/api/guide/images/:file',
    { config: { access: 'public' }, schema: { tags, summary: 'An image of the user guide (docs/guide/images/<file>); no sign-in', params: z.object({ file: z.string().max(128) }) } },
    async (req, reply) => {
      const file = req.params.file;
      const what = `hình hướng dẫn / guide image "${file.slice(0, 60)}"`;
      if (!GUIDE_IMAGE_NAME.test(file)) throw new DomainError('not_found', { what });
      const ext = file.slice(file.lastIndexOf('.') + 1);
      // SVG could carry script: served with its own sandboxing CSP so opening it directly is inert.
      if (ext === 'svg') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
      return sendFile(req, reply, join(dir, 'images', file), MAX_IMAGE_BYTES, IMAGE_TYPES[ext]!, what, 3600);
    },
  );

  r.get(
    '/api/me/help',
    { config: { access: 'authenticated' }, schema: { tags, summary: 'Whether the signed-in person has dismissed the first-run tour' } },
    async (req) => getTourState(db, requireAuth(req).user.id),
  );

  r.put(
    '/api/me/help',
    { config: { access: 'authenticated' }, schema: { tags, summary: 'Remember that the first-run tour was finished or dismissed (false shows the invitation again)', body: z.object({ tourDismissed: z.boolean() }) } },
    async (req) => setTourDismissed(db, requireAuth(req).user.id, req.body.tourDismissed),
  );
}
