/**
 * Who may export records in bulk and see an export. Small named predicates over the actor
 * (like domain/policies): the school's leadership and administrator export any class or the
 * whole school, a homeroom teacher (GVCN) their own class; an export — a ZIP of a whole
 * class's records — is seen and downloaded only by whoever asked for it and by the principal.
 */
import { isHomeroomOf, type ActorScope } from '../../domain/policies/permissions.ts';
import type { Role } from '../../domain/policies/roles.ts';

const EXPORT_ANY_CLASS: readonly Role[] = ['school_admin', 'principal', 'vice_principal'];

/** Exporting every class of the school year. */
export function canExportSchool(actor: ActorScope): boolean {
  return EXPORT_ANY_CLASS.some((r) => actor.roles.has(r));
}

/** Exporting one class: any class for the leadership, one's own homeroom class for a GVCN. */
export function canExportClass(actor: ActorScope, classId: string): boolean {
  return canExportSchool(actor) || isHomeroomOf(actor, classId);
}

/** Seeing an export's progress and downloading it: the person who asked, or the principal. */
export function canSeeExport(actor: ActorScope, exp: { requestedBy: string }): boolean {
  return exp.requestedBy === actor.userId || actor.roles.has('principal');
}
