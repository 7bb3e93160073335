import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { getMe, logout, onUnauthenticated, type Me } from './api';

/**
 * Who is signed in on the phone. The same cookie session as the console: a link from WeCom or
 * DingTalk opens /m, and without a session the sign-in form shows. The last answer of /me is kept
 * on the phone so the page still opens (and a check-in can be queued) when the network is down.
 */
type Phase = 'loading' | 'signedOut' | 'ready' | 'error';
interface Session {
  phase: Phase;
  me: Me | null;
  signIn(me: Me): void;
  signOut(): Promise<void>;
  retry(): void;
}
const SessionContext = createContext<Session | null>(null);
const CACHE_KEY = 'bulwark.m.me';

function cached(): Me | null {
  try {
    const raw = localStorage.getItem(CACHE_KEY);
    return raw ? (JSON.parse(raw) as Me) : null;
  } catch {
    return null;
  }
}
function remember(me: Me | null): void {
  try {
    if (me) localStorage.setItem(CACHE_KEY, JSON.stringify(me));
    else localStorage.removeItem(CACHE_KEY);
  } catch {
    /* storage disabled: nothing to remember */
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [phase, setPhase] = useState<Phase>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    getMe()
      .then((m) => {
        if (!live) return;
        remember(m);
        setMe(m);
        setPhase('ready');
      })
      .catch((e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) {
          remember(null);
          setPhase('signedOut');
          return;
        }
        const m = e instanceof ApiError && e.code === 'network' ? cached() : null;
        setMe(m);
        setPhase(m ? 'ready' : 'error');
      });
    return () => {
      live = false;
    };
  }, [attempt]);

  useEffect(() => {
    onUnauthenticated(() => setPhase('signedOut'));
    return () => onUnauthenticated(null);
  }, []);

  const signIn = useCallback((m: Me) => {
    remember(m);
    setMe(m);
    setPhase('ready');
  }, []);
  const signOut = useCallback(async () => {
    try {
      await logout();
    } finally {
      remember(null);
      setMe(null);
      setPhase('signedOut');
    }
  }, []);
  const retry = useCallback(() => {
    setPhase('loading');
    setAttempt((a) => a + 1);
  }, []);

  return <SessionContext.Provider value={{ phase, me, signIn, signOut, retry }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
