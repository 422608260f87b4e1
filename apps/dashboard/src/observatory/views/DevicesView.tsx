import { StackedBars, TrendChart } from '../charts';
import { ChartCard } from '../ChartCard';
import { cellColumns, suppressedCell } from '../columns';
import type { Column } from '../csv';
import { DEVICE_CELL, type DeviceCell, FIGURES, type Figures } from '../fragments';
import { Kpi } from '../Kpi';
import { META_FIELDS, ObservatoryPage, type ViewMeta } from '../ObservatoryPage';
import { viewBySlug } from '../views';
import { formatDayShort } from '../../format';

interface ProfileDevices {
  profile: string;
  label: string;
  devices: DeviceCell[];
  smartphoneShare: number | null;
  hiddenShare: number | null;
  suppressed: boolean;
}
interface DevicePeriodCell {
  period: string;
  device: string;
  visits: number | null;
  share: number | null;
  suppressed: boolean;
}
interface DevicesView {
  meta: ViewMeta;
  total: Figures;
  byDevice: DeviceCell[];
  byProfile: ProfileDevices[];
  trend: DevicePeriodCell[];
}

const QUERY = `query Devices($filter: ObservatoryFilter!) { devicesView(filter: $filter) {
  ${META_FIELDS} total { ${FIGURES} } byDevice { ${DEVICE_CELL} }
  byProfile { profile label devices { ${DEVICE_CELL} } smartphoneShare hiddenShare suppressed }
  trend { period device visits share suppressed }
} }`;

/** Appareils: on which devices the ENT is used, and the share of smartphones ("nomadisme") per profile. */
export default function DevicesView() {
  return (
    <ObservatoryPage<{ devicesView: DevicesView }>
      view={viewBySlug('appareils')!}
      query={QUERY}
      field="devicesView"
      intro="Ordinateur, smartphone ou tablette : la part de chaque appareil dans les visites, et le nomadisme (part du smartphone) de chaque profil."
      isEmpty={(d) => !d.total.suppressed && !d.total.visits}
    >
      {(d) => {
        const devices = d.byDevice.map((c) => ({ device: c.device, label: c.label }));
        const smartphone = d.byDevice.find((c) => c.device === 'SMARTPHONE');
        const profileColumns: Column<ProfileDevices>[] = [
          { key: 'profile', label: 'Profil', kind: 'text', value: (p) => p.label },
          ...devices.map((dev): Column<ProfileDevices> => ({
            key: dev.device,
            label: `${dev.label} (part des visites)`,
            kind: 'percent',
            value: (p) => p.devices.find((c) => c.device === dev.device)?.share ?? null,
            suppressed: (p) => p.devices.find((c) => c.device === dev.device)?.suppressed ?? false,
          })),
          {
            key: 'hidden',
            label: 'Appareils sous le secret statistique (part des visites)',
            kind: 'percent',
            value: (p) => p.hiddenShare,
            suppressed: (p) => p.suppressed,
          },
          {
            key: 'nomad',
            label: 'Nomadisme : part du smartphone',
            kind: 'percent',
            value: (p) => p.smartphoneShare,
            suppressed: (p) => p.suppressed,
          },
        ];
        const weeks = [...new Set(d.trend.map((c) => c.period))].sort();
        const byWeek = weeks.map((period) => ({
          period,
          cells: new Map(d.trend.filter((c) => c.period === period).map((c) => [c.device, c])),
        }));
        type Week = (typeof byWeek)[number];
        const weekColumns: Column<Week>[] = [
          { key: 'week', label: 'Semaine du', kind: 'text', value: (w) => formatDayShort(w.period) },
          ...devices.map((dev): Column<Week> => ({
            key: dev.device,
            label: `${dev.label} (part des visites)`,
            kind: 'percent',
            value: (w) => w.cells.get(dev.device)?.share ?? null,
            suppressed: (w) => w.cells.get(dev.device)?.suppressed ?? false,
          })),
        ];
        return (
          <>
            <div className="fr-grid-row fr-grid-row--gutters fr-mb-3w">
              <Kpi
                label="Visites"
                value={d.total.visits}
                kind="count"
                suppressed={d.total.suppressed}
                testId="kpi-visits"
              />
              <Kpi
                label="Part des visites sur smartphone"
                value={smartphone?.share}
                kind="percent"
                suppressed={smartphone?.suppressed}
              />
              <Kpi
                label="Part des visites sur ordinateur"
                value={d.byDevice.find((c) => c.device === 'ORDINATEUR')?.share}
                kind="percent"
                suppressed={d.byDevice.find((c) => c.device === 'ORDINATEUR')?.suppressed}
              />
              <Kpi label="Utilisateurs distincts" value={d.total.users} kind="count" suppressed={d.total.suppressed} />
            </div>
            <ChartCard
              title="Visites par appareil"
              unit="nombre de visites, utilisateurs distincts, part des visites ; « Non renseigné » : l’ENT n’a pas transmis l’appareil (au niveau national, environ 23 % des visites d’élèves et 49 % de celles des parents, DNMA 2025-2026)"
              columns={[
                ...cellColumns<DeviceCell>('Appareil', (c) => c.label, ['visits', 'users']),
                {
                  key: 'share',
                  label: 'Part des visites (%)',
                  kind: 'percent',
                  value: (c) => c.share,
                  suppressed: suppressedCell,
                },
              ]}
              rows={d.byDevice}
              testId="table-devices"
            />
            <ChartCard
              title="Appareils utilisés par profil (nomadisme)"
              unit="part des visites de chaque profil, en pourcentage"
              columns={profileColumns}
              rows={d.byProfile}
              chart={
                <StackedBars
                  rows={d.byProfile}
                  label={(p) => p.label}
                  kind="percent"
                  series={[
                    ...devices.map((dev) => ({
                      label: dev.label,
                      value: (p: ProfileDevices) => p.devices.find((c) => c.device === dev.device)?.share ?? null,
                    })),
                    { label: 'Secret statistique', value: (p: ProfileDevices) => p.hiddenShare },
                  ]}
                />
              }
              testId="chart-nomadism"
            />
            <ChartCard
              title="Part de chaque appareil dans les visites, semaine par semaine"
              unit="part des visites de la semaine, en pourcentage"
              columns={weekColumns}
              rows={byWeek}
              chart={
                <TrendChart
                  rows={byWeek}
                  x={(w) => formatDayShort(w.period)}
                  kind="percent"
                  series={devices.map((dev) => ({
                    label: dev.label,
                    value: (w: Week) => w.cells.get(dev.device)?.share ?? null,
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
