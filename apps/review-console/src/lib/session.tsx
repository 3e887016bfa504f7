import { createContext, useContext, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConsoleSession, Role } from '@clipguard/contracts/console';
import { ApiError, get, setCsrfToken } from './api';

interface SessionState {
  session: ConsoleSession;
  /** Re-reads the session (viewed count, preferences). */
  refresh: () => Promise<unknown>;
}

const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

/** Whether the user has one of these roles in some tenant. */
export function hasRole(session: ConsoleSession, ...roles: Role[]): boolean {
  return session.memberships.some((m) => roles.includes(m.role));
}

/** The tenants in which the user has one of these roles. */
export const tenantsAs = (session: ConsoleSession, ...roles: Role[]) =>
  session.memberships.filter((m) => roles.includes(m.role)).map((m) => m.tenant);

export const SESSION_KEY = ['session'] as const;

/** The signed-in session, or `login` (the login page) when there is none. */
export function SessionGate({ login, children }: { login: ReactNode; children: ReactNode }) {
  const client = useQueryClient();
  const q = useQuery({
    queryKey: SESSION_KEY,
    queryFn: async () => {
      try {
        const s = await get<ConsoleSession>('/v1/console/session');
        setCsrfToken(s.csrf_token);
        return s;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 30_000,
  });
  if (q.isPending) return <p className="loading">Loading…</p>;
  if (q.isError) return <p className="error">The console API is not reachable: {q.error.message}</p>;
  if (!q.data) return <>{login}</>;
  const refresh = () => client.invalidateQueries({ queryKey: SESSION_KEY });
  return <SessionContext.Provider value={{ session: q.data, refresh }}>{children}</SessionContext.Provider>;
}
