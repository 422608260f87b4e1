import { Alert } from '@codegouvfr/react-dsfr/Alert';
import {
  AppShell,
  type NavItem,
  type SessionUser,
  SignInPage,
  hasRole,
  navigate,
  scopesOf,
  useFocusMainOnNavigate,
  useLocation,
  useSession,
} from '@ent-observatory/web';
import { lazy, Suspense, useEffect } from 'react';
import { StatementActivityView } from './StatementActivityView';

const AdminPage = lazy(() => import('./admin/AdminPage'));
const TerritoriesPage = lazy(() => import('./directory/TerritoriesPage'));
const EstablishmentsPage = lazy(() => import('./directory/EstablishmentsPage'));
const EstablishmentPage = lazy(() => import('./directory/EstablishmentPage'));

const TERRITORY_ROLES = ['admin', 'national', 'academy', 'establishment', 'teacher'] as const;

/** The views, who may open them, and where each kind of user lands after sign-in. */
interface View {
  path: RegExp;
  nav?: { text: string; href: string };
  allowed(user: SessionUser): boolean;
  render(match: RegExpExecArray): React.ReactNode;
}

const VIEWS: View[] = [
  {
    path: /^\/$/,
    nav: { text: 'Activité du LRS', href: '/' },
    allowed: (u) => hasRole(u, 'admin', 'national'),
    render: () => <StatementActivityView />,
  },
  {
    path: /^\/territoires$/,
    nav: { text: 'Territoires', href: '/territoires' },
    allowed: (u) => hasRole(u, 'admin', 'national', 'academy'),
    render: () => <TerritoriesPage />,
  },
  {
    path: /^\/etablissements$/,
    nav: { text: 'Établissements', href: '/etablissements' },
    allowed: (u) => hasRole(u, ...TERRITORY_ROLES),
    render: () => <EstablishmentsPage />,
  },
  {
    path: /^\/etablissements\/([0-9]{7}[A-Z])$/,
    allowed: (u) => hasRole(u, ...TERRITORY_ROLES),
    render: (m) => <EstablishmentPage key={m[1]} uai={m[1]!} />,
  },
  {
    path: /^\/administration$/,
    nav: { text: 'Administration', href: '/administration' },
    allowed: (u) => hasRole(u, 'admin'),
    render: () => <AdminPage />,
  },
];

/**
 * Where a user lands: their scope. A head of school (or a teacher) opens their establishment, an académie its
 * territory, the ministry the national view.
 */
export function landingPath(user: SessionUser): string {
  const own = scopesOf(user, 'establishment')[0] ?? scopesOf(user, 'teacher')[0]?.split(':')[0];
  if (own && !hasRole(user, 'admin', 'national', 'academy')) return `/etablissements/${own}`;
  return VIEWS.find((v) => v.nav && v.allowed(user))?.nav?.href ?? '/';
}

export function App() {
  const { state } = useSession();
  const { path } = useLocation();
  useFocusMainOnNavigate(path);
  const user = state.kind === 'signed-in' ? state.user : null;
  const navigation: NavItem[] | undefined = user
    ? VIEWS.filter((v) => v.nav && v.allowed(user)).map((v) => ({ ...v.nav!, isActive: v.path.test(path) }))
    : undefined;
  return (
    <AppShell
      serviceTitle="Observatoire des ENT"
      serviceTagline="Usages des espaces numériques de travail"
      homeHref="/"
      otherApp={{ text: 'Espace de formation', href: '/formation/', iconId: 'fr-icon-book-2-line' }}
      footerDescription="L’observatoire mesure l’usage des ENT à partir des traces xAPI que les plateformes lui envoient. Les données des élèves sont pseudonymisées."
      navigation={navigation}
    >
      {state.kind === 'loading' && <p aria-live="polite">Chargement…</p>}
      {state.kind === 'anonymous' && <SignInPage serviceTitle="l’Observatoire des ENT" />}
      {user && <Routed user={user} path={path} />}
    </AppShell>
  );
}

function Routed({ user, path }: { user: SessionUser; path: string }) {
  const found = VIEWS.map((v) => ({ v, m: v.path.exec(path) })).find((x) => x.m);
  const landing = landingPath(user);
  const redirect = (!found || !found.v.allowed(user)) && path === '/' && landing !== '/';
  useEffect(() => {
    if (redirect) navigate(landing, { replace: true });
  }, [redirect, landing]);
  if (redirect) return null;
  if (!found) {
    return (
      <Alert
        severity="warning"
        title="Page introuvable"
        description="Cette adresse ne correspond à aucune vue de l’observatoire."
      />
    );
  }
  if (!found.v.allowed(user)) {
    return (
      <Alert
        severity="error"
        title="Accès refusé"
        description="Cette vue est hors de votre périmètre : votre compte ne permet pas de la consulter."
      />
    );
  }
  return <Suspense fallback={<p aria-live="polite">Chargement…</p>}>{found.v.render(found.m!)}</Suspense>;
}
