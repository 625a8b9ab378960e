import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { auditLog, signatureImages } from '../../db/schema.ts';
import { opaqueTestPng, sealTestPng, signatureTestPng } from '../../documents/pdf/test-png.ts';
import { DomainError } from '../../domain/errors.ts';
import { BACKENDS, freshDatabase } from '../../../test/helpers/db.ts';
import { rejectsDb } from '../../../test/helpers/assert-db.ts';
import { makeSchool, type TestSchool } from '../../../test/helpers/factories.ts';
import { deleteSignatureImage, getSignatureImage, imagesForSigning, putSignatureImage } from './signature-images.ts';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const kind of BACKENDS) {
  describe(`signature and seal images (${kind})`, () => {
    let database: Database;
    let a: TestSchool;
    let b: TestSchool;
    before(async () => {
      database = await freshDatabase(kind);
      a = await makeSchool(database, 'sia');
      b = await makeSchool(database, 'sib');
    });
    after(() => database.close());

    const who = (s: TestSchool, role: keyof TestSchool['users']) => ({ userId: s.users[role].id, label: `${s.users[role].username}` });
    const audits = (s: TestSchool, action: string) =>
      database.db.select().from(auditLog).where(and(eq(auditLog.schoolId, s.schoolId), eq(auditLog.action, action)));

    test('a teacher uploads, replaces and removes their own signature; each change is audited without the bytes', async () => {
      const db = database.db;
      const owner = { kind: 'signature' as const, userId: a.users.homeroom_teacher.id };
      assert.equal(await getSignatureImage({ db, schoolId: a.schoolId, owner }), null);
      const first = signatureTestPng();
      const view = await putSignatureImage({ db, who: who(a, 'homeroom_teacher'), schoolId: a.schoolId, owner, content: first });
      assert.deepEqual([view.kind, view.width, view.height, view.sha256, view.sizeMm], ['signature', 360, 140, sha256(first), null]);
      assert.ok(Buffer.from(view.dataUrl.replace('data:image/png;base64,', ''), 'base64').equals(first));
      assert.deepEqual(await getSignatureImage({ db, schoolId: a.schoolId, owner }), view);

      const second = signatureTestPng(1);
      const replaced = await putSignatureImage({ db, who: who(a, 'homeroom_teacher'), schoolId: a.schoolId, owner, content: second });
      assert.equal(replaced.sha256, sha256(second));
      const rows = await inSchool(db, a.schoolId, (tx) => tx.select().from(signatureImages).where(eq(signatureImages.userId, owner.userId)));
      assert.equal(rows.length, 1, 'replaced in place');

      const [uploaded] = await audits(a, 'signature_image.uploaded');
      const [swap] = await audits(a, 'signature_image.replaced');
      assert.deepEqual(uploaded!.after, { sha256: sha256(first), width: 360, height: 140, bytes: first.length });
      assert.deepEqual(swap!.before, { sha256: sha256(first), width: 360, height: 140 });
      assert.equal(swap!.targetId, owner.userId);
      assert.ok(!JSON.stringify(uploaded).includes(first.toString('base64').slice(0, 40)), 'no image bytes in the audit log');

      assert.equal(await deleteSignatureImage({ db, who: who(a, 'homeroom_teacher'), schoolId: a.schoolId, owner }), true);
      assert.equal(await getSignatureImage({ db, schoolId: a.schoolId, owner }), null);
      assert.equal((await audits(a, 'signature_image.removed')).length, 1);
      assert.equal(await deleteSignatureImage({ db, who: who(a, 'homeroom_teacher'), schoolId: a.schoolId, owner }), false, 'nothing left to remove');
      assert.equal((await audits(a, 'signature_image.removed')).length, 1, 'and nothing audited');
    });

    test('the school seal: one per school, its real size read from the PNG, invisible to another school', async () => {
      const db = database.db;
      const seal = await putSignatureImage({ db, who: who(a, 'clerk'), schoolId: a.schoolId, owner: { kind: 'seal' }, content: sealTestPng() });
      assert.ok(Math.abs(seal.sizeMm!.width - 36) < 0.1);
      await putSignatureImage({ db, who: who(a, 'school_admin'), schoolId: a.schoolId, owner: { kind: 'seal' }, content: sealTestPng() });
      assert.equal((await audits(a, 'seal_image.replaced')).length, 1);
      assert.equal((await audits(a, 'seal_image.uploaded'))[0]!.targetId, a.schoolId);
      assert.equal(await getSignatureImage({ db, schoolId: b.schoolId, owner: { kind: 'seal' } }), null, "school B does not see A's seal");
      assert.equal(await deleteSignatureImage({ db, who: who(b, 'clerk'), schoolId: b.schoolId, owner: { kind: 'seal' } }), false, "nor remove it");
      assert.notEqual(await getSignatureImage({ db, schoolId: a.schoolId, owner: { kind: 'seal' } }), null);
    });

    test('refuses a bad image with the reason, storing and auditing nothing', async () => {
      const db = database.db;
      const owner = { kind: 'signature' as const, userId: a.users.principal.id };
      const cases: [Buffer, RegExp][] = [
        [Buffer.from('%PDF-1.4 not an image'), /not a PNG file/],
        [opaqueTestPng(), /background is not transparent/],
        [signatureTestPng().subarray(0, 200), /truncated/],
      ];
      for (const [content, reason] of cases) {
        await assert.rejects(putSignatureImage({ db, who: who(a, 'principal'), schoolId: a.schoolId, owner, content }), (e: unknown) => e instanceof DomainError && e.code === 'file.invalid' && reason.test(String(e.params.reason)));
      }
      await assert.rejects(putSignatureImage({ db, who: who(a, 'principal'), schoolId: a.schoolId, owner, content: Buffer.alloc(1024 * 1024 + 1) }), (e: unknown) => e instanceof DomainError && e.code === 'payload_too_large');
      assert.equal(await getSignatureImage({ db, schoolId: a.schoolId, owner }), null);
      assert.equal((await audits(a, 'signature_image.uploaded')).filter((r) => r.targetId === owner.userId).length, 0);
    });

    test('the database keeps one signature per person and school, and a seal without a person', async () => {
      const db = database.db;
      const png = signatureTestPng();
      const row = { schoolId: a.schoolId, png, sha256: sha256(png), width: 360, height: 140, uploadedBy: a.users.subject_teacher.id };
      await inSchool(db, a.schoolId, (tx) => tx.insert(signatureImages).values({ ...row, kind: 'signature', userId: a.users.subject_teacher.id }));
      await rejectsDb(inSchool(db, a.schoolId, (tx) => tx.insert(signatureImages).values({ ...row, kind: 'signature', userId: a.users.subject_teacher.id })), /duplicate|unique/i);
      await rejectsDb(inSchool(db, a.schoolId, (tx) => tx.insert(signatureImages).values({ ...row, kind: 'seal', userId: a.users.subject_teacher.id })), /check constraint|signature_images_kind/i);
      await rejectsDb(inSchool(db, a.schoolId, (tx) => tx.insert(signatureImages).values({ ...row, kind: 'signature', userId: null })), /check constraint|signature_images_kind/i);
      await rejectsDb(inSchool(db, a.schoolId, (tx) => tx.insert(signatureImages).values({ ...row, schoolId: b.schoolId, kind: 'signature', userId: b.users.subject_teacher.id })), /row-level security|violates/i);
    });

    test('the signing workflow gets the signers’ images and the seal', async () => {
      const db = database.db;
      await putSignatureImage({ db, who: who(a, 'vice_principal'), schoolId: a.schoolId, owner: { kind: 'signature', userId: a.users.vice_principal.id }, content: signatureTestPng(2) });
      const got = await inSchool(db, a.schoolId, (tx) => imagesForSigning(tx, [a.users.vice_principal.id, a.users.homeroom_teacher.id]));
      assert.deepEqual([...got.signatures.keys()], [a.users.vice_principal.id]);
      assert.ok(got.signatures.get(a.users.vice_principal.id)!.equals(signatureTestPng(2)));
      assert.ok(got.seal?.equals(sealTestPng()));
      const none = await inSchool(db, b.schoolId, (tx) => imagesForSigning(tx, [a.users.vice_principal.id]));
      assert.equal(none.signatures.size, 0, "another school's scope sees none of A's images");
      assert.equal(none.seal, null);
    });
  });
}
