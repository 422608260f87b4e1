import { VisitsBarsCard, WeeklyVisitsCard } from '../VisitCards';
import { ChartCard } from '../ChartCard';
import {
  FIGURES,
  type Figures,
  PERIOD_POINT,
  PROFILE_CELL,
  type PeriodPoint,
  type ProfileCell,
  SERVICE_CELL,
  type ServiceCell,
} from '../fragments';
import { Kpi } from '../Kpi';
import { META_FIELDS, ObservatoryPage, type ViewMeta } from '../ObservatoryPage';
import { viewBySlug } from '../views';

interface SpaceMix {
  spaces: number | null;
  multiEstablishment: number | null;
  teacherOnly: number | null;
  pupilOnly: number | null;
  mixed: number | null;
  suppressed: boolean;
}
interface CollaborationView {
  meta: ViewMeta;
  total: Figures;
  byService: ServiceCell[];
  byProfile: ProfileCell[];
  trend: PeriodPoint[];
  spaces: SpaceMix;
}

const QUERY = `query Collaboration($filter: ObservatoryFilter!) { collaborationView(filter: $filter) {
  ${META_FIELDS} total { ${FIGURES} } byService { ${SERVICE_CELL} } byProfile { ${PROFILE_CELL} }
  trend { ${PERIOD_POINT} } spaces { spaces multiEstablishment teacherOnly pupilOnly mixed suppressed }
} }`;

/** Collaboration: messaging, video, shared storage and co-writing, and who works together in shared spaces. */
export default function CollaborationView() {
  return (
    <ObservatoryPage<{ collaborationView: CollaborationView }>
      view={viewBySlug('collaboration')!}
      query={QUERY}
      field="collaborationView"
      intro="Les services collaboratifs (messageries, visioconférence, stockage partagé, production collaborative) et les espaces partagés : entre enseignants, entre élèves, ou mixtes."
      isEmpty={(c) => !c.total.suppressed && !c.total.visits}
    >
      {(c) => {
        const s = c.spaces;
        const mix = [
          { label: 'Espaces actifs', value: s.spaces },
          { label: 'dont partagés entre plusieurs établissements', value: s.multiEstablishment },
          { label: 'dont entre enseignants seulement', value: s.teacherOnly },
          { label: 'dont entre élèves seulement', value: s.pupilOnly },
          { label: 'dont mixtes (enseignants, élèves, autres)', value: s.mixed },
        ];
        return (
          <>
            <div className="fr-grid-row fr-grid-row--gutters fr-mb-3w">
              <Kpi
                label="Visites des services collaboratifs"
                value={c.total.visits}
                kind="count"
                suppressed={c.total.suppressed}
                testId="kpi-visits"
              />
              <Kpi label="Utilisateurs distincts" value={c.total.users} kind="count" suppressed={c.total.suppressed} />
              <Kpi label="Espaces collaboratifs actifs" value={s.spaces} kind="count" suppressed={s.suppressed} />
              <Kpi label="Espaces mixtes enseignants–élèves" value={s.mixed} kind="count" suppressed={s.suppressed} />
            </div>
            <WeeklyVisitsCard title="Visites des services collaboratifs par semaine" rows={c.trend} />
            <div className="fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-12 fr-col-lg-6">
                <VisitsBarsCard
                  title="Visites par service collaboratif"
                  header="Service"
                  rows={c.byService}
                  colour="#18753C"
                />
              </div>
              <div className="fr-col-12 fr-col-lg-6">
                <VisitsBarsCard
                  title="Visites des services collaboratifs par profil"
                  header="Profil"
                  rows={c.byProfile}
                />
              </div>
            </div>
            <ChartCard
              title="Espaces collaboratifs selon leurs contributeurs"
              unit="nombre d’espaces ayant reçu au moins une contribution sur la période"
              columns={[
                { key: 'label', label: 'Espaces', kind: 'text', value: (m: (typeof mix)[number]) => m.label },
                { key: 'value', label: 'Nombre', kind: 'count', value: (m) => m.value, suppressed: () => s.suppressed },
              ]}
              rows={mix}
              testId="spaces"
            />
          </>
        );
      }}
    </ObservatoryPage>
  );
}
