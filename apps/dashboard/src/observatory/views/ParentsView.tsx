import { VisitsBarsCard, WeeklyVisitsCard } from '../VisitCards';
import { BarsChart } from '../charts';
import { ChartCard } from '../ChartCard';
import { cellColumns, suppressedCell } from '../columns';
import {
  DEVICE_CELL,
  type DeviceCell,
  FIGURES,
  type Figures,
  PENETRATION,
  PERIOD_POINT,
  type Penetration,
  type PeriodPoint,
  SERVICE_CELL,
  type ServiceCell,
} from '../fragments';
import { Kpi } from '../Kpi';
import { META_FIELDS, ObservatoryPage, type ViewMeta } from '../ObservatoryPage';
import { viewBySlug } from '../views';

interface ParentsView {
  meta: ViewMeta;
  figures: Figures;
  penetration: Penetration;
  byService: ServiceCell[];
  byDevice: DeviceCell[];
  trend: PeriodPoint[];
}

const QUERY = `query Parents($filter: ObservatoryFilter!) { parentsView(filter: $filter) {
  ${META_FIELDS} figures { ${FIGURES} } penetration { ${PENETRATION} }
  byService { ${SERVICE_CELL} } byDevice { ${DEVICE_CELL} } trend { ${PERIOD_POINT} }
} }`;

/** Parents: how families use the ENT (the school–family link), and on which devices. */
export default function ParentsView() {
  return (
    <ObservatoryPage<{ parentsView: ParentsView }>
      view={viewBySlug('parents')!}
      query={QUERY}
      field="parentsView"
      intro="Le lien avec les familles : combien de parents utilisent l’ENT, pour quels services (cahier de textes, vie scolaire, messagerie…) et sur quels appareils."
      isEmpty={(p) => !p.figures.suppressed && !p.figures.visits}
    >
      {(p) => (
        <>
          <div className="fr-grid-row fr-grid-row--gutters fr-mb-3w">
            <Kpi
              label="Visites de parents"
              value={p.figures.visits}
              kind="count"
              suppressed={p.figures.suppressed}
              testId="kpi-visits"
            />
            <Kpi
              label="Parents actifs"
              value={p.penetration.activeParents}
              kind="count"
              suppressed={p.penetration.parentsSuppressed}
            />
            <Kpi
              label="Parents actifs par élève inscrit"
              value={p.penetration.parentsPerPupil}
              kind="decimal"
              suppressed={p.penetration.parentsSuppressed}
              detail={`${p.penetration.enrolledPupils.toLocaleString('fr-FR')} élèves inscrits`}
            />
            <Kpi
              label="Durée moyenne d’une visite"
              value={p.figures.durationSeconds}
              kind="duration"
              suppressed={p.figures.suppressed}
            />
          </div>
          <WeeklyVisitsCard title="Visites de parents par semaine" rows={p.trend} series="Visites de parents" />
          <div className="fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-lg-6">
              <VisitsBarsCard
                title="Services visités par les parents"
                header="Service"
                rows={p.byService}
                max={10}
                colour="#18753C"
              />
            </div>
            <div className="fr-col-12 fr-col-lg-6">
              <ChartCard
                title="Appareils des parents"
                unit="nombre de visites et part des visites"
                columns={[
                  ...cellColumns<DeviceCell>('Appareil', (x) => x.label, ['visits', 'users']),
                  {
                    key: 'share',
                    label: 'Part des visites (%)',
                    kind: 'percent',
                    value: (x) => x.share,
                    suppressed: suppressedCell,
                  },
                ]}
                rows={p.byDevice}
                chart={
                  <BarsChart
                    rows={p.byDevice}
                    label={(x) => x.label}
                    value={(x) => x.share}
                    suppressed={suppressedCell}
                    kind="percent"
                    colour="#0063CB"
                  />
                }
              />
            </div>
          </div>
        </>
      )}
    </ObservatoryPage>
  );
}
