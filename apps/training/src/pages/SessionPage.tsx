import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Link, StatusPage, graphql, useQuery } from '@ent-observatory/web';
import { useMemo, useState } from 'react';
import { STATUS_BADGE, STATUS_LABEL, frDateTime, frDuration, frPercent } from '../labels';
import { RemindersPanel } from './RemindersPanel';
import { SubmissionsPanel } from './SubmissionsPanel';

interface Grid {
  sessionName: string;
  courseTitle: string;
  activities: { auIndex: number; title: string; module: string }[];
  rows: {
    userId: string;
    displayName: string;
    email: string;
    completedAt: string | null;
    lastActivityAt: string | null;
    /** [status, scoreScaled, durationSeconds, lastActivityAt] per activity (the GridCells scalar). */
    cells: [string, number | null, number, string | null][];
  }[];
}

const QUERY = `query($s: ID!) { sessionGrid(sessionId: $s) { sessionName courseTitle activities { auIndex title module }
  rows { userId displayName email completedAt lastActivityAt cells } } }`;

interface Report {
  enrolled: string[];
  alreadyEnrolled: string[];
  created: string[];
  rejected: { line: number; value: string; reason: string }[];
}

/** A trainer's session: the learners × activities grid with filters, CSV, waivers, enrolment, reminders. */
export default function SessionPage({ sessionId }: { sessionId: string }) {
  const { state, reload } = useQuery<{ sessionGrid: Grid }>(QUERY, { s: sessionId });
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  const [csv, setCsv] = useState('');
  const [report, setReport] = useState<Report | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [waive, setWaive] = useState<{ userId: string; auIndex: number; reason: string } | null>(null);

  const rows = useMemo(() => {
    if (state.kind !== 'ready') return [];
    const words = search.toLowerCase();
    return state.data.sessionGrid.rows.filter(
      (r) =>
        (!words || `${r.displayName} ${r.email}`.toLowerCase().includes(words)) &&
        (!status || (status === 'done' ? r.completedAt !== null : r.cells.some((c) => c[0] === status))),
    );
  }, [state, search, status]);

  if (state.kind === 'loading') return <p aria-live="polite">Chargement…</p>;
  if (state.kind === 'error')
    return <StatusPage severity="error" title="Session indisponible" description={state.message} />;
  const g = state.data.sessionGrid;
  const done = g.rows.filter((r) => r.completedAt).length;

  const enrol = () =>
    graphql<{ enrolLearnersCsv: Report }>(
      'mutation($s: ID!, $csv: String!) { enrolLearnersCsv(sessionId: $s, csv: $csv) { enrolled alreadyEnrolled created rejected { line value reason } } }',
      { s: sessionId, csv },
    )
      .then(({ enrolLearnersCsv }) => {
        setReport(enrolLearnersCsv);
        setCsv('');
        reload();
      })
      .catch((e: Error) => setNotice({ ok: false, text: e.message }));

  const sendWaive = () =>
    waive &&
    graphql(
      'mutation($s: ID!, $u: ID!, $i: Int!, $r: String!) { waiveTrainingActivity(sessionId: $s, userId: $u, auIndex: $i, reason: $r) }',
      {
        s: sessionId,
        u: waive.userId,
        i: waive.auIndex,
        r: waive.reason,
      },
    )
      .then(() => {
        setWaive(null);
        setNotice({ ok: true, text: 'Activité dispensée.' });
        reload();
      })
      .catch((e: Error) => setNotice({ ok: false, text: e.message }));

  return (
    <>
      <nav className="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol className="fr-breadcrumb__list">
          <li>
            <Link className="fr-breadcrumb__link" href="/formation/sessions">
              Suivi des sessions
            </Link>
          </li>
          <li>
            <a className="fr-breadcrumb__link" aria-current="page">
              {g.sessionName}
            </a>
          </li>
        </ol>
      </nav>
      <h1>{g.sessionName}</h1>
      <p>
        Parcours « {g.courseTitle} » · {g.rows.length} apprenant{g.rows.length > 1 ? 's' : ''} · {done} parcours terminé
        {done > 1 ? 's' : ''} ·{' '}
        <Link href={`/formation/sessions/${sessionId}/discussion`}>Discussion de la session</Link>
      </p>
      {notice && (
        <Alert
          className="fr-mb-3w"
          small
          severity={notice.ok ? 'success' : 'error'}
          description={notice.text}
          closable
          onClose={() => setNotice(null)}
        />
      )}

      <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom fr-mb-2w">
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label="Filtrer les apprenants"
            nativeInputProps={{ value: search, onChange: (e) => setSearch(e.target.value) }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select label="Statut" nativeSelectProps={{ value: status, onChange: (e) => setStatus(e.target.value) }}>
            <option value="">Tous</option>
            <option value="not_started">Une activité non commencée</option>
            <option value="in_progress">Une activité en cours</option>
            <option value="failed">Une activité échouée</option>
            <option value="done">Parcours terminé</option>
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <a
            className="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left fr-mb-3w"
            href={`/formation/api/sessions/${sessionId}/grid.csv`}
            download
          >
            Exporter en CSV
          </a>
        </div>
      </div>
      <div className="fr-table fr-table--bordered" style={{ overflowX: 'auto' }}>
        <table>
          <caption>Apprenants × activités</caption>
          <thead>
            <tr>
              <th scope="col">Apprenant</th>
              {g.activities.map((a) => (
                <th key={a.auIndex} scope="col">
                  {a.title}
                  <br />
                  <span className="fr-text--xs">{a.module}</span>
                </th>
              ))}
              <th scope="col">Dernière activité</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.userId}>
                <th scope="row">
                  {r.displayName}
                  <br />
                  <span className="fr-text--xs">{r.email}</span>
                </th>
                {r.cells.map(([cellStatus, score, seconds], i) => (
                  <td key={i}>
                    <p className={`fr-badge fr-badge--sm ${STATUS_BADGE[cellStatus] ?? ''}`}>
                      {STATUS_LABEL[cellStatus] ?? cellStatus}
                    </p>
                    <div className="fr-text--xs fr-mb-0">
                      {score !== null && <>Score {frPercent(score)} · </>}
                      {frDuration(seconds)}
                    </div>
                    {cellStatus !== 'waived' && cellStatus !== 'passed' && cellStatus !== 'completed' && (
                      <Button
                        size="small"
                        priority="tertiary no outline"
                        onClick={() =>
                          setWaive({ userId: r.userId, auIndex: g.activities[i]!.auIndex, reason: 'Administrative' })
                        }
                      >
                        Dispenser
                      </Button>
                    )}
                  </td>
                ))}
                <td>{frDateTime(r.lastActivityAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {waive && (
        <form
          className="fr-p-3w fr-mb-3w"
          style={{ border: '1px solid var(--border-default-grey)' }}
          onSubmit={(e) => {
            e.preventDefault();
            void sendWaive();
          }}
        >
          <p>
            Dispenser {g.rows.find((r) => r.userId === waive.userId)?.displayName} de «{' '}
            {g.activities.find((a) => a.auIndex === waive.auIndex)?.title} »
          </p>
          <Select
            label="Motif de la dispense"
            nativeSelectProps={{ value: waive.reason, onChange: (e) => setWaive({ ...waive, reason: e.target.value }) }}
          >
            <option value="Administrative">Décision administrative</option>
            <option value="Tested Out">Acquis vérifiés par un test</option>
            <option value="Equivalent AU">Activité équivalente dans le parcours</option>
            <option value="Equivalent Outside Activity">Formation équivalente suivie ailleurs</option>
          </Select>
          <ul className="fr-btns-group fr-btns-group--inline">
            <li>
              <Button type="submit">Confirmer la dispense</Button>
            </li>
            <li>
              <Button type="button" priority="secondary" onClick={() => setWaive(null)}>
                Annuler
              </Button>
            </li>
          </ul>
        </form>
      )}

      <h2 className="fr-h4 fr-mt-5w">Inscrire des apprenants</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void enrol();
        }}
      >
        <Input
          label="Liste CSV des apprenants"
          hintText="Une ligne par apprenant : adresse électronique ; nom ; UAI de l’établissement (facultatif). Séparateur ; ou ,"
          textArea
          nativeTextAreaProps={{ value: csv, rows: 5, onChange: (e) => setCsv(e.target.value) }}
        />
        <div className="fr-upload-group fr-mb-2w">
          <label className="fr-label" htmlFor="fichier-csv">
            Ou un fichier CSV
          </label>
          <input
            id="fichier-csv"
            className="fr-upload"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => void e.target.files?.[0]?.text().then(setCsv)}
          />
        </div>
        <Button type="submit" disabled={!csv.trim()}>
          Inscrire
        </Button>
      </form>
      {report && (
        <Alert
          className="fr-mt-2w"
          severity={report.rejected.length ? 'warning' : 'success'}
          title={`${report.enrolled.length} apprenant(s) inscrit(s)`}
          description={
            <>
              {report.created.length > 0 && <p>Comptes créés : {report.created.join(', ')}</p>}
              {report.alreadyEnrolled.length > 0 && <p>Déjà inscrits : {report.alreadyEnrolled.join(', ')}</p>}
              {report.rejected.map((r) => (
                <p key={r.line}>
                  Ligne {r.line} refusée ({r.value}) : {r.reason}
                </p>
              ))}
            </>
          }
        />
      )}
      <SubmissionsPanel sessionId={sessionId} activities={g.activities} />
      <RemindersPanel sessionId={sessionId} onError={(m) => setNotice({ ok: false, text: m })} />
    </>
  );
}
