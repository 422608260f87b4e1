import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Link, useUser } from '@ent-observatory/web';
import type { ReactNode } from 'react';
import { formatDayLong, freshnessNote, retentionNote } from '../format';
import { FilterBar } from './FilterBar';
import { type Filters, type ObservatoryFilter, serialiseFilters, toObservatoryFilter } from './filters';
import { KContext } from './Measure';
import {
  type Place,
  type Scope,
  ancestorsOf,
  chosenPlace,
  departementName,
  placeInScope,
  placeTitle,
  scopeOf,
  withPlace,
} from './scope';
import { useFilters } from './useFilters';
import { useView } from './useView';
import { OBSERVATORY_VIEWS, type ViewInfo } from './views';

/** What every view answers besides its figures (docs/observatory-api.md, ViewMeta). */
export interface ViewMeta {
  from: string;
  to: string;
  territory: Place;
  k: number;
  generatedAt: string;
  /** Every statement stored before this instant is counted (null: the first computation is running). */
  asOf: string | null;
  /** First day whose person-level data is kept (null: kept forever); `expired`: the whole period lies before it. */
  retainedFrom: string | null;
  expired: boolean;
}
export const META_FIELDS = 'meta { from to territory { level code name } k generatedAt asOf retainedFrom expired }';

export interface ViewContext {
  filters: Filters;
  scope: Scope;
  /** The address of the same filters with another territory (for drilling down and up). */
  hrefFor(place: Place | undefined, slug?: string): string;
  setFilters(f: Filters): void;
}

/**
 * The frame of every observatory view: breadcrumb of the territory, title and period, the views' navigation, the
 * filter bar, then the view's figures from one GraphQL round trip (skeleton while loading, error, empty state).
 */
export function ObservatoryPage<T extends Record<string, { meta: ViewMeta }>>(props: {
  view: ViewInfo;
  query: string;
  /** The query's root field, e.g. "overview". */
  field: keyof T & string;
  intro: string;
  /** Extra variables, or undefined when the view cannot be asked yet (it then shows `missing`). */
  variables?(filter: ObservatoryFilter): Record<string, unknown> | undefined;
  missing?: ReactNode;
  isEmpty?(data: T[keyof T]): boolean;
  children(data: T[keyof T], context: ViewContext): ReactNode;
}) {
  const user = useUser();
  const scope = scopeOf(user);
  const { filters, setFilters, today } = useFilters();
  const filter = toObservatoryFilter(filters);
  const variables = props.variables ? props.variables(filter) : { filter };
  const state = useView<T>(props.query, variables);
  const data =
    variables === undefined
      ? undefined
      : state.kind === 'ready'
        ? state.data
        : state.kind === 'loading'
          ? state.previous
          : undefined;
  const figures = data?.[props.field];
  const meta = figures?.meta;
  const hrefFor = (place: Place | undefined, slug = props.view.slug) => {
    const target = OBSERVATORY_VIEWS.find((v) => v.slug === slug)!;
    const next = withPlace(filters, place);
    const s = serialiseFilters({ ...next, dnma: next.dnma && target.dnma }, today);
    return s ? `${target.path}?${s}` : target.path;
  };
  const context: ViewContext = { filters, scope, hrefFor, setFilters };
  const territory = meta ? { ...meta.territory, name: placeTitle(meta.territory) } : undefined;
  // Only the places above that the user may open (an académie's user has no link to France).
  const crumbs = territory
    ? breadcrumbOf(territory, figures).filter((p) =>
        p.level === 'NATIONAL'
          ? scope.kind === 'national'
          : scope.kind === 'national' || placeInScope(scope, p.level, p.code),
      )
    : [];
  const views = OBSERVATORY_VIEWS.filter((v) => v.scopes.includes(scope.kind));

  return (
    <KContext.Provider value={meta?.k ?? 5}>
      {territory && territory.level !== 'NATIONAL' && crumbs.length > 0 && (
        <nav role="navigation" className="fr-breadcrumb fr-mt-0 fr-mb-2w" aria-label="vous êtes ici :">
          <ol className="fr-breadcrumb__list">
            {crumbs.map((p) => (
              <li key={p.level}>
                <Link className="fr-breadcrumb__link" href={hrefFor(p.level === 'NATIONAL' ? undefined : p)}>
                  {p.name}
                </Link>
              </li>
            ))}
            <li>
              <a className="fr-breadcrumb__link" aria-current="page">
                {territory.name}
              </a>
            </li>
          </ol>
        </nav>
      )}
      <h1 className="fr-h2 fr-mb-1w">
        {props.view.title}
        {territory ? ` — ${territory.name}` : ''}
      </h1>
      <p className="fr-text--sm fr-mb-2w obs-period" data-testid="period">
        {meta ? `Du ${formatDayLong(meta.from)} au ${formatDayLong(meta.to)}` : '\u00a0'}
        {filters.dnma && ' — chiffres nationaux publiés par la DNMA (visites seulement)'}
        {meta && !filters.dnma && freshnessNote(meta) && ` — ${freshnessNote(meta)}`}
        {meta && !filters.dnma && retentionNote(meta) && ` — ${retentionNote(meta)}`}
      </p>
      <nav className="fr-mb-2w obs-views" aria-label="Vues de l’observatoire">
        <ul>
          {views.map((v) => (
            <li key={v.slug}>
              <Link
                href={hrefFor(chosenPlace(filters), v.slug)}
                aria-current={v.slug === props.view.slug ? 'page' : undefined}
                className="fr-link"
              >
                {v.title}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <p className="fr-mb-2w">{props.intro}</p>
      <FilterBar
        filters={filters}
        today={today}
        scope={scope}
        onChange={setFilters}
        dnma={props.view.dnma}
        establishmentName={territory?.level === 'ETABLISSEMENT' ? territory.name : undefined}
      />
      <div aria-live="polite" aria-busy={state.kind === 'loading'} data-testid="view-body">
        {variables === undefined ? (
          props.missing
        ) : state.kind === 'error' && filters.dnma && state.code === 'BAD_USER_INPUT' ? (
          <Alert
            severity="info"
            title="Chiffres nationaux DNMA indisponibles"
            description={
              <>
                Les données ouvertes de la DNMA n’ont pas été importées pour cette période ({state.message}).{' '}
                <button type="button" className="fr-link" onClick={() => setFilters({ ...filters, dnma: false })}>
                  Revenir aux chiffres de l’observatoire
                </button>
              </>
            }
          />
        ) : state.kind === 'error' ? (
          <Alert severity="error" title="Les chiffres n’ont pas pu être chargés" description={state.message} />
        ) : !figures ? (
          <Skeleton />
        ) : figures.meta.expired && !filters.dnma ? (
          // Said before "no activity": the figures are empty because the data was erased, not for lack of use.
          <Alert
            severity="info"
            title="Données expirées"
            description={`Les traces de cette période ont été effacées au terme de leur durée de conservation : seules les données à partir du ${formatDayLong(figures.meta.retainedFrom ?? figures.meta.to)} sont conservées. Choisissez une période plus récente.`}
            className="fr-mb-3w"
            data-testid="expired"
          />
        ) : props.isEmpty?.(figures) ? (
          <Alert
            severity="info"
            title="Aucune activité sur cette période"
            description="Aucune trace ENT ne correspond à ces filtres : élargissez la période ou le territoire, ou retirez des filtres."
            className="fr-mb-3w"
          />
        ) : (
          <div className={state.kind === 'loading' ? 'obs-stale' : undefined}>
            {props.children({ ...figures, meta: { ...figures.meta, territory: territory! } }, context)}
          </div>
        )}
      </div>
    </KContext.Provider>
  );
}

/** The places above the territory shown; an establishment's come from its département (in the view's answer). */
function breadcrumbOf(territory: Place, figures: unknown): Place[] {
  if (territory.level !== 'ETABLISSEMENT') return ancestorsOf(territory.level, territory.code);
  const departement = (figures as { establishment?: { departement?: string } }).establishment?.departement;
  if (!departement) return ancestorsOf('NATIONAL', '');
  return [
    ...ancestorsOf('DEPARTEMENT', departement),
    { level: 'DEPARTEMENT', code: departement, name: departementName(departement) },
  ];
}

function Skeleton() {
  return (
    <div className="obs-skeleton" data-testid="skeleton">
      <span className="fr-sr-only">Chargement des chiffres…</span>
      <div className="fr-grid-row fr-grid-row--gutters" aria-hidden="true">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="fr-col-6 fr-col-md-3">
            <div className="obs-skeleton__block" style={{ height: 96 }} />
          </div>
        ))}
        <div className="fr-col-12">
          <div className="obs-skeleton__block" style={{ height: 280 }} />
        </div>
      </div>
    </div>
  );
}
