import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDayLong, formatDayShort, formatNumber } from './format';
import { graphql } from '@ent-observatory/web';

interface DayCount {
  day: string;
  statements: number;
}
interface StatementActivity {
  total: number;
  inPeriod: number;
  perDay: DayCount[];
}

const QUERY = `query StatementActivity($days: Int!) {
  statementActivity(days: $days) { total inPeriod perDay { day statements } }
}`;
const DAYS = 30;
/** DSFR "bleu France" main colour (--blue-france-sun-113-625): contrast 8.6:1 on white. */
const BAR_COLOUR = '#000091';

type State = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; data: StatementActivity };

export default function StatementActivityView() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    graphql<{ statementActivity: StatementActivity }>(QUERY, { days: DAYS })
      .then((d) => setState({ kind: 'ready', data: d.statementActivity }))
      .catch((e: Error) => setState({ kind: 'error', message: e.message }));
  }, []);

  return (
    <>
      <h1>Traces reçues par l’observatoire</h1>
      <p className="fr-text--lead">
        Nombre de déclarations xAPI enregistrées par le LRS, jour par jour (heure de Paris), sur les {DAYS} derniers
        jours.
      </p>
      {state.kind === 'loading' && <p aria-live="polite">Chargement des chiffres…</p>}
      {state.kind === 'error' && (
        <Alert
          severity="error"
          title="Les chiffres n’ont pas pu être chargés"
          description={state.message}
          small={false}
        />
      )}
      {state.kind === 'ready' && <ActivityFigures data={state.data} />}
    </>
  );
}

function ActivityFigures({ data }: { data: StatementActivity }) {
  if (data.total === 0) {
    return (
      <Alert
        severity="info"
        title="Aucune trace pour l’instant"
        description="Dès qu’une plateforme enverra des déclarations xAPI à /xapi/statements, elles apparaîtront ici."
      />
    );
  }
  return (
    <>
      <div className="fr-grid-row fr-grid-row--gutters fr-mb-4w">
        <Kpi label="Déclarations enregistrées au total" value={data.total} testId="kpi-total" />
        <Kpi label={`Déclarations des ${DAYS} derniers jours`} value={data.inPeriod} testId="kpi-period" />
      </div>
      <figure className="fr-m-0" aria-labelledby="chart-title">
        <h2 id="chart-title" className="fr-h4">
          Déclarations enregistrées par jour (nombre)
        </h2>
        <div style={{ width: '100%', height: 320 }} aria-hidden="true">
          <ResponsiveContainer>
            <BarChart accessibilityLayer={false} data={data.perDay} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="day" tickFormatter={formatDayShort} interval="preserveStartEnd" minTickGap={16} />
              <YAxis tickFormatter={formatNumber} allowDecimals={false} width={64} />
              <Tooltip
                labelFormatter={(d) => (typeof d === 'string' ? formatDayLong(d) : '')}
                formatter={(v) => [formatNumber(Number(v)), 'déclarations']}
              />
              <Bar dataKey="statements" name="Déclarations" fill={BAR_COLOUR} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <details className="fr-mt-2w">
          <summary>Voir les données sous forme de tableau</summary>
          <div className="fr-table fr-table--sm">
            <table>
              <caption>Déclarations enregistrées par jour</caption>
              <thead>
                <tr>
                  <th scope="col">Jour</th>
                  <th scope="col">Déclarations</th>
                </tr>
              </thead>
              <tbody>
                {data.perDay.map((d) => (
                  <tr key={d.day}>
                    <td>{formatDayLong(d.day)}</td>
                    <td>{formatNumber(d.statements)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </figure>
    </>
  );
}

function Kpi({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="fr-col-12 fr-col-md-6">
      <div className="fr-tile fr-tile--horizontal">
        <div className="fr-tile__body">
          <p className="fr-tile__title fr-h2" data-testid={testId}>
            {formatNumber(value)}
          </p>
          <p className="fr-tile__desc">{label}</p>
        </div>
      </div>
    </div>
  );
}
