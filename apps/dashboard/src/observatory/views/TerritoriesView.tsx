import { Link } from '@ent-observatory/web';
import { useId, useState } from 'react';
import type { Kind } from '../cells';
import { ChartCard } from '../ChartCard';
import type { Column } from '../csv';
import { FIGURES, type Figures } from '../fragments';
import { FranceMap, type MapLevel } from '../FranceMap';
import { Kpi } from '../Kpi';
import { Measure } from '../Measure';
import { META_FIELDS, ObservatoryPage, type ViewMeta } from '../ObservatoryPage';
import { type Level, placeInScope } from '../scope';
import { viewBySlug } from '../views';

interface Row {
  level: Level;
  code: string;
  name: string;
  visits: number | null;
  users: number | null;
  durationSeconds: number | null;
  suppressed: boolean;
  enrolledPupils: number;
  activePupils: number | null;
  pupilRate: number | null;
  latitude: number | null;
  longitude: number | null;
}
interface TerritoryView {
  meta: ViewMeta;
  childLevel: Level;
  total: Figures;
  rows: Row[];
}

const QUERY = `query Territories($filter: ObservatoryFilter!) { territoryView(filter: $filter) {
  ${META_FIELDS} childLevel total { ${FIGURES} }
  rows { level code name ${FIGURES} enrolledPupils activePupils pupilRate latitude longitude }
} }`;

type MeasureKey = 'visits' | 'users' | 'pupilRate' | 'durationSeconds';
const MEASURES: Record<MeasureKey, { label: string; kind: Kind }> = {
  visits: { label: 'Visites (nombre)', kind: 'count' },
  users: { label: 'Utilisateurs distincts (nombre)', kind: 'count' },
  pupilRate: { label: 'Élèves actifs / élèves inscrits (%)', kind: 'percent' },
  durationSeconds: { label: 'Durée moyenne d’une visite', kind: 'duration' },
};
const LEVEL_PLURALS: Record<Level, string> = {
  NATIONAL: 'Territoires',
  REGION: 'Régions académiques',
  ACADEMIE: 'Académies',
  DEPARTEMENT: 'Départements',
  ETABLISSEMENT: 'Établissements',
};
const LEVEL_NAMES: Record<Level, string> = {
  NATIONAL: 'Territoire',
  REGION: 'Région académique',
  ACADEMIE: 'Académie',
  DEPARTEMENT: 'Département',
  ETABLISSEMENT: 'Établissement',
};

/** Establishments with the most visits first, those under statistical secrecy last (the API sorts by name). */
const byVisits = (rows: Row[]) => [...rows].sort((a, b) => (b.visits ?? -1) - (a.visits ?? -1));

/** Territoires: the map of the children of the chosen territory, coloured by a chosen measure, to drill down. */
export default function TerritoriesView() {
  const [measure, setMeasure] = useState<MeasureKey>('visits');
  const id = useId();
  return (
    <ObservatoryPage<{ territoryView: TerritoryView }>
      view={viewBySlug('territoires')!}
      query={QUERY}
      field="territoryView"
      intro="La carte colore chaque territoire selon l’indicateur choisi ; cliquez sur un territoire (ou sélectionnez-le au clavier puis Entrée) pour descendre d’un niveau : région, académie, département, puis établissements."
    >
      {(t, ctx) => {
        const m = MEASURES[measure];
        const hrefOf = (r: Row) =>
          !placeInScope(ctx.scope, r.level, r.code)
            ? undefined
            : r.level === 'ETABLISSEMENT'
              ? ctx.hrefFor({ level: r.level, code: r.code, name: r.name }, 'etablissement')
              : ctx.hrefFor({ level: r.level, code: r.code, name: r.name });
        const columns: Column<Row>[] = [
          { key: 'name', label: LEVEL_NAMES[t.childLevel], kind: 'text', value: (r) => r.name, href: hrefOf },
          {
            key: 'visits',
            label: 'Visites (nombre)',
            kind: 'count',
            value: (r) => r.visits,
            suppressed: (r) => r.suppressed,
          },
          {
            key: 'users',
            label: 'Utilisateurs distincts (nombre)',
            kind: 'count',
            value: (r) => r.users,
            suppressed: (r) => r.suppressed,
          },
          { key: 'enrolled', label: 'Élèves inscrits (nombre)', kind: 'count', value: (r) => r.enrolledPupils },
          {
            key: 'active',
            label: 'Élèves actifs (nombre)',
            kind: 'count',
            value: (r) => r.activePupils,
            suppressed: (r) => r.activePupils === null,
          },
          {
            key: 'rate',
            label: 'Élèves actifs / inscrits (%)',
            kind: 'percent',
            value: (r) => r.pupilRate,
            suppressed: (r) => r.activePupils === null,
          },
        ];
        const mapLevel: MapLevel | null =
          t.childLevel === 'ETABLISSEMENT' ? 'DEPARTEMENT' : t.childLevel === 'NATIONAL' ? null : t.childLevel;
        const territory = t.meta.territory;
        const within =
          territory.level === 'REGION'
            ? (d: { region: string }) => d.region === territory.code
            : territory.level === 'ACADEMIE'
              ? (d: { academie: string }) => d.academie === territory.code
              : territory.level === 'DEPARTEMENT'
                ? (d: { departement: string }) => d.departement === territory.code
                : undefined;
        const areas =
          t.childLevel === 'ETABLISSEMENT'
            ? [
                {
                  code: territory.code,
                  name: territory.name,
                  value: t.total[measure === 'pupilRate' ? 'visits' : measure],
                  suppressed: t.total.suppressed,
                },
              ]
            : t.rows.map((r) => ({
                code: r.code,
                name: r.name,
                value: r[measure],
                suppressed: r.suppressed || r[measure] === null,
                href: hrefOf(r),
              }));
        return (
          <>
            <div className="fr-grid-row fr-grid-row--gutters fr-mb-3w">
              <Kpi
                label={`Visites — ${territory.name}`}
                value={t.total.visits}
                kind="count"
                suppressed={t.total.suppressed}
                testId="kpi-visits"
              />
              <Kpi
                label="Utilisateurs distincts"
                value={t.total.users}
                kind="count"
                suppressed={t.total.suppressed}
                testId="kpi-users"
              />
              <Kpi
                label="Durée moyenne d’une visite"
                value={t.total.durationSeconds}
                kind="duration"
                suppressed={t.total.suppressed}
              />
              <Kpi
                label={`${LEVEL_PLURALS[t.childLevel]} dans le territoire`}
                value={t.rows.length}
                kind="count"
                testId="kpi-children"
              />
            </div>
            <div className="fr-grid-row fr-grid-row--gutters">
              {mapLevel && (
                <div className="fr-col-12 fr-col-lg-7">
                  <section className="obs-card fr-mb-3w" aria-labelledby={`${id}-map`}>
                    <div>
                      <div>
                        <h2 id={`${id}-map`} className="fr-h5 fr-mb-1w">
                          Carte : {m.label.toLowerCase()} par {LEVEL_NAMES[t.childLevel].toLowerCase()}
                        </h2>
                        <div className="fr-select-group fr-mb-1w">
                          <label className="fr-label" htmlFor={`${id}-measure`}>
                            Indicateur de la carte
                          </label>
                          <select
                            className="fr-select"
                            id={`${id}-measure`}
                            value={measure}
                            onChange={(e) => setMeasure(e.target.value as MeasureKey)}
                          >
                            {Object.entries(MEASURES).map(([key, v]) => (
                              <option key={key} value={key}>
                                {v.label}
                              </option>
                            ))}
                          </select>
                        </div>
                        <FranceMap
                          level={mapLevel}
                          areas={areas}
                          kind={m.kind}
                          measureLabel={m.label}
                          within={within}
                          points={
                            t.childLevel === 'ETABLISSEMENT'
                              ? t.rows
                                  .filter((r) => r.latitude !== null && r.longitude !== null)
                                  .map((r) => ({
                                    code: r.code,
                                    name: r.name,
                                    latitude: r.latitude!,
                                    longitude: r.longitude!,
                                    href: hrefOf(r),
                                    value: r[measure],
                                    suppressed: r.suppressed || r[measure] === null,
                                  }))
                              : undefined
                          }
                        />
                        <p className="fr-text--xs fr-mb-0">
                          Fond de carte : IGN Admin Express (Licence Ouverte), métropole seulement ; l’outre-mer figure
                          dans le tableau.
                        </p>
                      </div>
                    </div>
                  </section>
                </div>
              )}
              <div className={mapLevel ? 'fr-col-12 fr-col-lg-5' : 'fr-col-12'}>
                <RankList
                  rows={t.rows}
                  measure={measure}
                  hrefOf={hrefOf}
                  title={`${LEVEL_PLURALS[t.childLevel]} : ${m.label.toLowerCase()}`}
                />
              </div>
            </div>
            <ChartCard
              title={`Chiffres par ${LEVEL_NAMES[t.childLevel].toLowerCase()} — ${territory.name}`}
              unit="visites, utilisateurs et élèves en nombre ; taux en pourcentage des élèves inscrits"
              columns={columns}
              rows={t.childLevel === 'ETABLISSEMENT' ? byVisits(t.rows) : t.rows}
              testId="territory-table"
            />
          </>
        );
      }}
    </ObservatoryPage>
  );
}

/** The children ranked by the chosen measure, as links to drill down: the map's keyboard- and screen-reader twin. */
function RankList(props: { rows: Row[]; measure: MeasureKey; hrefOf(r: Row): string | undefined; title: string }) {
  const m = MEASURES[props.measure];
  const ranked = [...props.rows].sort((a, b) => (b[props.measure] ?? -1) - (a[props.measure] ?? -1));
  return (
    <section className="obs-card fr-mb-3w" data-testid="rank-list">
      <div>
        <div>
          <h2 className="fr-h5 fr-mb-1w">{props.title}</h2>
          <ol className="fr-mt-1w obs-rank">
            {ranked.slice(0, 30).map((r) => {
              const href = props.hrefOf(r);
              return (
                <li key={r.code}>
                  {href ? <Link href={href}>{r.name}</Link> : r.name} :{' '}
                  <strong>
                    <Measure
                      value={r[props.measure]}
                      kind={m.kind}
                      suppressed={r.suppressed || (r[props.measure] === null && props.measure !== 'durationSeconds')}
                    />
                  </strong>
                </li>
              );
            })}
          </ol>
          {ranked.length > 30 && (
            <p className="fr-text--sm">Les 30 premiers ; tous figurent dans le tableau ci-dessous.</p>
          )}
        </div>
      </div>
    </section>
  );
}
