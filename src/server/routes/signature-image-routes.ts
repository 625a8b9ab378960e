/**
 * Signature images for the record PDF (Decree 30/2020): one's own blue handwritten signature
 * (/api/me/signature-image, the signed-in person only) and the school's red seal
 * (/api/school/seal-image, school administrator or clerk). Upload: multipart field "file",
 * a PNG of at most 1 MB with a transparent background.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../db/client.ts';
import { DomainError } from '../../domain/errors.ts';
import { deleteSignatureImage, getSignatureImage, putSignatureImage, SIGNATURE_IMAGE_MAX_BYTES, type ImageOwner } from '../../services/staff/signature-images.ts';
import { currentActor, requireAuth, requireSchool } from '../authorize.ts';
import { uploadedFile } from '../upload.ts';

export function signatureImageRoutes(app: FastifyInstance, { database }: { database: Database }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = database.db;
  const routes: Array<{ path: string; access: 'own_signature_image.manage' | 'seal_image.manage'; what: string; owner: (req: FastifyRequest) => ImageOwner }> = [
    { path: '/api/me/signature-image', access: 'own_signature_image.manage', what: "One's own handwritten signature image (blue, PNG with a transparent background)", owner: (req) => ({ kind: 'signature', userId: requireAuth(req).user.id }) },
    { path: '/api/school/seal-image', access: 'seal_image.manage', what: "The school's seal image (red, PNG with a transparent background)", owner: () => ({ kind: 'seal' }) },
  ];
  for (const { path, access, what, owner } of routes) {
    r.get(path, { config: { access }, schema: { tags: ['signatures'], summary: what } }, async (req) => ({
      image: await getSignatureImage({ db, schoolId: requireSchool(req), owner: owner(req) }),
    }));
    r.put(path, { config: { access }, schema: { tags: ['signatures'], summary: `Upload or replace: ${what}; multipart field "file", at most 1 MB` } }, async (req) => {
      const file = await uploadedFile(req, SIGNATURE_IMAGE_MAX_BYTES);
      return { image: await putSignatureImage({ db, who: currentActor(req), schoolId: requireSchool(req), owner: owner(req), content: file.content }) };
    });
    r.delete(path, { config: { access }, schema: { tags: ['signatures'], summary: `Remove: ${what}` } }, async (req, reply) => {
      const removed = await deleteSignatureImage({ db, who: currentActor(req), schoolId: requireSchool(req), owner: owner(req) });
      if (!removed) throw new DomainError('not_found', { what: 'ảnh / image' });
      return reply.status(204).send();
    });
  }
}
