import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Link, useQuery } from '@ent-observatory/web';
import { dates } from '../labels';

interface Row {
  id: string;
  courseTitle: string;
  name: string;
  startsOn: string | null;
  endsOn: string | null;
  selfEnrolment: boolean;
  learners: number;
  completed: number;
}

/** The sessions a trainer or tutor follows. */
export default function SessionsPage() {
  const { state } = useQuery<{ trainerSessions: Row[] }>(
    '{ trainerSessions { id courseTitle name startsOn endsOn selfEnrolment learners completed } }',
  );
  return (
    <>
      <h1>Suivi des sessions</h1>
      {state.kind === 'loading' && <p aria-live="polite">Chargement…</p>}
      {state.kind === 'error' && <Alert severity="error" title="Sessions indisponibles" description={state.message} />}
      {state.kind === 'ready' && state.data.trainerSessions.length === 0 && (
        <p>
          Aucune session. Ouvrez-en une depuis un de <Link href="/formation/parcours">vos parcours</Link>.
        </p>
      )}
      {state.kind === 'ready' && state.data.trainerSessions.length > 0 && (
        <div className="fr-table">
          <table>
            <caption>Vos sessions</caption>
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Parcours</th>
                <th scope="col">Dates</th>
                <th scope="col">Apprenants</th>
                <th scope="col">Terminés</th>
              </tr>
            </thead>
            <tbody>
              {state.data.trainerSessions.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link href={`/formation/sessions/${s.id}`}>{s.name}</Link>
                  </td>
                  <td>{s.courseTitle}</td>
                  <td>{dates(s.startsOn, s.endsOn)}</td>
                  <td>{s.learners}</td>
                  <td>{s.completed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
