import type { FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.ts';

/** Reads the one file of a multipart request (field "file"), refusing more than `maxBytes`. */
export async function uploadedFile(req: FastifyRequest, maxBytes?: number): Promise<{ name: string; content: Buffer }> {
  if (!req.isMultipart()) throw new DomainError('unsupported_media_type');
  const part = await req.file(maxBytes ? { limits: { fileSize: maxBytes, files: 1 } } : undefined);
  if (!part) throw new DomainError('file.invalid', { reason: 'không có tệp / no file (field "file")' });
  const content = await part.toBuffer();
  if (part.file.truncated) throw new DomainError('payload_too_large');
  return { name: part.filename, content };
}
