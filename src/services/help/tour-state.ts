/**
 * Whether a person has finished or dismissed the first-run tour (table user_help_state).
 * Per user, system scope: the row belongs to the signed-in person, not to a school.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { userHelpState } from '../../db/schema.ts';
import type { TourStateView } from '../../server/api-types.ts';

/** ISO time the person finished or closed the tour; null: never (show the invitation). */
export type TourState = TourStateView;

/** The person's tour state (no row: never dismissed). */
export async function getTourState(db: Db, userId: string): Promise<TourState> {
  const [row] = await db.select({ at: userHelpState.tourDismissedAt }).from(userHelpState).where(eq(userHelpState.userId, userId));
  return { tourDismissedAt: row?.at ? row.at.toISOString() : null };
}

/** Records that the tour was finished or dismissed (dismissed = false brings the invitation back). */
export async function setTourDismissed(db: Db, userId: string, dismissed: boolean): Promise<TourState> {
  const at = dismissed ? new Date() : null;
  await db
    .insert(userHelpState)
    .values({ userId, tourDismissedAt: at, updatedAt: new Date() })
    .onConflictDoUpdate({ target: userHelpState.userId, set: { tourDismissedAt: at, updatedAt: new Date() } });
  return { tourDismissedAt: at ? at.toISOString() : null };
}
