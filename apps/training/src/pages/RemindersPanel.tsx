import { Button } from '@codegouvfr/react-dsfr/Button';
import { graphql, useQuery } from '@ent-observatory/web';
import { useState } from 'react';
import { frDateTime } from '../labels';

interface Reminder {
  id: string;
  email: string;
  reason: string;
  subject: string;
  body: string;
  createdAt: string;
  sentAt: string | null;
}

/** Reminders to learners who have not started or have stalled, and the outbox where they wait to be sent. */
export function RemindersPanel({ sessionId, onError }: { sessionId: string; onError(m: string): void }) {
  const { state, reload } = useQuery<{ sessionReminders: Reminder[] }>(
    'query($s: ID!) { sessionReminders(sessionId: $s) { id email reason subject body createdAt sentAt } }',
    { s: sessionId },
  );
  const [queued, setQueued] = useState<string | null>(null);
  const remind = (reason: string) =>
    graphql<{ sendTrainingReminders: number }>(
      'mutation($s: ID!, $r: String!) { sendTrainingReminders(sessionId: $s, reason: $r) }',
      { s: sessionId, r: reason },
    )
      .then(({ sendTrainingReminders: n }) => {
        setQueued(`${n} relance${n > 1 ? 's' : ''} ajoutée${n > 1 ? 's' : ''} à la boîte d’envoi.`);
        reload();
      })
      .catch((e: Error) => onError(e.message));
  return (
    <section className="fr-mt-5w">
      <h2 className="fr-h4">Relances</h2>
      <ul className="fr-btns-group fr-btns-group--inline">
        <li>
          <Button priority="secondary" onClick={() => void remind('not_started')}>
            Relancer les apprenants qui n’ont pas commencé
          </Button>
        </li>
        <li>
          <Button priority="secondary" onClick={() => void remind('stalled')}>
            Relancer les apprenants sans activité depuis 7 jours
          </Button>
        </li>
      </ul>
      {queued && <p role="status">{queued}</p>}
      <h3 className="fr-h6">Boîte d’envoi</h3>
      {state.kind === 'ready' && state.data.sessionReminders.length === 0 && <p>Aucune relance pour cette session.</p>}
      {state.kind === 'ready' && state.data.sessionReminders.length > 0 && (
        <div className="fr-table">
          <table>
            <caption>Relances en attente d’envoi</caption>
            <thead>
              <tr>
                <th scope="col">Destinataire</th>
                <th scope="col">Objet</th>
                <th scope="col">Message</th>
                <th scope="col">Créée le</th>
                <th scope="col">Envoi</th>
              </tr>
            </thead>
            <tbody>
              {state.data.sessionReminders.map((r) => (
                <tr key={r.id}>
                  <td>{r.email}</td>
                  <td>{r.subject}</td>
                  <td style={{ whiteSpace: 'pre-line' }} className="fr-text--xs">
                    {r.body}
                  </td>
                  <td>{frDateTime(r.createdAt)}</td>
                  <td>{r.sentAt ? frDateTime(r.sentAt) : 'En attente'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
