import {
  AccessibilityStatement,
  AppShell,
  type NavItem,
  type SessionUser,
  SignInPage,
  StatusPage,
  hasRole,
  navigate,
  useFocusMainOnNavigate,
  useLocation,
  useSession,
} from '@ent-observatory/web';
import { type ComponentType, type LazyExoticComponent, lazy, Suspense, useEffect } from 'react';
import './observatory/observatory.css';
import { scopeOf } from './observatory/scope';
import { OBSERVATORY_VIEWS } from './observatory/views';
import { isOtherApp, landingPath } from './landing';
import { parisToday, schoolYearStartOf } from './follow-up/labels';

const StatementActivityView = lazy(() => import('./StatementActivityView'));
const AdminPage = lazy(() => import('./admin/AdminPage'));
const TerritoriesPage = lazy(() => import('./directory/TerritoriesPage'));
const EstablishmentsPage = lazy(() => import('./directory/EstablishmentsPage'));
const EstablishmentPage = lazy(() => import('./directory/EstablishmentPage'));
const FollowUpHome = lazy(() => import('./follow-up/FollowUpHome'));
const ClassPage = lazy(() => import('./follow-up/ClassPage'));
const PupilPage = lazy(() => import('./follow-up/PupilPage'));

/** One chunk per observatory view: a user downloads only the views they open. */
const OBSERVATORY_PAGES: Record<string, LazyExoticComponent<ComponentType>> = {
  '': lazy(() => import('./observatory/views/OverviewView')),
  territoires: lazy(() => import('./observatory/views/TerritoriesView')),
  etablissement: lazy(() => import('./observatory/views/EstablishmentView')),
  services: lazy(() => import('./observatory/views/ServicesView')),
  appareils: lazy(() => import('./observatory/views/DevicesView')),
  equite: lazy(() => import('./observatory/views/EquityView')),
  continuite: lazy(() => import('./observatory/views/ContinuityView')),
  collaboration: lazy(() => import('./observatory/views/CollaborationView')),
  parents: lazy(() => import('./observatory/views/ParentsView')),
};

const TERRITORY_ROLES = ['admin', 'national', 'academy', 'establishment', 'teacher'] as const;
const OBSERVATORY_ROLES = ['admin', 'national', 'academy', 'establishment'] as const;
/** Who follows pupils individually (docs/follow-up-api.md): never the territorial roles. */
const FOLLOW_UP_ROLES = ['teacher', 'establishment', 'parent', 'pupil'] as const;

/** The pages, who may open them, and which navigation group they belong to. */
interface Page {
  path: RegExp;
  nav?: { text: string; href: string; group?: string };
  /** The window title's first part when the page has no navigation entry to name it. */
  title?: string;
  allowed(user: SessionUser): boolean;
  render(match: RegExpExecArray): React.ReactNode;
}

const PAGES: Page[] = [
  ...OBSERVATORY_VIEWS.map((v): Page => ({
    path: new RegExp(`^${v.path}$`),
    nav: { text: v.title, href: v.path, group: 'Observatoire' },
    allowed: (u) => hasRole(u, ...OBSERVATORY_ROLES) && v.scopes.includes(scopeOf(u).kind),
    render: () => {
      const View = OBSERVATORY_PAGES[v.slug]!;
      return <View key={v.slug} />;
    },
  })),
  {
    path: /^\/suivi$/,
    nav: { text: 'Suivi des élèves', href: '/suivi' },
    allowed: (u) => hasRole(u, ...FOLLOW_UP_ROLES),
    render: () => <FollowUpHome />,
  },
  {
    path: /^\/suivi\/classe$/,
    title: 'Ma classe',
    allowed: (u) => hasRole(u, 'teacher', 'establishment'),
    render: () => <FollowUpPage kind="classe" />,
  },
  {
    path: /^\/suivi\/eleve$/,
    title: 'Fiche élève',
    allowed: (u) => hasRole(u, ...FOLLOW_UP_ROLES),
    render: () => <FollowUpPage kind="eleve" />,
  },
  {
    path: /^\/territoires$/,
    nav: { text: 'Territoires', href: '/territoires', group: 'Annuaire' },
    allowed: (u) => hasRole(u, 'admin', 'national', 'academy'),
    render: () => <TerritoriesPage />,
  },
  {
    path: /^\/etablissements$/,
    nav: { text: 'Établissements', href: '/etablissements', group: 'Annuaire' },
    allowed: (u) => hasRole(u, ...TERRITORY_ROLES),
    render: () => <EstablishmentsPage />,
  },
  {
    path: /^\/etablissements\/([0-9]{7}[A-Z])$/,
    title: 'Fiche établissement',
    allowed: (u) => hasRole(u, ...TERRITORY_ROLES),
    render: (m) => <EstablishmentPage key={m[1]} uai={m[1]!} />,
  },
  {
    path: /^\/activite-lrs$/,
    nav: { text: 'Activité du LRS', href: '/activite-lrs' },
    allowed: (u) => hasRole(u, 'admin', 'national'),
    render: () => <StatementActivityView />,
  },
  {
    path: /^\/administration$/,
    nav: { text: 'Administration', href: '/administration' },
    allowed: (u) => hasRole(u, 'admin'),
    render: () => <AdminPage />,
  },
];

/** The header navigation: observatory views and directory pages as drop-down menus, the rest as links. */
function navigationOf(user: SessionUser, path: string): NavItem[] {
  const items: NavItem[] = [];
  for (const page of PAGES) {
    if (!page.nav || !page.allowed(user)) continue;
    const entry: NavItem = { text: page.nav.text, href: page.nav.href, isActive: page.path.test(path) };
    const group = page.nav.group;
    if (!group) {
      items.push(entry);
      continue;
    }
    let menu = items.find((i) => i.text === group);
    if (!menu) {
      menu = { text: group, href: entry.href, menu: [] };
      items.push(menu);
    }
    menu.menu!.push(entry);
    menu.isActive = menu.isActive || entry.isActive;
  }
  return items;
}

/** What the window title says the page is: the page's name, or what is shown in its place. */
function pageTitleOf(state: ReturnType<typeof useSession>['state'], path: string): string {
  if (path === ACCESSIBILITY_PATH) return 'Déclaration d’accessibilité';
  if (state.kind === 'loading') return 'Chargement';
  if (state.kind === 'anonymous') return 'Connexion';
  const page = PAGES.find((p) => p.path.test(path));
  if (!page) return path === '/' ? 'Accueil' : 'Page introuvable';
  if (!page.allowed(state.user)) return 'Accès refusé';
  if (page.title) return page.title;
  // « Territoires » is both an observatory view and a directory page: the group tells them apart.
  if (page.nav?.group) return `${page.nav.text} (${page.nav.group.toLowerCase()})`;
  return page.nav?.text ?? 'Observatoire des ENT';
}

/** The accessibility statement: public, like the sign-in page. */
const ACCESSIBILITY_PATH = '/accessibilite';

/** A follow-up page, its class or pupil and its period from the address (`id`, `du`, `au`). */
function FollowUpPage({ kind }: { kind: 'classe' | 'eleve' }) {
  const { query } = useLocation();
  const id = query.get('id') ?? '';
  const to = query.get('au') ?? parisToday();
  const from = query.get('du') ?? schoolYearStartOf(to);
  return kind === 'classe' ? (
    <ClassPage key={`${id}|${from}|${to}`} classId={id} from={from} to={to} />
  ) : (
    <PupilPage key={`${id}|${from}|${to}`} pupilId={id} from={from} to={to} />
  );
}

export function App() {
  const { state } = useSession();
  const { path } = useLocation();
  useFocusMainOnNavigate(path);
  const user = state.kind === 'signed-in' ? state.user : null;
  return (
    <AppShell
      accessibilityHref={ACCESSIBILITY_PATH}
      pageTitle={pageTitleOf(state, path)}
      serviceTitle="Observatoire des ENT"
      serviceTagline="Usages des espaces numériques de travail"
      homeHref="/"
      otherApp={{ text: 'Espace de formation', href: '/formation/', iconId: 'fr-icon-book-2-line' }}
      footerDescription="L’observatoire mesure l’usage des ENT à partir des traces xAPI que les plateformes lui envoient. Les données des élèves sont pseudonymisées ; aucun chiffre n’est publié sur moins de 5 utilisateurs (secret statistique). Fond de carte : IGN Admin Express, Licence Ouverte."
      navigation={user ? navigationOf(user, path) : undefined}
    >
      {path === ACCESSIBILITY_PATH ? (
        <AccessibilityStatement />
      ) : (
        <>
          {state.kind === 'loading' && <p aria-live="polite">Chargement…</p>}
          {state.kind === 'anonymous' && <SignInPage serviceTitle="l’Observatoire des ENT" />}
          {user && <Routed user={user} path={path} />}
        </>
      )}
    </AppShell>
  );
}

function Routed({ user, path }: { user: SessionUser; path: string }) {
  const found = PAGES.map((v) => ({ v, m: v.path.exec(path) })).find((x) => x.m);
  const landing = landingPath(user);
  const redirect = path === '/' && landing !== '/';
  useEffect(() => {
    if (!redirect) return;
    if (isOtherApp(landing)) window.location.replace(landing);
    else navigate(landing, { replace: true });
  }, [redirect, landing]);
  if (redirect) return null;
  if (!found) {
    return (
      <StatusPage
        severity="warning"
        title="Page introuvable"
        description="Cette adresse ne correspond à aucune vue de l’observatoire."
      />
    );
  }
  if (!found.v.allowed(user)) {
    return (
      <StatusPage
        severity="error"
        title="Accès refusé"
        description="Cette vue est hors de votre périmètre : votre compte ne permet pas de la consulter."
      />
    );
  }
  return <Suspense fallback={<p aria-live="polite">Chargement…</p>}>{found.v.render(found.m!)}</Suspense>;
}
