/**
 * The UI language: Vietnamese unless this device or the signed-in account chose
 * English. Keeps dayjs, the API client's `accept-language` and localStorage in step.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import type { Locale } from '../../server/api-types.ts';
import { configureApi } from '../api.ts';
import { makeTranslate, readStoredLocale, storeLocale, type Translate } from './index.ts';

interface LocaleContextValue {
  locale: Locale;
  t: Translate;
  /** Switch the UI language (and remember it on this device). */
  setLocale: (locale: Locale) => void;
  /** Remember that the person picked this language before signing in. */
  markChosenBeforeSignIn: (locale: Locale) => void;
  /** The language picked on the sign-in page, once (then forgotten). */
  takeChosenBeforeSignIn: () => Locale | null;
}

const LocaleContext = createContext<LocaleContextValue | null>(null);

function apply(locale: Locale): void {
  storeLocale(locale);
  configureApi({ locale });
  dayjs.locale(locale);
  document.documentElement.lang = locale;
  document.title = makeTranslate(locale)('app.name');
}

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => {
    const initial = readStoredLocale();
    apply(initial);
    return initial;
  });
  const chosen = useRef<Locale | null>(null);

  const setLocale = useCallback((next: Locale) => {
    apply(next);
    setLocaleState(next);
  }, []);
  const markChosenBeforeSignIn = useCallback((next: Locale) => {
    chosen.current = next;
  }, []);
  const takeChosenBeforeSignIn = useCallback(() => {
    const value = chosen.current;
    chosen.current = null;
    return value;
  }, []);

  const value = useMemo(
    () => ({ locale, t: makeTranslate(locale), setLocale, markChosenBeforeSignIn, takeChosenBeforeSignIn }),
    [locale, setLocale, markChosenBeforeSignIn, takeChosenBeforeSignIn],
  );
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleContextValue {
  const value = useContext(LocaleContext);
  if (!value) throw new Error('useLocale() outside <LocaleProvider>');
  return value;
}
