import { BarsChart, StackedBars, TrendChart } from '../charts';
import { ChartCard } from '../ChartCard';
import { cellColumns, suppressedCell } from '../columns';
import type { Column } from '../csv';
import { FIGURES, type Figures, PERIOD_POINT, type PeriodPoint, SERVICE_CELL, type ServiceCell } from '../fragments';
import { Kpi } from '../Kpi';
import { META_FIELDS, ObservatoryPage, type ViewMeta } from '../ObservatoryPage';
import { viewBySlug } from '../views';

interface ProfileServices {
  profile: string;
  label: string;
  services: ServiceCell[];
}
interface ServicePeriodCell {
  period: string;
  service: string;
  visits: number | null;
  users: number | null;
  suppressed: boolean;
}
interface ServicesView {
  meta: ViewMeta;
  total: Figures;
  byService: ServiceCell[];
  byProfile: ProfileServices[];
  trend: PeriodPoint[];
  serviceTrend: ServicePeriodCell[];
}

const QUERY = `query Services($filter: ObservatoryFilter!) { servicesView(filter: $filter) {
  ${META_FIELDS} total { ${FIGURES} } byService { ${SERVICE_CELL} }
  byProfile { profile label services { ${SERVICE_CELL} } }
  trend { ${PERIOD_POINT} } serviceTrend { period service visits users suppressed }
} }`;

const TOP = 5;

/** Services: which ENT services are used, by whom, and how that changes week by week. */
export default function ServicesView() {
  return (
    <ObservatoryPage<{ servicesView: ServicesView }>
      view={viewBySlug('services')!}
      query={QUERY}
      field="servicesView"
      intro="Les services de l’ENT (nomenclature nationale DNMA) : lesquels sont utilisés, par quels profils, et comment leur usage évolue au fil des semaines."
      isEmpty={(s) => !s.total.suppressed && !s.total.visits}
    >
      {(s) => {
        const top = s.byService.filter((c) => !c.suppressed).slice(0, TOP);
        const weeks = [...new Set(s.serviceTrend.map((c) => c.period))].sort();
        const byWeek = weeks.map((period) => ({
          period,
          label: s.trend.find((p) => p.period === period)?.label ?? period,
          cells: new Map(s.serviceTrend.filter((c) => c.period === period).map((c) => [c.service, c])),
        }));
        type Week = (typeof byWeek)[number];
        const weekColumns: Column<Week>[] = [
          { key: 'week', label: 'Semaine', kind: 'text', value: (w) => w.label },
          ...top.map((svc): Column<Week> => ({
            key: svc.service,
            label: `${svc.label} (visites)`,
            kind: 'count',
            value: (w) => w.cells.get(svc.service)?.visits ?? 0,
            suppressed: (w) => w.cells.get(svc.service)?.suppressed ?? false,
          })),
        ];
        const services = s.byService.filter((c) => !c.suppressed).slice(0, 6);
        type Mix = ProfileServices;
        const mixColumns: Column<Mix>[] = [
          { key: 'profile', label: 'Profil', kind: 'text', value: (p) => p.label },
          ...services.map((svc): Column<Mix> => ({
            key: svc.service,
            label: `${svc.label} (visites)`,
            kind: 'count',
            value: (p) => p.services.find((c) => c.service === svc.service)?.visits ?? 0,
            suppressed: (p) => p.services.find((c) => c.service === svc.service)?.suppressed ?? false,
          })),
        ];
        return (
          <>
            <div className="fr-grid-row fr-grid-row--gutters fr-mb-3w">
              <Kpi
                label="Visites"
                value={s.total.visits}
                kind="count"
                suppressed={s.total.suppressed}
                testId="kpi-visits"
              />
              <Kpi label="Utilisateurs distincts" value={s.total.users} kind="count" suppressed={s.total.suppressed} />
              <Kpi label="Services utilisés" value={s.byService.length} kind="count" />
              <Kpi label="Service le plus visité" value={top[0]?.label} kind="text" />
            </div>
            <ChartCard
              title="Visites par service"
              unit="nombre de visites ; utilisateurs distincts ; durée moyenne par visite"
              columns={cellColumns<ServiceCell>('Service', (c) => c.label)}
              rows={s.byService}
              chart={
                <BarsChart
                  rows={s.byService}
                  label={(c) => c.label}
                  value={(c) => c.visits}
                  suppressed={suppressedCell}
                  kind="count"
                  colour="#18753C"
                />
              }
              testId="chart-services"
            />
            <ChartCard
              title={`Visites par semaine des ${top.length} services les plus visités`}
              unit="nombre de visites par semaine"
              columns={weekColumns}
              rows={byWeek}
              chart={
                <TrendChart
                  rows={byWeek}
                  x={(w) => w.label}
                  kind="count"
                  series={top.map((svc) => ({
                    label: svc.label,
                    value: (w: Week) => w.cells.get(svc.service)?.visits ?? 0,
                  }))}
                />
              }
            />
            <ChartCard
              title="Services les plus visités par profil"
              unit="nombre de visites"
              columns={mixColumns}
              rows={s.byProfile}
              chart={
                <StackedBars
                  rows={s.byProfile}
                  label={(p) => p.label}
                  kind="count"
                  series={services.map((svc) => ({
                    label: svc.label,
                    value: (p: Mix) => p.services.find((c) => c.service === svc.service)?.visits ?? 0,
                  }))}
                />
              }
            />
          </>
        );
      }}
    </ObservatoryPage>
  );
}
