import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Link, StatusPage, graphql, navigate, useQuery } from '@ent-observatory/web';
import { useState } from 'react';
import {
  KIND_LABEL,
  STATUS_BADGE,
  STATUS_LABEL,
  dates,
  frDate,
  frDateTime,
  frDuration,
  frHours,
  frPercent,
} from '../labels';

interface Activity {
  auIndex: number;
  title: string;
  module: string;
  kind: string;
  status: string;
  satisfied: boolean;
  scoreScaled: number | null;
  durationSeconds: number;
  lastActivityAt: string | null;
}

interface Training {
  sessionId: string;
  sessionName: string;
  courseTitle: string;
  startsOn: string | null;
  endsOn: string | null;
  hours: number;
  completedAt: string | null;
  satisfied: number;
  resumeAuIndex: number | null;
  attestationCode: string | null;
  activities: Activity[];
  assignment: { dueAt: string; handedInAt: string | null } | null;
}

const QUERY = `{ myTrainings { sessionId sessionName courseTitle startsOn endsOn hours completedAt satisfied resumeAuIndex attestationCode
  activities { auIndex title module kind status satisfied scoreScaled durationSeconds lastActivityAt }
  assignment { dueAt handedInAt } } }`;

/** One training of the learner: its activities, results, where to resume, and the attestation at the end. */
export default function MyTrainingPage({ sessionId }: { sessionId: string }) {
  const { state, reload } = useQuery<{ myTrainings: Training[] }>(QUERY);
  const [error, setError] = useState<string | null>(null);
  const [attestation, setAttestation] = useState<string | null>(null);
  if (state.kind === 'loading') return <p aria-live="polite">Chargement…</p>;
  if (state.kind === 'error')
    return <StatusPage severity="error" title="Formation indisponible" description={state.message} />;
  const t = state.data.myTrainings.find((x) => x.sessionId === sessionId);
  if (!t)
    return (
      <Alert severity="warning" title="Session introuvable" description="Vous n’êtes pas inscrit·e à cette session." />
    );

  const launch = (auIndex: number) =>
    graphql<{ launchTrainingActivity: { url: string; launchMethod: string } }>(
      'mutation($s: ID!, $i: Int!) { launchTrainingActivity(sessionId: $s, auIndex: $i) { url launchMethod } }',
      { s: sessionId, i: auIndex },
    )
      .then(({ launchTrainingActivity: l }) => {
        // cmi5 §8.1: OwnWindow gets a window of its own; AnyWindow lets us frame it.
        if (l.launchMethod === 'OwnWindow') {
          window.open(l.url, '_blank', 'noopener');
          setTimeout(reload, 1000);
        } else
          navigate(
            `/formation/lecteur?url=${encodeURIComponent(l.url)}&retour=${encodeURIComponent(`/formation/mes-formations/${sessionId}`)}`,
          );
      })
      .catch((e: Error) => setError(e.message));

  const code = t.attestationCode ?? attestation;
  const issue = () =>
    graphql<{ issueAttestation: { code: string } }>('mutation($s: ID!) { issueAttestation(sessionId: $s) { code } }', {
      s: sessionId,
    })
      .then(({ issueAttestation }) => setAttestation(issueAttestation.code))
      .catch((e: Error) => setError(e.message));
  const total = t.activities.length;
  const homework = t.assignment;

  return (
    <>
      <nav className="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol className="fr-breadcrumb__list">
          <li>
            <Link className="fr-breadcrumb__link" href="/formation/mes-formations">
              Mes formations
            </Link>
          </li>
          <li>
            <a className="fr-breadcrumb__link" aria-current="page">
              {t.courseTitle}
            </a>
          </li>
        </ol>
      </nav>
      <h1>{homework ? t.sessionName : t.courseTitle}</h1>
      {homework ? (
        <p>
          Devoir donné par votre professeur, à rendre pour le {frDateTime(homework.dueAt)} · parcours « {t.courseTitle}{' '}
          »
        </p>
      ) : (
        <p>
          {t.sessionName} · {dates(t.startsOn, t.endsOn)} · {frHours(t.hours)} ·{' '}
          <Link href={`/formation/sessions/${sessionId}/discussion`}>Discussion de la session</Link>
        </p>
      )}
      {error && (
        <Alert
          className="fr-mb-3w"
          severity="error"
          small
          description={error}
          closable
          onClose={() => setError(null)}
        />
      )}
      {homework?.handedInAt ? (
        <Alert
          className="fr-mb-3w"
          severity="success"
          title={`Devoir rendu le ${frDateTime(homework.handedInAt)}`}
          description="Votre professeur voit votre travail et votre score dans le suivi de la classe."
        />
      ) : !homework && t.completedAt ? (
        <Alert
          className="fr-mb-3w"
          severity="success"
          title={`Parcours terminé le ${frDate(t.completedAt)}`}
          description={
            code ? (
              <>
                Votre attestation (code de vérification <strong>{code}</strong>) :{' '}
                <a href={`/formation/api/attestations/${code}/pdf`} download>
                  Télécharger l’attestation (PDF)
                </a>
              </>
            ) : (
              <Button size="small" onClick={() => void issue()}>
                Obtenir mon attestation
              </Button>
            )
          }
        />
      ) : (
        <p>
          Progression : {t.satisfied} / {total} activités.{' '}
          {t.resumeAuIndex !== null && (
            <Button size="small" iconId="fr-icon-play-line" onClick={() => void launch(t.resumeAuIndex!)}>
              {t.activities.some((a) => a.status !== 'not_started') ? 'Reprendre où je me suis arrêté' : 'Commencer'}
            </Button>
          )}
        </p>
      )}
      <div className="fr-table fr-table--no-caption">
        <table>
          <caption>Activités et résultats</caption>
          <thead>
            <tr>
              <th scope="col">Module</th>
              <th scope="col">Activité</th>
              <th scope="col">Statut</th>
              <th scope="col">Score</th>
              <th scope="col">Temps</th>
              <th scope="col">Dernière activité</th>
              <th scope="col">
                <span className="fr-sr-only">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {t.activities.map((a) => (
              <tr key={a.auIndex}>
                <td>{a.module}</td>
                <td>
                  {a.title} <span className="fr-text--xs">({KIND_LABEL[a.kind] ?? a.kind})</span>
                </td>
                <td>
                  <p className={`fr-badge fr-badge--sm ${STATUS_BADGE[a.status] ?? ''}`}>
                    {STATUS_LABEL[a.status] ?? a.status}
                  </p>
                </td>
                <td>{frPercent(a.scoreScaled)}</td>
                <td>{frDuration(a.durationSeconds)}</td>
                <td>{frDateTime(a.lastActivityAt)}</td>
                <td>
                  <Button
                    size="small"
                    priority="secondary"
                    onClick={() => void launch(a.auIndex)}
                    title={`Ouvrir « ${a.title} »`}
                  >
                    {a.satisfied ? 'Revoir' : 'Ouvrir'}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
