import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Card } from '@codegouvfr/react-dsfr/Card';
import { useQuery } from '@ent-observatory/web';
import { dates, frDateTime, frHours } from '../labels';

interface Row {
  sessionId: string;
  sessionName: string;
  courseTitle: string;
  startsOn: string | null;
  endsOn: string | null;
  hours: number;
  completedAt: string | null;
  satisfied: number;
  activities: { auIndex: number }[];
  assignment: { dueAt: string; handedInAt: string | null } | null;
}

/** « Mes formations »: what a teacher gave the learner's class to do first, then every session, with progress. */
export default function MyTrainingsPage() {
  const { state } = useQuery<{ myTrainings: Row[] }>(
    `{ myTrainings { sessionId sessionName courseTitle startsOn endsOn hours completedAt satisfied activities { auIndex }
       assignment { dueAt handedInAt } } }`,
  );
  const rows = state.kind === 'ready' ? state.data.myTrainings : [];
  const homework = rows
    .filter((t) => t.assignment)
    .sort((a, b) => a.assignment!.dueAt.localeCompare(b.assignment!.dueAt));
  const trainings = rows.filter((t) => !t.assignment);
  return (
    <>
      <h1>Mes formations</h1>
      {state.kind === 'loading' && <p aria-live="polite">Chargement…</p>}
      {state.kind === 'error' && (
        <Alert severity="error" title="Formations indisponibles" description={state.message} />
      )}
      {state.kind === 'ready' && rows.length === 0 && (
        <p>
          Vous n’êtes inscrit·e à aucune session. <a href="/formation/catalogue">Parcourir le catalogue</a>
        </p>
      )}
      {homework.length > 0 && (
        <>
          <h2>À faire pour la classe</h2>
          <div className="fr-grid-row fr-grid-row--gutters fr-mb-4w">
            {homework.map((t) => (
              <TrainingCard key={t.sessionId} t={t} />
            ))}
          </div>
        </>
      )}
      {homework.length > 0 && trainings.length > 0 && <h2>Mes sessions de formation</h2>}
      <div className="fr-grid-row fr-grid-row--gutters">
        {trainings.map((t) => (
          <TrainingCard key={t.sessionId} t={t} />
        ))}
      </div>
    </>
  );
}

function TrainingCard({ t }: { t: Row }) {
  const total = t.activities.length;
  const percent = total ? Math.round((t.satisfied / total) * 100) : 0;
  const a = t.assignment;
  const desc = a
    ? `Devoir donné par votre professeur · à rendre pour le ${frDateTime(a.dueAt)}`
    : `${t.sessionName} · ${dates(t.startsOn, t.endsOn)} · ${frHours(t.hours)}`;
  return (
    <div className="fr-col-12 fr-col-md-6">
      <Card
        title={a ? t.sessionName : t.courseTitle}
        titleAs={a ? 'h3' : 'h2'}
        desc={desc}
        linkProps={{ href: `/formation/mes-formations/${t.sessionId}` }}
        enlargeLink
        end={
          <>
            <p className="fr-mb-1w">
              {a?.handedInAt
                ? `Rendu le ${frDateTime(a.handedInAt)}`
                : t.completedAt
                  ? 'Parcours terminé'
                  : `Progression : ${t.satisfied} / ${total} activités (${percent} %)`}
            </p>
            <progress max={100} value={percent} aria-label={`Progression ${percent} %`} style={{ width: '100%' }} />
          </>
        }
      />
    </div>
  );
}
