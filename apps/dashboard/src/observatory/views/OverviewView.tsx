import { VisitsBarsCard } from '../VisitCards';
import { formatChange } from '../../format';
import { BarsChart, TrendChart } from '../charts';
import { ChartCard } from '../ChartCard';
import { cellColumns, suppressedCell } from '../columns';
import {
  DEVICE_CELL,
  FIGURES,
  type DeviceCell,
  type Figures,
  PENETRATION,
  PERIOD_POINT,
  PROFILE_CELL,
  type Penetration,
  type PeriodPoint,
  type ProfileCell,
  SERVICE_CELL,
  type ServiceCell,
} from '../fragments';
import { Kpi } from '../Kpi';
import { META_FIELDS, ObservatoryPage, type ViewMeta } from '../ObservatoryPage';
import { PenetrationCard } from '../PenetrationCard';
import { viewBySlug } from '../views';

interface Overview {
  meta: ViewMeta;
  current: Figures;
  previous: Figures;
  previousFrom: string;
  previousTo: string;
  comparable: boolean;
  comparisonNote: string | null;
  national: Figures;
  trend: PeriodPoint[];
  byProfile: ProfileCell[];
  byService: ServiceCell[];
  byDevice: DeviceCell[];
  penetration: Penetration;
}

const QUERY = `query Overview($filter: ObservatoryFilter!) { overview(filter: $filter) {
  ${META_FIELDS}
  current { ${FIGURES} } previous { ${FIGURES} } previousFrom previousTo comparable comparisonNote national { ${FIGURES} }
  trend { ${PERIOD_POINT} } byProfile { ${PROFILE_CELL} } byService { ${SERVICE_CELL} } byDevice { ${DEVICE_CELL} }
  penetration { ${PENETRATION} }
} }`;

const change = (o: Overview, key: 'visits' | 'users') => {
  if (!o.comparable) return `Comparaison non significative : ${o.comparisonNote ?? 'périodes mesurées différemment'}`;
  const text =
    !o.current.suppressed && !o.previous.suppressed ? formatChange(o.current[key] ?? 0, o.previous[key]) : undefined;
  return text
    ? `${text} par rapport à la période précédente (même nombre de jours de classe)`
    : 'Pas de comparaison possible avec la période précédente';
};

/** Vue d'ensemble: the key figures with their change, the weekly trend, and who uses which services. */
export default function OverviewView() {
  return (
    <ObservatoryPage<{ overview: Overview }>
      view={viewBySlug('')!}
      query={QUERY}
      field="overview"
      intro="Les chiffres clés de l’usage de l’ENT sur votre territoire : visites, utilisateurs, évolution semaine par semaine et répartition par profil, service et appareil."
      isEmpty={(o) => !o.current.suppressed && !o.current.visits && !o.previous.visits}
    >
      {(o) => {
        const national = o.meta.territory.level !== 'NATIONAL';
        return (
          <>
            <div className="fr-grid-row fr-grid-row--gutters fr-mb-3w">
              <Kpi
                label="Visites"
                value={o.current.visits}
                kind="count"
                suppressed={o.current.suppressed}
                detail={change(o, 'visits')}
                testId="kpi-visits"
              />
              <Kpi
                label="Utilisateurs distincts"
                value={o.current.users}
                kind="count"
                suppressed={o.current.suppressed}
                detail={change(o, 'users')}
                testId="kpi-users"
              />
              <Kpi
                label="Durée moyenne d’une visite"
                value={o.current.durationSeconds}
                kind="duration"
                suppressed={o.current.suppressed}
                testId="kpi-duration"
              />
              <Kpi
                label="Élèves actifs / élèves inscrits"
                value={o.penetration.pupilRate}
                kind="percent"
                suppressed={o.penetration.suppressed}
                detail={`${o.penetration.enrolledPupils.toLocaleString('fr-FR')} élèves inscrits`}
                testId="kpi-penetration"
              />
            </div>
            <ChartCard
              title="Visites par semaine"
              unit="nombre de visites par semaine (semaines du lundi au dimanche)"
              columns={cellColumns<PeriodPoint>('Semaine', (p) => p.label)}
              rows={o.trend}
              chart={
                <TrendChart
                  rows={o.trend}
                  x={(p) => p.label}
                  kind="count"
                  series={[{ label: 'Visites', value: (p) => p.visits }]}
                />
              }
              testId="chart-trend"
            />
            <div className="fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-12 fr-col-lg-6">
                <ChartCard
                  title="Visites par profil d’utilisateur"
                  unit="nombre de visites"
                  columns={cellColumns<ProfileCell>('Profil', (p) => p.label)}
                  rows={o.byProfile}
                  chart={
                    <BarsChart
                      rows={o.byProfile}
                      label={(p) => p.label}
                      value={(p) => p.visits}
                      suppressed={suppressedCell}
                      kind="count"
                    />
                  }
                  testId="chart-profiles"
                />
              </div>
              <div className="fr-col-12 fr-col-lg-6">
                <ChartCard
                  title="Visites par appareil"
                  unit="nombre de visites et part des visites"
                  columns={[
                    ...cellColumns<DeviceCell>('Appareil', (d) => d.label, ['visits', 'users']),
                    {
                      key: 'share',
                      label: 'Part des visites (%)',
                      kind: 'percent',
                      value: (d) => d.share,
                      suppressed: suppressedCell,
                    },
                  ]}
                  rows={o.byDevice}
                  chart={
                    <BarsChart
                      rows={o.byDevice}
                      label={(d) => d.label}
                      value={(d) => d.visits}
                      suppressed={suppressedCell}
                      kind="count"
                      colour="#0063CB"
                    />
                  }
                />
              </div>
            </div>
            <VisitsBarsCard
              title="Visites par service de l’ENT"
              unit="nombre de visites (services de la nomenclature DNMA)"
              header="Service"
              rows={o.byService}
              max={12}
              colour="#18753C"
              description={
                o.byService.length > 12 ? 'les 12 premiers services dans le graphique, tous dans le tableau' : undefined
              }
              testId="chart-services"
            />
            {national && (
              <ChartCard
                title="Comparaison avec la France entière"
                unit="nombre de visites et d’utilisateurs, durée moyenne"
                columns={cellColumns<Figures & { label: string }>('Territoire', (r) => r.label)}
                rows={[
                  { ...o.current, label: o.meta.territory.name },
                  { ...o.national, label: 'France entière' },
                ]}
              />
            )}
            <PenetrationCard penetration={o.penetration} />
          </>
        );
      }}
    </ObservatoryPage>
  );
}
