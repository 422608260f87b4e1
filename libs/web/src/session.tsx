import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { setCsrfToken, setSignedOutHandler } from './graphql';

export type Role =
  'admin' | 'national' | 'academy' | 'establishment' | 'teacher' | 'trainer' | 'learner' | 'parent' | 'pupil';

export interface RoleGrant {
  role: Role;
  scope: string;
}

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  roles: RoleGrant[];
}

export type SessionState = { kind: 'loading' } | { kind: 'anonymous' } | { kind: 'signed-in'; user: SessionUser };

export class SignInError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

interface SessionContextValue {
  state: SessionState;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

interface SessionAnswer {
  user: SessionUser;
  csrfToken: string;
}

/** Holds who is signed in for the whole app; the cookie itself is httpOnly and never seen by scripts. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ kind: 'loading' });
  const [csrf, setCsrf] = useState('');

  const accept = useCallback((answer: SessionAnswer) => {
    setCsrfToken(answer.csrfToken);
    setCsrf(answer.csrfToken);
    setState({ kind: 'signed-in', user: answer.user });
  }, []);

  useEffect(() => {
    setSignedOutHandler(() => setState({ kind: 'anonymous' }));
    fetch('/auth/session', { credentials: 'same-origin' })
      .then(async (res) => (res.ok ? accept((await res.json()) as SessionAnswer) : setState({ kind: 'anonymous' })))
      .catch(() => setState({ kind: 'anonymous' }));
  }, [accept]);

  const value = useMemo<SessionContextValue>(
    () => ({
      state,
      async signIn(email, password) {
        const res = await fetch('/auth/sign-in', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email, password }),
        });
        if (res.status === 429) {
          const wait = Number(res.headers.get('retry-after') ?? '60');
          throw new SignInError(
            `Trop de tentatives de connexion. Réessayez dans ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''}.`,
            wait,
          );
        }
        if (res.status === 401) throw new SignInError('Adresse électronique ou mot de passe incorrect.');
        if (!res.ok) throw new SignInError(`La connexion a échoué (erreur ${res.status}). Réessayez plus tard.`);
        accept((await res.json()) as SessionAnswer);
      },
      async signOut() {
        await fetch('/auth/sign-out', { method: 'POST', headers: { 'X-CSRF-Token': csrf } });
        setCsrfToken('');
        setState({ kind: 'anonymous' });
      },
    }),
    [state, csrf, accept],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user; only for components rendered once sign-in is done. */
export function useUser(): SessionUser {
  const { state } = useSession();
  if (state.kind !== 'signed-in') throw new Error('useUser before sign-in');
  return state.user;
}

export function hasRole(user: SessionUser, ...roles: Role[]): boolean {
  return user.roles.some((g) => roles.includes(g.role));
}

export function scopesOf(user: SessionUser, role: Role): string[] {
  return user.roles.filter((g) => g.role === role).map((g) => g.scope);
}

const ROLE_LABELS: Record<Role, (scope: string) => string> = {
  admin: () => 'Administration',
  national: () => 'Ministère (national)',
  academy: (s) => `Académie ${s}`,
  establishment: (s) => `Établissement ${s}`,
  teacher: (s) => `Enseignant·e (classe ${s})`,
  trainer: (s) => `Formateur·rice (parcours ${s})`,
  learner: () => 'Apprenant·e',
  parent: () => 'Parent',
  pupil: () => 'Élève',
};

export function roleLabel(grant: RoleGrant): string {
  return ROLE_LABELS[grant.role](grant.scope);
}
