import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Link, graphql, hasRole, useQuery, useUser } from '@ent-observatory/web';
import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import {
  ALERT_LABELS,
  KIND_LABELS,
  timelineServiceLabel,
  SOCLE_COMPONENT_LABELS,
  STATUS_LABELS,
  formatDate,
  formatDateTime,
  formatMark,
  levelLabel,
  subjectLabel,
} from './labels';
import { PeriodForm } from './PeriodForm';
import { Level, SocleGrid, SocleLegend } from './Socle';
import './follow-up.css';

interface AlertRow {
  code: string;
  since: string;
  reason: string;
  acknowledged: boolean;
  note: string;
}
interface PupilData {
  pupilFollowUp: {
    pupilId: string;
    displayName: string;
    classes: { id: string; name: string; schoolYear: string; establishmentName: string }[];
    lastActivityAt: string | null;
    timeline: { at: string; kind: string; service: string; title: string; subject: string; detail: string }[];
    homework: {
      id: string;
      title: string;
      subject: string;
      due: string;
      status: string;
      submittedAt: string | null;
      lateHours: number | null;
      mark: number | null;
      expectedMinutes: number | null;
    }[];
    scores: { at: string; subject: string; title: string; mark: number; kind: string }[];
    socle: { component: string; level: number; at: string; cycle: number }[];
    competences: { competence: string; subject: string; level: number; at: string }[];
    alerts: AlertRow[];
    handover: {
      schoolYear: string;
      establishmentName: string;
      classId: string;
      socle: { component: string; level: number }[];
      homework: { assigned: number; done: number; late: number; missing: number };
      meanMark: number | null;
    } | null;
  };
}

const QUERY = `query PupilFollowUp($pupilId: String!, $from: String!, $to: String!) {
  pupilFollowUp(pupilId: $pupilId, from: $from, to: $to) {
    pupilId displayName lastActivityAt
    classes { id name schoolYear establishmentName }
    timeline { at kind service title subject detail }
    homework { id title subject due status submittedAt lateHours mark expectedMinutes }
    scores { at subject title mark kind }
    socle { component level at cycle }
    competences { competence subject level at }
    alerts { code since reason acknowledged note }
    handover { schoolYear establishmentName classId socle { component level } homework { assigned done late missing } meanMark }
  }
}`;

const ACK = `mutation Ack($pupilId: String!, $code: AlertCode!, $since: String!, $note: String!) {
  acknowledgeFollowUpAlert(pupilId: $pupilId, code: $code, since: $since, note: $note)
}`;

const COLOURS = ['#000091', '#c9191e', '#18753c', '#b34000', '#6a6af4', '#716043', '#009081'];

/** « Fiche élève »: what the pupil did, their homework, marks, positionings and alerts; printable. */
export default function PupilPage({ pupilId, from, to }: { pupilId: string; from: string; to: string }) {
  const user = useUser();
  const canAcknowledge = hasRole(user, 'teacher', 'establishment');
  const { state, reload } = useQuery<PupilData>(QUERY, { pupilId, from, to });
  if (state.kind === 'loading') return <p aria-live="polite">Chargement de la fiche…</p>;
  if (state.kind === 'error') return <Alert severity="error" title="Fiche inaccessible" description={state.message} />;
  const p = state.data.pupilFollowUp;
  const current = p.classes[0];
  return (
    <>
      <p className="fr-text--sm fr-mb-1w suivi-no-print">
        <Link href="/suivi">Suivi des élèves</Link>
        {current && canAcknowledge && (
          <>
            {' '}
            ›{' '}
            <Link href={`/suivi/classe?id=${encodeURIComponent(current.id)}&du=${from}&au=${to}`}>{current.name}</Link>
          </>
        )}
      </p>
      <h1>Fiche élève : {p.displayName}</h1>
      <p>
        {p.classes.map((c) => `${c.name} (${c.schoolYear}, ${c.establishmentName})`).join(' ; ')} — du{' '}
        {formatDate(from)} au {formatDate(to)}. Dernière activité :{' '}
        {p.lastActivityAt ? formatDateTime(p.lastActivityAt) : 'aucune'}.
      </p>
      <div className="suivi-no-print fr-mb-2w">
        <Button priority="secondary" iconId="fr-icon-printer-line" onClick={() => window.print()}>
          Imprimer (conseil de classe)
        </Button>
      </div>
      <PeriodForm from={from} to={to} />
      <section>
        <h2>Alertes</h2>
        {p.alerts.length === 0 ? (
          <p>Aucune alerte sur la période.</p>
        ) : (
          p.alerts.map((a) => (
            <AlertItem key={a.code} alert={a} pupilId={p.pupilId} canAcknowledge={canAcknowledge} onDone={reload} />
          ))
        )}
      </section>
      <section className="fr-mt-4w">
        <h2>Devoirs</h2>
        <div className="fr-table fr-table--no-caption">
          <table>
            <caption>Devoirs</caption>
            <thead>
              <tr>
                <th scope="col">Pour le</th>
                <th scope="col">Matière</th>
                <th scope="col">Devoir</th>
                <th scope="col">État</th>
                <th scope="col">Rendu le</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {p.homework.map((h) => (
                <tr key={h.id}>
                  <td>{formatDateTime(h.due)}</td>
                  <td>{subjectLabel(h.subject)}</td>
                  <td>
                    {h.title || 'Devoir'}
                    {h.expectedMinutes ? ` (${h.expectedMinutes} min)` : ''}
                  </td>
                  <td>
                    <Badge
                      small
                      severity={
                        h.status === 'done'
                          ? 'success'
                          : h.status === 'pending'
                            ? 'info'
                            : h.status === 'late'
                              ? 'warning'
                              : 'error'
                      }
                    >
                      {STATUS_LABELS[h.status] ?? h.status}
                    </Badge>
                    {h.lateHours !== null && <span className="fr-text--xs"> {formatLate(h.lateHours)}</span>}
                  </td>
                  <td>{h.submittedAt ? formatDateTime(h.submittedAt) : '—'}</td>
                  <td>{h.mark === null ? '—' : formatMark(h.mark)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <Scores scores={p.scores} />
      <section className="fr-mt-4w">
        <h2>Socle commun</h2>
        <SocleLegend />
        <p>
          Dernier positionnement par composante : <SocleGrid socle={p.socle} />
        </p>
        {p.socle.length > 0 && (
          <div className="fr-table fr-table--no-caption">
            <table>
              <caption>Historique des positionnements</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Composante</th>
                  <th scope="col">Niveau</th>
                </tr>
              </thead>
              <tbody>
                {[...p.socle].reverse().map((s, i) => (
                  <tr key={`${s.component}-${s.at}-${i}`}>
                    <td>{formatDate(s.at)}</td>
                    <td>{SOCLE_COMPONENT_LABELS[s.component as keyof typeof SOCLE_COMPONENT_LABELS] ?? s.component}</td>
                    <td>
                      <Level level={s.level} /> {levelLabel(s.level)} (cycle {s.cycle})
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {p.competences.length > 0 && (
          <>
            <h3>Compétences des disciplines</h3>
            <ul>
              {p.competences.map((c, i) => (
                <li key={`${c.competence}-${i}`}>
                  {formatDate(c.at)} — {subjectLabel(c.subject)} : {competenceName(c.competence)} —{' '}
                  <Level level={c.level} /> {levelLabel(c.level)}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {p.handover && (
        <section className="fr-mt-4w">
          <h2>Liaison : l’année dernière ({p.handover.schoolYear})</h2>
          <p>
            {p.handover.establishmentName}, classe {p.handover.classId.split(':').slice(2).join(':')} — devoirs :{' '}
            {p.handover.homework.done + p.handover.homework.late} rendus sur {p.handover.homework.assigned} (
            {p.handover.homework.late} en retard, {p.handover.homework.missing} non rendus) ; moyenne{' '}
            {p.handover.meanMark === null ? '—' : formatMark(p.handover.meanMark)}.
          </p>
          <p>
            Positionnements de fin d’année : <SocleGrid socle={p.handover.socle} />
          </p>
        </section>
      )}
      <section className="fr-mt-4w">
        <h2>Ce que l’élève a fait</h2>
        {p.timeline.length === 0 ? (
          <p>Aucune activité sur la période.</p>
        ) : (
          // A scrolling list: focusable so that a keyboard can scroll it (RGAA 12.13), named for screen readers.
          <ol className="suivi-timeline" tabIndex={0} aria-label="Activité de l’élève sur la période">
            {p.timeline.map((t, i) => (
              <li key={`${t.at}-${i}`}>
                <strong>{formatDateTime(t.at)}</strong> — {KIND_LABELS[t.kind] ?? t.kind}
                {t.kind === 'activity' ? ` : ${timelineServiceLabel(t.service)}` : ''}
                {t.title ? ` : ${t.title}` : ''}
                {t.subject ? ` (${subjectLabel(t.subject)})` : ''}
                {t.detail ? ` — ${t.detail}` : ''}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

function formatLate(hours: number): string {
  return hours < 24 ? `(${hours} h de retard)` : `(${Math.round(hours / 24)} j de retard)`;
}

function competenceName(iri: string): string {
  return (iri.split('/').pop() ?? iri).replace(/-/g, ' ');
}

function AlertItem({
  alert,
  pupilId,
  canAcknowledge,
  onDone,
}: {
  alert: AlertRow;
  pupilId: string;
  canAcknowledge: boolean;
  onDone: () => void;
}) {
  const [note, setNote] = useState(alert.note);
  const [error, setError] = useState('');
  const save = () =>
    graphql(ACK, { pupilId, code: alert.code, since: alert.since, note })
      .then(onDone)
      .catch((e: Error) => setError(e.message));
  return (
    <div className="fr-callout fr-mb-2w">
      <h3 className="fr-callout__title">
        {ALERT_LABELS[alert.code]} <span className="fr-text--sm">depuis le {formatDate(alert.since)}</span>{' '}
        {alert.acknowledged && <Badge severity="info">Vue</Badge>}
      </h3>
      <p className="fr-callout__text">{alert.reason}</p>
      {alert.acknowledged && alert.note && <p className="fr-text--sm">Note : {alert.note}</p>}
      {canAcknowledge && (
        <form
          className="suivi-no-print"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <Input
            label="Note (ce qui a été fait)"
            nativeInputProps={{ value: note, maxLength: 1000, onChange: (e) => setNote(e.target.value) }}
          />
          <Button type="submit" size="small">
            {alert.acknowledged ? 'Modifier la note' : 'Marquer comme vue'}
          </Button>
          {error && <p className="fr-error-text">{error}</p>}
        </form>
      )}
    </div>
  );
}

/** Marks over time, one line per subject, and the same figures as a table. */
function Scores({ scores }: { scores: PupilData['pupilFollowUp']['scores'] }) {
  const subjects = [...new Set(scores.map((s) => s.subject))];
  // One point per day, every subject present (null when not marked that day) so that connectNulls draws lines.
  const byDay = new Map<string, Record<string, number | string | null>>();
  for (const s of scores) {
    const day = s.at.slice(0, 10);
    const point = byDay.get(day) ?? { day, ...Object.fromEntries(subjects.map((x) => [x, null])) };
    point[s.subject] = s.mark;
    byDay.set(day, point);
  }
  const data = [...byDay.values()];
  return (
    <section className="fr-mt-4w">
      <h2>Notes</h2>
      {scores.length === 0 ? (
        <p>Aucune note sur la période.</p>
      ) : (
        <>
          <figure role="group" aria-label="Notes sur 20 au fil du temps, par matière">
            <ResponsiveContainer width="100%" height={260}>
              <LineChart data={data}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="day" tickFormatter={(d: string) => formatDate(d)} />
                <YAxis domain={[0, 20]} />
                <Tooltip />
                <Legend formatter={(v: string) => subjectLabel(v)} />
                {subjects.map((s, i) => (
                  <Line key={s} dataKey={s} name={s} stroke={COLOURS[i % COLOURS.length]} connectNulls dot />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </figure>
          <div className="fr-table fr-table--no-caption">
            <table>
              <caption>Notes</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Matière</th>
                  <th scope="col">Évaluation</th>
                  <th scope="col">Note</th>
                </tr>
              </thead>
              <tbody>
                {[...scores].reverse().map((s, i) => (
                  <tr key={`${s.at}-${i}`}>
                    <td>{formatDate(s.at)}</td>
                    <td>{subjectLabel(s.subject)}</td>
                    <td>{s.title || (s.kind === 'homework' ? 'Devoir' : 'Évaluation')}</td>
                    <td>{formatMark(s.mark)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
