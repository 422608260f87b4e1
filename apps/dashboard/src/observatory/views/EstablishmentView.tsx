import { VisitsBarsCard, WeeklyVisitsCard } from '../VisitCards';
import { Link } from '@ent-observatory/web';
import { ChartCard } from '../ChartCard';
import { cellColumns, suppressedCell } from '../columns';
import {
  DEVICE_CELL,
  type DeviceCell,
  FIGURES,
  type Figures,
  HEAT_CELL,
  type HeatCell,
  PENETRATION,
  PERIOD_POINT,
  PROFILE_CELL,
  type Penetration,
  type PeriodPoint,
  type ProfileCell,
  SERVICE_CELL,
  type ServiceCell,
} from '../fragments';
import { HeatMapCard } from '../HeatMap';
import { Kpi } from '../Kpi';
import { REP_LABELS, SECTOR_LABELS } from '../labels';
import { META_FIELDS, ObservatoryPage, type ViewMeta } from '../ObservatoryPage';
import { PenetrationCard } from '../PenetrationCard';
import { academieName, academieTitle } from '../scope';
import { viewBySlug } from '../views';
import type { RepStatus, Sector } from '../filters';

interface Establishment {
  uai: string;
  name: string;
  typeLabel: string;
  sector: Sector | null;
  rep: RepStatus;
  commune: string;
  departement: string;
  academie: string;
  platform: string;
}
interface EstablishmentView {
  meta: ViewMeta;
  establishment: Establishment;
  figures: Figures;
  academie: Figures;
  national: Figures;
  trend: PeriodPoint[];
  byProfile: ProfileCell[];
  byService: ServiceCell[];
  byDevice: DeviceCell[];
  heatmap: HeatCell[];
  penetration: Penetration;
}

const QUERY = `query Establishment($filter: ObservatoryFilter!) { establishmentView(filter: $filter) {
  ${META_FIELDS}
  establishment { uai name typeLabel sector rep commune departement academie platform }
  figures { ${FIGURES} } academie { ${FIGURES} } national { ${FIGURES} }
  trend { ${PERIOD_POINT} } byProfile { ${PROFILE_CELL} } byService { ${SERVICE_CELL} } byDevice { ${DEVICE_CELL} }
  heatmap { ${HEAT_CELL} } penetration { ${PENETRATION} }
} }`;

/** Établissement: one school's usage against its académie and the nation. */
export default function EstablishmentView() {
  return (
    <ObservatoryPage<{ establishmentView: EstablishmentView }>
      view={viewBySlug('etablissement')!}
      query={QUERY}
      field="establishmentView"
      intro="L’usage de l’ENT dans un établissement, comparé à son académie et à la France entière : profils, services, appareils, heures d’usage et élèves actifs rapportés aux inscrits."
      variables={(filter) => (filter.uai ? { filter } : undefined)}
      missing={
        <div className="fr-callout fr-mb-3w">
          <h2 className="fr-callout__title fr-h5">Choisissez un établissement</h2>
          <p className="fr-callout__text">
            Ouvrez un établissement depuis la carte des territoires (au niveau d’un département) ou depuis l’
            <Link href="/etablissements">annuaire des établissements</Link>.
          </p>
        </div>
      }
    >
      {(e) => {
        const est = e.establishment;
        return (
          <>
            <p className="fr-mb-2w" data-testid="establishment-facts">
              <strong>{est.name}</strong> — {est.typeLabel}, {est.commune} ({est.departement}) ·{' '}
              {est.sector ? SECTOR_LABELS[est.sector] : 'secteur inconnu'} · {REP_LABELS[est.rep]} · UAI {est.uai}
              {est.platform ? ` · ENT ${est.platform}` : ''} ·{' '}
              <Link href={`/etablissements/${est.uai}`}>fiche annuaire</Link>
            </p>
            {e.penetration.measuredEstablishments === 0 && (
              <div className="fr-callout fr-mb-3w" data-testid="not-measured">
                <h2 className="fr-callout__title fr-h5">Aucune activité mesurée</h2>
                <p className="fr-callout__text">
                  Cet établissement est hors du périmètre mesuré : l’observatoire n’a reçu aucune trace de son ENT
                  depuis le début de l’année scolaire. Ses chiffres ne sont pas un secret statistique, ils n’existent
                  pas ; il n’est pas classé parmi les établissements où l’usage est le plus faible.
                </p>
              </div>
            )}
            {e.penetration.measuredEstablishments > 0 && (
              <>
                <div className="fr-grid-row fr-grid-row--gutters fr-mb-3w">
                  <Kpi
                    label="Visites"
                    value={e.figures.visits}
                    kind="count"
                    suppressed={e.figures.suppressed}
                    testId="kpi-visits"
                  />
                  <Kpi
                    label="Utilisateurs distincts"
                    value={e.figures.users}
                    kind="count"
                    suppressed={e.figures.suppressed}
                    testId="kpi-users"
                  />
                  <Kpi
                    label="Durée moyenne d’une visite"
                    value={e.figures.durationSeconds}
                    kind="duration"
                    suppressed={e.figures.suppressed}
                  />
                  <Kpi
                    label="Élèves actifs / élèves inscrits"
                    value={e.penetration.pupilRate}
                    kind="percent"
                    suppressed={e.penetration.suppressed}
                    detail={`${e.penetration.enrolledPupils.toLocaleString('fr-FR')} élèves inscrits`}
                  />
                </div>
                <ChartCard
                  title="L’établissement comparé à son académie et à la France"
                  unit="visites et utilisateurs en nombre, durée moyenne par visite"
                  columns={[
                    ...cellColumns<Figures & { label: string }>('Périmètre', (r) => r.label),
                    {
                      key: 'perUser',
                      label: 'Visites par utilisateur',
                      kind: 'decimal',
                      value: (r) => (r.visits && r.users ? r.visits / r.users : null),
                      suppressed: suppressedCell,
                    },
                  ]}
                  rows={[
                    { ...e.figures, label: est.name },
                    { ...e.academie, label: academieTitle(academieName(est.academie)) },
                    { ...e.national, label: 'France entière' },
                  ]}
                  testId="comparison"
                />
                <WeeklyVisitsCard title="Visites par semaine" rows={e.trend} />
                <div className="fr-grid-row fr-grid-row--gutters">
                  <div className="fr-col-12 fr-col-lg-6">
                    <VisitsBarsCard title="Visites par profil" header="Profil" rows={e.byProfile} />
                  </div>
                  <div className="fr-col-12 fr-col-lg-6">
                    <VisitsBarsCard title="Visites par appareil" header="Appareil" rows={e.byDevice} colour="#0063CB" />
                  </div>
                </div>
                <VisitsBarsCard
                  title="Visites par service"
                  header="Service"
                  rows={e.byService}
                  max={12}
                  colour="#18753C"
                />
                <HeatMapCard cells={e.heatmap} />
                <PenetrationCard penetration={e.penetration} />
              </>
            )}
          </>
        );
      }}
    </ObservatoryPage>
  );
}
