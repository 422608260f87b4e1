import { useQuery } from '@ent-observatory/web';
import { frDateTime } from '../labels';

interface Submission {
  id: string;
  displayName: string;
  email: string;
  auIndex: number;
  filename: string;
  size: number;
  submittedAt: string;
}

/** « 12,3 ko », « 1,2 Mo »: sizes as French users read them. */
function frSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} o`;
  const unit = bytes < 1_000_000 ? ['ko', 1000] : ['Mo', 1_000_000];
  return `${(bytes / (unit[1] as number)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} ${unit[0]}`;
}

/** The files the learners of a session handed in to its « dépôt » activities, each one a download. */
export function SubmissionsPanel({
  sessionId,
  activities,
}: {
  sessionId: string;
  activities: { auIndex: number; title: string }[];
}) {
  const { state } = useQuery<{ sessionSubmissions: Submission[] }>(
    'query($s: ID!) { sessionSubmissions(sessionId: $s) { id displayName email auIndex filename size submittedAt } }',
    { s: sessionId },
  );
  const titleOf = (i: number) => activities.find((a) => a.auIndex === i)?.title ?? `Activité ${i + 1}`;
  return (
    <section className="fr-mt-5w">
      <h2 className="fr-h4">Dépôts des apprenants</h2>
      {state.kind === 'loading' && <p aria-live="polite">Chargement des dépôts…</p>}
      {state.kind === 'error' && <p className="fr-error-text">{state.message}</p>}
      {state.kind === 'ready' && state.data.sessionSubmissions.length === 0 && (
        <p>Aucun fichier déposé dans cette session.</p>
      )}
      {state.kind === 'ready' && state.data.sessionSubmissions.length > 0 && (
        <div className="fr-table">
          <table>
            <caption>Fichiers déposés, du plus récent au plus ancien</caption>
            <thead>
              <tr>
                <th scope="col">Apprenant</th>
                <th scope="col">Activité</th>
                <th scope="col">Fichier</th>
                <th scope="col">Taille</th>
                <th scope="col">Déposé le</th>
              </tr>
            </thead>
            <tbody>
              {state.data.sessionSubmissions.map((s) => (
                <tr key={s.id}>
                  <td>
                    {s.displayName} <span className="fr-text--xs">({s.email})</span>
                  </td>
                  <td>{titleOf(s.auIndex)}</td>
                  <td>
                    <a
                      href={`/formation/api/submissions/${s.id}`}
                      download={s.filename}
                      title={`Télécharger ${s.filename} (déposé par ${s.displayName})`}
                    >
                      {s.filename}
                    </a>
                  </td>
                  <td>{frSize(s.size)}</td>
                  <td>{frDateTime(s.submittedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
