import { BarsChart } from '../charts';
import { ChartCard } from '../ChartCard';
import type { Column } from '../csv';
import type { RepStatus, Sector } from '../filters';
import { Kpi } from '../Kpi';
import { REP_LABELS, SECTOR_LABELS } from '../labels';
import { META_FIELDS, ObservatoryPage, type ViewMeta } from '../ObservatoryPage';
import { departementName } from '../scope';
import { viewBySlug } from '../views';

interface Distribution {
  establishments: number;
  suppressedEstablishments: number;
  measuredEstablishments: number;
  withoutEnrolment: number;
  unmeasuredEstablishments: number;
  min: number | null;
  p10: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
  p90: number | null;
  max: number | null;
  interDecileRatio: number | null;
  gini: number | null;
}
interface GroupCell {
  key: string;
  label: string;
  establishments: number;
  enrolledPupils: number;
  activePupils: number | null;
  pupilRate: number | null;
  visits: number | null;
  users: number | null;
  suppressed: boolean;
}
interface EstablishmentRate {
  uai: string;
  name: string;
  departement: string;
  sector: Sector | null;
  rep: RepStatus;
  enrolledPupils: number;
  activePupils: number | null;
  pupilRate: number | null;
  visits: number | null;
  suppressed: boolean;
}
interface EquityView {
  meta: ViewMeta;
  distribution: Distribution;
  byRep: GroupCell[];
  bySector: GroupCell[];
  byDepartement: GroupCell[];
  lowest: EstablishmentRate[];
}

const GROUP = 'key label establishments enrolledPupils activePupils pupilRate visits users suppressed';
const QUERY = `query Equity($filter: ObservatoryFilter!) { equityView(filter: $filter) {
  ${META_FIELDS}
  distribution { establishments suppressedEstablishments measuredEstablishments withoutEnrolment unmeasuredEstablishments min p10 q1 median q3 p90 max interDecileRatio gini }
  byRep { ${GROUP} } bySector { ${GROUP} } byDepartement { ${GROUP} }
  lowest { uai name departement sector rep enrolledPupils activePupils pupilRate visits suppressed }
} }`;

const groupColumns = (header: string): Column<GroupCell>[] => [
  { key: 'label', label: header, kind: 'text', value: (g) => g.label },
  { key: 'establishments', label: 'Établissements (nombre)', kind: 'count', value: (g) => g.establishments },
  { key: 'enrolled', label: 'Élèves inscrits (nombre)', kind: 'count', value: (g) => g.enrolledPupils },
  {
    key: 'active',
    label: 'Élèves actifs (nombre)',
    kind: 'count',
    value: (g) => g.activePupils,
    suppressed: (g) => g.suppressed,
  },
  {
    key: 'rate',
    label: 'Élèves actifs / inscrits (%)',
    kind: 'percent',
    value: (g) => g.pupilRate,
    suppressed: (g) => g.suppressed,
  },
  { key: 'visits', label: 'Visites (nombre)', kind: 'count', value: (g) => g.visits, suppressed: (g) => g.suppressed },
];

function GroupCard({
  title,
  header,
  rows,
  testId,
}: {
  title: string;
  header: string;
  rows: GroupCell[];
  testId?: string;
}) {
  return (
    <ChartCard
      title={title}
      unit="pourcentage des élèves inscrits actifs sur la période"
      columns={groupColumns(header)}
      rows={rows}
      chart={
        <BarsChart
          rows={rows}
          label={(g) => g.label}
          value={(g) => g.pupilRate}
          suppressed={(g) => g.suppressed}
          kind="percent"
        />
      }
      testId={testId}
    />
  );
}

/** Équité: are all pupils served alike? Distribution of establishments, REP, sector, and who lags behind. */
export default function EquityView() {
  return (
    <ObservatoryPage<{ equityView: EquityView }>
      view={viewBySlug('equite')!}
      query={QUERY}
      field="equityView"
      intro="L’ENT profite-t-il à tous les élèves ? Répartition des établissements selon la part de leurs élèves actifs, écarts entre éducation prioritaire et hors éducation prioritaire, public et privé, et les établissements où l’usage est le plus faible."
      isEmpty={(e) => e.distribution.measuredEstablishments === 0}
    >
      {(e, ctx) => {
        const d = e.distribution;
        const quantiles = [
          { label: 'Minimum', value: d.min },
          { label: '1er décile', value: d.p10 },
          { label: '1er quartile', value: d.q1 },
          { label: 'Médiane', value: d.median },
          { label: '3e quartile', value: d.q3 },
          { label: '9e décile', value: d.p90 },
          { label: 'Maximum', value: d.max },
        ];
        const lowestColumns: Column<EstablishmentRate>[] = [
          {
            key: 'name',
            label: 'Établissement',
            kind: 'text',
            value: (r) => r.name,
            href: (r) => ctx.hrefFor({ level: 'ETABLISSEMENT', code: r.uai, name: r.name }, 'etablissement'),
          },
          { key: 'uai', label: 'UAI', kind: 'text', value: (r) => r.uai },
          { key: 'dep', label: 'Département', kind: 'text', value: (r) => departementName(r.departement) },
          { key: 'rep', label: 'Éducation prioritaire', kind: 'text', value: (r) => REP_LABELS[r.rep] },
          { key: 'sector', label: 'Secteur', kind: 'text', value: (r) => (r.sector ? SECTOR_LABELS[r.sector] : '—') },
          { key: 'enrolled', label: 'Élèves inscrits', kind: 'count', value: (r) => r.enrolledPupils },
          {
            key: 'rate',
            label: 'Élèves actifs / inscrits (%)',
            kind: 'percent',
            value: (r) => r.pupilRate,
            suppressed: (r) => r.suppressed,
          },
        ];
        return (
          <>
            <div className="fr-grid-row fr-grid-row--gutters fr-mb-3w">
              <Kpi
                label="Taux médian d’élèves actifs par établissement"
                value={d.median}
                kind="percent"
                testId="kpi-median"
              />
              <Kpi label="Rapport interdécile (9e décile / 1er décile)" value={d.interDecileRatio} kind="decimal" />
              <Kpi label="Indice de Gini (0 = égalité)" value={d.gini} kind="decimal" />
              <Kpi
                label="Établissements mesurés"
                value={d.measuredEstablishments}
                kind="count"
                testId="kpi-measured"
                detail={[
                  `${d.establishments} classés`,
                  d.suppressedEstablishments ? `${d.suppressedEstablishments} sous le secret statistique` : '',
                  d.withoutEnrolment ? `${d.withoutEnrolment} sans effectifs connus` : '',
                  `${d.unmeasuredEstablishments} non mesurés (aucune activité reçue cette année scolaire)`,
                ]
                  .filter(Boolean)
                  .join(' ; ')}
              />
            </div>
            {d.establishments + d.suppressedEstablishments === 0 && (
              <p className="fr-text--sm" data-testid="no-enrolment">
                Effectifs non disponibles : aucun établissement mesuré de ce territoire n’a d’effectifs connus dans
                l’annuaire, aucun taux ne peut être calculé.
              </p>
            )}
            <ChartCard
              title="Répartition des établissements selon la part de leurs élèves actifs"
              unit="pourcentage des élèves inscrits actifs sur la période, par établissement"
              columns={[
                { key: 'label', label: 'Repère', kind: 'text', value: (q: (typeof quantiles)[number]) => q.label },
                { key: 'value', label: 'Élèves actifs / inscrits (%)', kind: 'percent', value: (q) => q.value },
              ]}
              rows={quantiles}
              chart={
                <BarsChart
                  rows={quantiles}
                  label={(q) => q.label}
                  value={(q) => q.value}
                  kind="percent"
                  colour="#6A6AF4"
                />
              }
              testId="distribution"
            />
            <div className="fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-12 fr-col-lg-6">
                <GroupCard
                  title="Élèves actifs selon l’éducation prioritaire"
                  header="Éducation prioritaire"
                  rows={e.byRep}
                  testId="by-rep"
                />
              </div>
              <div className="fr-col-12 fr-col-lg-6">
                <GroupCard title="Élèves actifs selon le secteur" header="Secteur" rows={e.bySector} />
              </div>
            </div>
            {e.byDepartement.length > 1 && (
              <GroupCard title="Élèves actifs par département" header="Département" rows={e.byDepartement} />
            )}
            <ChartCard
              title={`Les ${e.lowest.length} établissements où l’usage est le plus faible`}
              unit="établissements mesurés seulement ; pourcentage des élèves inscrits actifs ; « < k » : moins de k élèves actifs"
              columns={lowestColumns}
              rows={e.lowest}
              testId="lowest"
            />
          </>
        );
      }}
    </ObservatoryPage>
  );
}
