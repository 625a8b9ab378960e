/**
 * Who is signed in: loads GET /api/session once, and offers sign-in, sign-out,
 * refresh (after a password or TOTP change the server rotates the session and CSRF
 * token) and school switching. The CSRF token goes straight to the API client.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { LoginRequest, SessionInfo } from '../../server/api-types.ts';
import { api, configureApi, isApiError } from '../api.ts';
import { useLocale } from '../i18n/locale-context.tsx';

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; /** The server said the session is gone (expired, signed out elsewhere). */ expired?: boolean }
  | { status: 'error'; message: string }
  | { status: 'signed-in'; session: SessionInfo };

interface SessionContextValue {
  state: SessionState;
  session: SessionInfo | null;
  login: (request: LoginRequest) => Promise<SessionInfo>;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
  switchSchool: (schoolId: string) => Promise<void>;
  can: (permission: string) => boolean;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const { setLocale, takeChosenBeforeSignIn } = useLocale();

  const signedIn = useCallback((session: SessionInfo) => {
    configureApi({ csrfToken: session.csrfToken });
    setState({ status: 'signed-in', session });
  }, []);
  const signedOut = useCallback(() => {
    configureApi({ csrfToken: null });
    setState({ status: 'anonymous' });
  }, []);

  const refresh = useCallback(async () => {
    try {
      signedIn(await api.session());
    } catch (error) {
      if (isApiError(error) && error.status === 401) signedOut();
      else setState({ status: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }, [signedIn, signedOut]);

  useEffect(() => {
    const sessionLost = () => {
      configureApi({ csrfToken: null });
      setState({ status: 'anonymous', expired: true });
    };
    configureApi({ onSessionLost: sessionLost, onTotpEnrolmentRequired: () => void refresh() });
    let cancelled = false;
    api
      .session()
      .then((session) => {
        if (cancelled) return;
        setLocale(session.user.locale); // the account's remembered language wins on reload
        signedIn(session);
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        if (isApiError(error) && error.status === 401) signedOut();
        else setState({ status: 'error', message: error instanceof Error ? error.message : String(error) });
      });
    return () => {
      cancelled = true;
    };
  }, [refresh, setLocale, signedIn, signedOut]);

  const login = useCallback(
    async (request: LoginRequest) => {
      const session = await api.login(request);
      configureApi({ csrfToken: session.csrfToken });
      // A language picked on the sign-in page is the person's latest choice: save it;
      // otherwise use the one the account remembers.
      const chosen = takeChosenBeforeSignIn();
      if (chosen && chosen !== session.user.locale) {
        await api.setMyLocale(chosen).catch(() => undefined);
        session.user.locale = chosen;
      } else {
        setLocale(session.user.locale);
      }
      signedIn(session);
      return session;
    },
    [setLocale, signedIn, takeChosenBeforeSignIn],
  );

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch (error) {
      // Already signed out on the server: the outcome the person wanted.
      if (!(isApiError(error) && error.status === 401)) throw error;
    }
    signedOut();
  }, [signedOut]);

  const switchSchool = useCallback(
    async (schoolId: string) => signedIn(await api.switchSchool(schoolId)),
    [signedIn],
  );

  const value = useMemo<SessionContextValue>(() => {
    const session = state.status === 'signed-in' ? state.session : null;
    const permissions = new Set(session?.permissions ?? []);
    return { state, session, login, logout, refresh, switchSchool, can: (p) => permissions.has(p) };
  }, [state, login, logout, refresh, switchSchool]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() outside <SessionProvider>');
  return value;
}

/** The signed-in session; only for components rendered inside the signed-in app. */
export function useSignedInSession(): SessionInfo {
  const { session } = useSession();
  if (!session) throw new Error('useSignedInSession() while signed out');
  return session;
}
