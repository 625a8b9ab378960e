/**
 * UI strings in Vietnamese (default) and English, plus the helpers that pick them.
 * Components get `t` from `useLocale()` (locale-context.tsx); this module stays pure.
 */
import type { Locale } from '../../server/api-types.ts';
import { ROLE_LABELS, isRole } from '../../domain/policies/roles.ts';
import { en } from './en.ts';
import { vi, type MessageKey } from './vi.ts';

export type { MessageKey };
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { vi, en };
const STORAGE_KEY = 'hocba.locale';

/** Translator for one language; `{name}` placeholders are filled from `params`. */
export function makeTranslate(locale: Locale): Translate {
  const catalogue = CATALOGUES[locale];
  return (key, params) => {
    const text = catalogue[key] ?? vi[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  };
}

/** Whether a string is a UI message key (used for keys the server sends, e.g. home cards). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(vi, key);
}

/** The role's name in the UI language; unknown roles show their code. */
export function roleLabel(role: string, locale: Locale): string {
  return isRole(role) ? ROLE_LABELS[role][locale] : role;
}

export function isLocale(value: unknown): value is Locale {
  return value === 'vi' || value === 'en';
}

/** The language remembered on this device (the sign-in page uses it); Vietnamese by default. */
export function readStoredLocale(): Locale {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : 'vi';
  } catch {
    return 'vi';
  }
}

export function storeLocale(locale: Locale): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Private mode or storage disabled: the choice just lasts for this page.
  }
}
