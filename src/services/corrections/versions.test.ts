/**
 * The version chain: successor / predecessor by supersedes_id, and sealing v3 supersedes
 * every earlier version not yet superseded (a sealed v1 and a v2 returned before v3 was
 * made), once — run again it changes nothing. The versions are bare rows (no signatures):
 * the chain logic does not look at the documents.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { classes, recordVersions } from '../../db/schema.ts';
import { BACKENDS, freshDatabase } from '../../../test/helpers/db.ts';
import { makeSchool, type TestSchool } from '../../../test/helpers/factories.ts';
import { predecessorOf, successorOf, supersedePredecessors, versionChain } from './versions.ts';

for (const kind of BACKENDS) {
  describe(`record version chain (${kind})`, () => {
    let database: Database;
    let school: TestSchool;
    const ids: string[] = [];

    before(async () => {
      database = await freshDatabase(kind);
      school = await makeSchool(database, 'vch');
      const [cls] = await database.db.select({ schoolYearId: classes.schoolYearId }).from(classes).where(eq(classes.id, school.classId));
      const base = { schoolId: school.schoolId, studentId: school.studentIds[0]!, schoolYearId: cls!.schoolYearId, formatId: 'hbs', formatVersion: '1', snapshot: {}, xml: '<x/>', digest: '0', frozenBy: 'test' };
      await inSchool(database.db, school.schoolId, async (tx) => {
        const states = ['sealed', 'returned', 'sealed'];
        for (let i = 0; i < 3; i++) {
          const [row] = await tx
            .insert(recordVersions)
            .values({ ...base, version: i + 1, state: states[i]!, frozenAt: new Date(Date.UTC(2026, 4, 20 + i)), supersedesId: i === 0 ? null : ids[i - 1]! })
            .returning({ id: recordVersions.id });
          ids.push(row!.id);
        }
      });
    });
    after(async () => database?.close());

    test('successor and predecessor follow supersedes_id', async () => {
      await inSchool(database.db, school.schoolId, async (tx) => {
        assert.equal((await successorOf(tx, ids[0]!))?.id, ids[1]);
        assert.equal((await successorOf(tx, ids[2]!)), null);
        assert.equal((await predecessorOf(tx, ids[0]!)), null);
        assert.equal((await predecessorOf(tx, ids[2]!))?.version, 2);
      });
    });

    test('sealing v3 supersedes v1 and v2, once', async () => {
      await inSchool(database.db, school.schoolId, async (tx) => {
        assert.deepEqual(await supersedePredecessors(tx, ids[2]!), [ids[1], ids[0]]);
        assert.deepEqual(await supersedePredecessors(tx, ids[2]!), [], 'idempotent');
        const chain = await versionChain(tx, ids[0]!);
        assert.deepEqual(chain.map((v) => [v.version, v.state, v.successorId]), [[1, 'superseded', ids[1]], [2, 'superseded', ids[2]], [3, 'sealed', null]]);
      });
    });
  });
}
