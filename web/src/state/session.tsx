import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, onUnauthenticated } from '../api/client';
import { getMe, getSetupStatus, logout, type Me, type SetupStatus } from '../api/auth';

interface Session {
  /** null until the first answer. */
  status: SetupStatus | null;
  me: Me | null;
  /** The user signed out on purpose (so the sign-in page need not bring them back where they were). */
  signedOut: boolean;
  loading: boolean;
  bootError: unknown;
  setMe(me: Me | null): void;
  refreshMe(): Promise<Me | null>;
  refreshStatus(): Promise<SetupStatus>;
  signOut(): Promise<void>;
  retryBoot(): void;
}

const SessionContext = createContext<Session | null>(null);

async function meOrNull(): Promise<Me | null> {
  try {
    return await getMe();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

/** Who is signed in, and whether the deployment still needs its first-run setup. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SetupStatus | null>(null);
  const [me, setMeState] = useState<Me | null>(null);
  const [signedOut, setSignedOut] = useState(false);
  const setMe = useCallback((m: Me | null) => {
    setMeState(m);
    if (m) setSignedOut(false);
  }, []);
  const [loading, setLoading] = useState(true);
  const [bootError, setBootError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    (async () => {
      setLoading(true);
      setBootError(null);
      try {
        const s = await getSetupStatus();
        const m = s.needsSetup ? null : await meOrNull();
        if (!live) return;
        setStatus(s);
        setMe(m);
      } catch (e) {
        if (live) setBootError(e);
      } finally {
        if (live) setLoading(false);
      }
    })();
    return () => {
      live = false;
    };
  }, [attempt]);

  // An expired session anywhere drops the user; the route guard then shows the sign-in page.
  useEffect(() => {
    onUnauthenticated(() => setMe(null));
    return () => onUnauthenticated(null);
  }, [setMe]);

  const refreshMe = useCallback(async () => {
    const m = await meOrNull();
    setMe(m);
    return m;
  }, [setMe]);
  const refreshStatus = useCallback(async () => {
    const s = await getSetupStatus();
    setStatus(s);
    return s;
  }, []);
  const signOut = useCallback(async () => {
    try {
      await logout();
    } finally {
      setSignedOut(true);
      setMe(null);
    }
  }, [setMe]);
  const retryBoot = useCallback(() => setAttempt((n) => n + 1), []);

  const value = useMemo<Session>(
    () => ({ status, me, signedOut, loading, bootError, setMe, refreshMe, refreshStatus, signOut, retryBoot }),
    [status, me, signedOut, loading, bootError, setMe, refreshMe, refreshStatus, signOut, retryBoot],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in user; only for pages behind the route guard. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a signed-in user');
  return me;
}
