import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { inSchool } from '../../src/db/scope.ts';
import { auditLog, classes, SCHOOL_OWNED_TABLES, students } from '../../src/db/schema.ts';
import { BACKENDS, freshDatabase } from '../helpers/db.ts';
import { makeSchool, type TestSchool } from '../helpers/factories.ts';
import { rejectsDb } from '../helpers/assert-db.ts';

for (const kind of BACKENDS) {
  describe(`cross-school isolation (${kind})`, () => {
    let database: Database;
    let a: TestSchool;
    let b: TestSchool;
    before(async () => {
      database = await freshDatabase(kind);
      a = await makeSchool(database, 'aaa');
      b = await makeSchool(database, 'bbb');
    });
    after(() => database.close());

    test('a school scope sees only its own rows, in every school-owned table', async () => {
      for (const table of SCHOOL_OWNED_TABLES) {
        const rows = await inSchool(database.db, a.schoolId, (tx) =>
          tx.execute<{ school_id: string }>(sql`select distinct school_id::text from ${sql.identifier(table)}`),
        );
        for (const r of rows.rows) assert.equal(r.school_id, a.schoolId, `${table} leaked a row of another school`);
      }
      const all = await database.query<{ n: number }>('select count(distinct school_id)::int as n from students');
      assert.equal(all[0]!.n, 2, 'both schools have students (system scope)');
    });

    test('asking for another school’s row by id finds nothing', async () => {
      const got = await inSchool(database.db, a.schoolId, (tx) => tx.select().from(students).where(eq(students.id, b.studentIds[0]!)));
      assert.equal(got.length, 0);
      const cls = await inSchool(database.db, a.schoolId, (tx) => tx.select().from(classes).where(eq(classes.id, b.classId)));
      assert.equal(cls.length, 0);
    });

    test('updating or deleting another school’s rows changes nothing', async () => {
      const upd = await inSchool(database.db, a.schoolId, (tx) => tx.update(students).set({ fullName: 'X' }).where(eq(students.id, b.studentIds[0]!)).returning());
      assert.equal(upd.length, 0);
      const del = await inSchool(database.db, a.schoolId, (tx) => tx.delete(students).where(eq(students.schoolId, b.schoolId)).returning());
      assert.equal(del.length, 0);
      const still = await database.query<{ full_name: string }>('select full_name from students where id = $1', [b.studentIds[0]]);
      assert.equal(still[0]!.full_name, 'Nguyễn Văn An');
    });

    test('inserting a row for another school is refused', async () => {
      await rejectsDb(
        inSchool(database.db, a.schoolId, (tx) => tx.insert(students).values({ schoolId: b.schoolId, fullName: 'Kẻ Lạ', gender: 'male', birthDate: '2010-01-01' })),
        /row-level security|violates/i,
      );
      const n = await database.query<{ n: number }>(`select count(*)::int as n from students where full_name = 'Kẻ Lạ'`);
      assert.equal(n[0]!.n, 0);
    });

    test('moving a row into another school is refused', async () => {
      await rejectsDb(inSchool(database.db, a.schoolId, (tx) => tx.update(students).set({ schoolId: b.schoolId }).where(eq(students.id, a.studentIds[0]!))), /row-level security|violates/i);
    });

    test('the audit log of another school is invisible and cannot be appended to', async () => {
      const rows = await inSchool(database.db, a.schoolId, (tx) => tx.select({ chain: auditLog.chain }).from(auditLog));
      assert.ok(rows.length > 0);
      assert.ok(rows.every((r) => r.chain === `school:${a.schoolId}`));
      await rejectsDb(
        inSchool(database.db, a.schoolId, (tx) =>
          tx.insert(auditLog).values({ chain: `school:${b.schoolId}`, seq: 999, schoolId: b.schoolId, at: new Date().toISOString(), action: 'x', prevHash: 'x', hash: 'x' }),
        ),
        /row-level security/i,
      );
    });

    test('deployment-wide tables are out of reach of a school scope', async () => {
      for (const table of ['users', 'sessions', 'role_grants', 'app_meta']) {
        await rejectsDb(inSchool(database.db, a.schoolId, (tx) => tx.execute(sql`select 1 from ${sql.identifier(table)} limit 1`)), /permission denied/i, table);
      }
    });

    test('every table with a school_id column is guarded by row-level security with a policy', async () => {
      const tables = await database.query<{ table_name: string }>(
        `select table_name from information_schema.columns where table_schema = 'public' and column_name = 'school_id' order by 1`,
      );
      // role_grants and sessions are deployment-wide: only the auth services read them.
      const deploymentWide = new Set(['role_grants']);
      for (const { table_name } of tables) {
        if (deploymentWide.has(table_name)) continue;
        const [rls] = await database.query<{ relrowsecurity: boolean }>(`select relrowsecurity from pg_class where relname = $1 and relnamespace = 'public'::regnamespace`, [table_name]);
        assert.equal(rls?.relrowsecurity, true, `${table_name} has no row-level security`);
        const pol = await database.query(`select 1 from pg_policies where tablename = $1 and policyname = 'school_isolation'`, [table_name]);
        assert.equal(pol.length, 1, `${table_name} has no school_isolation policy`);
        if (table_name !== 'audit_log') assert.ok((SCHOOL_OWNED_TABLES as readonly string[]).includes(table_name), `${table_name} missing from SCHOOL_OWNED_TABLES`);
      }
    });
  });
}
