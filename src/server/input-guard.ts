/**
 * Text that PostgreSQL cannot store or that no person typed: NUL characters and lone UTF-16
 * surrogates. Checked once, for every JSON body and query string, before validation, so
 * each route gets a clear 400 naming the field instead of a database error.
 */
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../domain/errors.ts';

// A NUL, or a surrogate half without its partner.
const BAD = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The path of the first bad string in a JSON value, or null. */
export function findBadText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return BAD.test(value) ? path || '(body)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findBadText(value[i], path ? `${path}.${i}` : String(i));
      if (p) return p;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = BAD.test(k) ? path || '(body)' : findBadText(v, path ? `${path}.${k}` : k);
      if (p) return p;
    }
  }
  return null;
}

export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const where = findBadText(req.body) ?? findBadText(req.query);
    if (where) {
      throw new DomainError('validation', { summary: where }, [{ path: where, message: 'Chứa ký tự điều khiển không hợp lệ (NUL). / Contains an invalid control character.' }]);
    }
  });
}
