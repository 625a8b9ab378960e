import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/scope.ts';
import { homeroomAssignments, staff } from '../../db/schema.ts';

/** The homeroom teacher's full name for a class, or null. */
export async function homeroomTeacherName(tx: Tx, classId: string): Promise<string | null> {
  const [r] = await tx.select({ name: staff.fullName }).from(homeroomAssignments).innerJoin(staff, eq(staff.id, homeroomAssignments.staffId)).where(eq(homeroomAssignments.classId, classId));
  return r?.name ?? null;
}
