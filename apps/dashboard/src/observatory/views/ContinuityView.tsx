import { BarsChart } from '../charts';
import { ChartCard } from '../ChartCard';
import { HEAT_CELL, type HeatCell } from '../fragments';
import { HeatMapCard } from '../HeatMap';
import { Kpi } from '../Kpi';
import { META_FIELDS, ObservatoryPage, type ViewMeta } from '../ObservatoryPage';
import { type Rate, RateTable } from '../RateCard';
import { viewBySlug } from '../views';

interface TimeSlotCell {
  slot: string;
  label: string;
  visits: number | null;
  users: number | null;
  share: number | null;
  suppressed: boolean;
}
interface ContinuityView {
  meta: ViewMeta;
  schoolYear: string;
  previousSchoolYear: string;
  cm2To6e: Rate;
  byCollege: { uai: string; name: string; continuity: Rate }[];
  twoPlatforms: Rate;
  outsideClassTime: Rate;
  timeSplit: TimeSlotCell[];
  heatmap: HeatCell[];
}

const RATE = 'base count rate suppressed';
const QUERY = `query Continuity($filter: ObservatoryFilter!) { continuityView(filter: $filter) {
  ${META_FIELDS} schoolYear previousSchoolYear
  cm2To6e { ${RATE} } byCollege { uai name continuity { ${RATE} } }
  twoPlatforms { ${RATE} } outsideClassTime { ${RATE} }
  timeSplit { slot label visits users share suppressed } heatmap { ${HEAT_CELL} }
} }`;

/** Continuité: from primary school to collège, from class to home, from one ENT platform to another. */
export default function ContinuityView() {
  return (
    <ObservatoryPage<{ continuityView: ContinuityView }>
      view={viewBySlug('continuite')!}
      query={QUERY}
      field="continuityView"
      intro="La continuité des usages : les élèves de CM2 retrouvent-ils l’ENT en 6e, l’ENT sert-il hors du temps de classe, et les élèves passent-ils d’une plateforme à une autre ?"
    >
      {(c, ctx) => (
        <>
          <div className="fr-grid-row fr-grid-row--gutters fr-mb-3w">
            <Kpi
              label={`Élèves actifs en CM2 (${c.previousSchoolYear}) et actifs en 6e (${c.schoolYear})`}
              value={c.cm2To6e.rate}
              kind="percent"
              suppressed={c.cm2To6e.suppressed}
              testId="kpi-cm2"
            />
            <Kpi
              label="Visites d’élèves hors du temps de classe"
              value={c.outsideClassTime.rate}
              kind="percent"
              suppressed={c.outsideClassTime.suppressed}
            />
            <Kpi
              label="Élèves actifs sur deux plateformes ENT ou plus"
              value={c.twoPlatforms.rate}
              kind="percent"
              suppressed={c.twoPlatforms.suppressed}
            />
            <Kpi label="Collèges suivis" value={c.byCollege.length} kind="count" />
          </div>
          <RateTable
            title={`Passage CM2 → 6e : élèves actifs en CM2 en ${c.previousSchoolYear} retrouvés actifs en 6e`}
            unit="nombre d’élèves et pourcentage"
            baseLabel={`Élèves actifs en CM2 (${c.previousSchoolYear})`}
            countLabel="dont actifs en 6e sur la période"
            rows={[
              { label: c.meta.territory.name, rate: c.cm2To6e },
              ...c.byCollege.map((col) => ({
                label: col.name,
                rate: col.continuity,
                href: ctx.hrefFor({ level: 'ETABLISSEMENT', code: col.uai, name: col.name }, 'etablissement'),
              })),
            ]}
            testId="cm2-6e"
          />
          <ChartCard
            title="Visites par moment : temps scolaire, soirées, week-ends, vacances"
            unit="nombre de visites et part des visites (tous profils)"
            columns={[
              { key: 'label', label: 'Moment', kind: 'text', value: (s: TimeSlotCell) => s.label },
              {
                key: 'visits',
                label: 'Visites (nombre)',
                kind: 'count',
                value: (s) => s.visits,
                suppressed: (s) => s.suppressed,
              },
              {
                key: 'users',
                label: 'Utilisateurs distincts (nombre)',
                kind: 'count',
                value: (s) => s.users,
                suppressed: (s) => s.suppressed,
              },
              {
                key: 'share',
                label: 'Part des visites (%)',
                kind: 'percent',
                value: (s) => s.share,
                suppressed: (s) => s.suppressed,
              },
            ]}
            rows={c.timeSplit}
            chart={
              <BarsChart
                rows={c.timeSplit}
                label={(s) => s.label}
                value={(s) => s.share}
                suppressed={(s) => s.suppressed}
                kind="percent"
                colour="#A558A0"
              />
            }
            testId="time-split"
          />
          <RateTable
            title="Élèves : en classe et hors la classe, sur une ou plusieurs plateformes"
            unit="nombre et pourcentage"
            baseLabel="Base (nombre)"
            countLabel="Effectif concerné (nombre)"
            rows={[
              { label: 'Visites d’élèves hors du temps de classe (sur leurs visites)', rate: c.outsideClassTime },
              { label: 'Élèves actifs sur deux plateformes ENT ou plus (sur les élèves actifs)', rate: c.twoPlatforms },
            ]}
          />
          <HeatMapCard cells={c.heatmap} />
        </>
      )}
    </ObservatoryPage>
  );
}
