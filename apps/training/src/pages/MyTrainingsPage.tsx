import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Card } from '@codegouvfr/react-dsfr/Card';
import { useQuery } from '@ent-observatory/web';
import { dates, frHours } from '../labels';

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
}

/** « Mes formations »: every session the learner is enrolled in, with its progress. */
export default function MyTrainingsPage() {
  const { state } = useQuery<{ myTrainings: Row[] }>(
    '{ myTrainings { sessionId sessionName courseTitle startsOn endsOn hours completedAt satisfied activities { auIndex } } }',
  );
  return (
    <>
      <h1>Mes formations</h1>
      {state.kind === 'loading' && <p aria-live="polite">Chargement…</p>}
      {state.kind === 'error' && (
        <Alert severity="error" title="Formations indisponibles" description={state.message} />
      )}
      {state.kind === 'ready' && state.data.myTrainings.length === 0 && (
        <p>
          Vous n’êtes inscrit·e à aucune session. <a href="/formation/catalogue">Parcourir le catalogue</a>
        </p>
      )}
      <div className="fr-grid-row fr-grid-row--gutters">
        {state.kind === 'ready' &&
          state.data.myTrainings.map((t) => {
            const total = t.activities.length;
            const percent = total ? Math.round((t.satisfied / total) * 100) : 0;
            return (
              <div key={t.sessionId} className="fr-col-12 fr-col-md-6">
                <Card
                  title={t.courseTitle}
                  titleAs="h2"
                  desc={`${t.sessionName} · ${dates(t.startsOn, t.endsOn)} · ${frHours(t.hours)}`}
                  linkProps={{ href: `/formation/mes-formations/${t.sessionId}` }}
                  enlargeLink
                  end={
                    <>
                      <p className="fr-mb-1w">
                        {t.completedAt
                          ? 'Parcours terminé'
                          : `Progression : ${t.satisfied} / ${total} activités (${percent} %)`}
                      </p>
                      <progress
                        max={100}
                        value={percent}
                        aria-label={`Progression ${percent} %`}
                        style={{ width: '100%' }}
                      />
                    </>
                  }
                />
              </div>
            );
          })}
      </div>
    </>
  );
}
