/**
 * What to do about an API error: a hint (errorHint.<code> in the help strings) and, where the
 * guide covers it, the troubleshooting section (xu-ly-su-co.md). Used by ErrorResult and by
 * any place that shows an error and wants to say how to fix it.
 */
import { isMessageKey, type MessageKey } from '../i18n/index.ts';
import { TROUBLESHOOTING, type HelpTopic } from './help-topics.ts';

export interface ErrorHelp {
  hint: MessageKey | null;
  topic: HelpTopic | null;
}

/** The hint and guide section for an error code (and HTTP status: 507 is a full disk). */
export function errorHelp(code: string | undefined, status?: number): ErrorHelp {
  const c = code ?? '';
  const key = status === 507 || /disk|storage\.full|enospc/i.test(c) ? 'disk_full' : c;
  const hint = `errorHint.${key}`;
  return { hint: isMessageKey(hint) ? hint : null, topic: TROUBLESHOOTING[key] ?? null };
}
