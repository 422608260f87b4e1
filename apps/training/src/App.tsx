import {
  AccessibilityStatement,
  AppShell,
  type NavItem,
  type SessionUser,
  SignInPage,
  StatusPage,
  hasRole,
  useFocusMainOnNavigate,
  useLocation,
  useSession,
} from '@ent-observatory/web';
import { type ReactNode, Suspense, lazy, useEffect } from 'react';
import { HomePage } from './pages/HomePage';

const CataloguePage = lazy(() => import('./pages/CataloguePage'));
const MyTrainingsPage = lazy(() => import('./pages/MyTrainingsPage'));
const MyTrainingPage = lazy(() => import('./pages/MyTrainingPage'));
const PlayerPage = lazy(() => import('./pages/PlayerPage'));
const ParcoursListPage = lazy(() => import('./pages/ParcoursListPage'));
const ParcoursEditPage = lazy(() => import('./pages/ParcoursEditPage'));
const SessionsPage = lazy(() => import('./pages/SessionsPage'));
const SessionPage = lazy(() => import('./pages/SessionPage'));
const DiscussionPage = lazy(() => import('./pages/DiscussionPage'));
const IndicatorsPage = lazy(() => import('./pages/IndicatorsPage'));
const VerifyPage = lazy(() => import('./pages/VerifyPage'));
const AssignmentsPage = lazy(() => import('./pages/AssignmentsPage'));
const NativeAuPage = lazy(() => import('./au/NativeAuPage'));

const STAFF = ['admin', 'trainer'] as const;
const FIGURES = ['admin', 'national', 'academy'] as const;

interface Page {
  path: RegExp;
  nav?: string;
  /** The window title's first part when the page has no navigation entry to name it. */
  title?: string;
  href?: string;
  allowed(user: SessionUser): boolean;
  render(m: RegExpExecArray): ReactNode;
}

const everyone = () => true;

/** The pages of the training space under /formation, who may open them, and the header links. */
const PAGES: Page[] = [
  { path: /^\/formation\/?$/, title: 'Accueil', allowed: everyone, render: () => null },
  {
    path: /^\/formation\/catalogue$/,
    nav: 'Catalogue',
    href: '/formation/catalogue',
    allowed: everyone,
    render: () => <CataloguePage />,
  },
  {
    path: /^\/formation\/mes-formations$/,
    nav: 'Mes formations',
    href: '/formation/mes-formations',
    allowed: everyone,
    render: () => <MyTrainingsPage />,
  },
  {
    path: /^\/formation\/mes-formations\/([\w-]+)$/,
    title: 'Ma formation',
    allowed: everyone,
    render: (m) => <MyTrainingPage key={m[1]} sessionId={m[1]!} />,
  },
  { path: /^\/formation\/lecteur$/, title: 'Activité en cours', allowed: everyone, render: () => <PlayerPage /> },
  {
    path: /^\/formation\/sessions\/([\w-]+)\/discussion$/,
    title: 'Discussion de la session',
    allowed: everyone,
    render: (m) => <DiscussionPage sessionId={m[1]!} />,
  },
  {
    path: /^\/formation\/parcours$/,
    nav: 'Mes parcours',
    href: '/formation/parcours',
    allowed: (u) => hasRole(u, ...STAFF),
    render: () => <ParcoursListPage />,
  },
  {
    path: /^\/formation\/parcours\/([\w-]+)$/,
    title: 'Construction du parcours',
    allowed: (u) => hasRole(u, ...STAFF),
    render: (m) => <ParcoursEditPage key={m[1]} courseId={m[1]!} />,
  },
  {
    path: /^\/formation\/sessions$/,
    nav: 'Suivi des sessions',
    href: '/formation/sessions',
    allowed: (u) => hasRole(u, ...STAFF),
    render: () => <SessionsPage />,
  },
  {
    path: /^\/formation\/sessions\/([\w-]+)$/,
    title: 'Suivi de la session',
    allowed: (u) => hasRole(u, ...STAFF),
    render: (m) => <SessionPage key={m[1]} sessionId={m[1]!} />,
  },
  {
    path: /^\/formation\/devoirs$/,
    nav: 'Devoirs de mes classes',
    href: '/formation/devoirs',
    allowed: (u) => hasRole(u, 'teacher'),
    render: () => <AssignmentsPage />,
  },
  {
    path: /^\/formation\/indicateurs$/,
    nav: 'Indicateurs',
    href: '/formation/indicateurs',
    allowed: (u) => hasRole(u, ...FIGURES),
    render: () => <IndicatorsPage />,
  },
];

function navigationOf(user: SessionUser, path: string): NavItem[] {
  return PAGES.filter((p) => p.nav && p.allowed(user)).map((p) => ({
    text: p.nav!,
    href: p.href!,
    isActive: p.path.test(path),
  }));
}

/** The accessibility statement: public, like the sign-in page. */
const ACCESSIBILITY_PATH = '/formation/accessibilite';

/** What the window title says the page is: the page's name, or what is shown in its place. */
function pageTitleOf(state: ReturnType<typeof useSession>['state'], path: string, verify: boolean): string {
  if (path === ACCESSIBILITY_PATH) return 'Déclaration d’accessibilité';
  if (verify) return 'Vérifier une attestation';
  if (state.kind === 'loading') return 'Chargement';
  if (state.kind === 'anonymous') return 'Connexion';
  const page = PAGES.find((p) => p.path.test(path));
  if (!page) return 'Page introuvable';
  if (!page.allowed(state.user)) return 'Accès refusé';
  return page.title ?? page.nav ?? 'Formation à distance';
}

export function App() {
  const { state } = useSession();
  const { path } = useLocation();
  useFocusMainOnNavigate(path);
  useLeaveFrame(path);
  // A native activity is an AU: it runs in the player's frame or its own window, without the site's frame.
  if (/^\/formation\/activite\//.test(path))
    return (
      <Suspense fallback={null}>
        <NativeAuPage />
      </Suspense>
    );
  const verify = /^\/formation\/verifier(?:\/([\w-]*))?$/.exec(path);
  const user = state.kind === 'signed-in' ? state.user : null;
  return (
    <AppShell
      accessibilityHref={ACCESSIBILITY_PATH}
      pageTitle={pageTitleOf(state, path, verify !== null)}
      serviceTitle="Formation à distance"
      serviceTagline="Se former avec l’ENT, où que l’on soit"
      homeHref="/formation/"
      otherApp={{ text: 'Observatoire des ENT', href: '/', iconId: 'fr-icon-line-chart-line' }}
      footerDescription="L’espace de formation à distance de l’observatoire des ENT : parcours, sessions et attestations. Chaque activité est enregistrée dans le LRS de l’observatoire (xAPI, cmi5)."
      navigation={user ? navigationOf(user, path) : undefined}
    >
      {path === ACCESSIBILITY_PATH ? (
        <AccessibilityStatement />
      ) : verify ? (
        <Suspense fallback={<p aria-live="polite">Chargement…</p>}>
          <VerifyPage key={verify[1] ?? ''} code={verify[1] ?? ''} />
        </Suspense>
      ) : (
        <>
          {state.kind === 'loading' && <p aria-live="polite">Chargement…</p>}
          {state.kind === 'anonymous' && <SignInPage serviceTitle="l’espace de formation" />}
          {user && <Routed user={user} path={path} />}
        </>
      )}
    </AppShell>
  );
}

/** An AU that ends inside the player's frame returns to a page of ours: that page takes the whole window back. */
function useLeaveFrame(path: string) {
  useEffect(() => {
    if (window.self !== window.top && !path.startsWith('/formation/activite/')) {
      window.top!.location.href = window.location.href;
    }
  }, [path]);
}

function Routed({ user, path }: { user: SessionUser; path: string }) {
  const found = PAGES.map((p) => ({ p, m: p.path.exec(path) })).find((x) => x.m);
  if (!found)
    return (
      <StatusPage
        severity="warning"
        title="Page introuvable"
        description="Cette adresse ne correspond à aucune page de l’espace de formation."
      />
    );
  if (!found.p.allowed(user)) {
    return (
      <StatusPage
        severity="error"
        title="Accès refusé"
        description="Cette page est réservée à un autre rôle que le vôtre (formateurs, enseignants, administrateurs)."
      />
    );
  }
  if (found.p.path.source === PAGES[0]!.path.source) return <HomePage user={user} />;
  return <Suspense fallback={<p aria-live="polite">Chargement…</p>}>{found.p.render(found.m!)}</Suspense>;
}
