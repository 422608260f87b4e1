import { displayValue } from './cells';
import { ChartCard } from './ChartCard';
import type { HeatCell } from './fragments';
import { classBreaks, classOf, colourIndex } from './classes';
import { useK } from './Measure';
import { NO_DATA, SEQUENTIAL } from './palette';

const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** Visits by hour and weekday (Paris time): when the ENT is used, at school, in the evening, at the weekend. */
export function HeatMapCard({ cells, title }: { cells: HeatCell[]; title?: string }) {
  const k = useK();
  const breaks = classBreaks(cells.filter((c) => !c.suppressed && c.visits).map((c) => c.visits!));
  const at = new Map(cells.map((c) => [`${c.weekday}-${c.hour}`, c]));
  const colour = (c: HeatCell | undefined) => {
    if (!c || c.suppressed) return NO_DATA;
    if (!c.visits) return '#FFFFFF';
    return SEQUENTIAL[colourIndex(classOf(c.visits, breaks), breaks.length, SEQUENTIAL.length)]!;
  };
  const grid = (
    <div style={{ overflowX: 'auto' }}>
      <table className="obs-heat">
        <thead>
          <tr>
            <th />
            {HOURS.map((h) => (
              <th key={h} scope="col">
                {h % 3 === 0 ? `${h} h` : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {WEEKDAYS.map((day, d) => (
            <tr key={day}>
              <th scope="row" style={{ textAlign: 'right', paddingRight: 6 }}>
                {day}
              </th>
              {HOURS.map((h) => {
                const c = at.get(`${d + 1}-${h}`);
                return (
                  <td
                    key={h}
                    style={{ background: colour(c) }}
                    title={`${day} ${h} h–${h + 1} h : ${displayValue(c?.visits, 'count', c?.suppressed, k)} visites`}
                  />
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="fr-text--xs fr-mt-1w fr-mb-0">
        Plus la case est foncée, plus il y a de visites ; gris : moins de {k} utilisateurs (non publié).
      </p>
    </div>
  );
  const rows = [...cells].sort((a, b) => a.weekday - b.weekday || a.hour - b.hour);
  return (
    <ChartCard
      title={title ?? 'Visites par jour de la semaine et heure (heure de Paris)'}
      unit="nombre de visites commencées dans l’heure"
      columns={[
        { key: 'day', label: 'Jour', kind: 'text', value: (c: HeatCell) => WEEKDAYS[c.weekday - 1] },
        { key: 'hour', label: 'Heure', kind: 'text', value: (c: HeatCell) => `${c.hour} h` },
        {
          key: 'visits',
          label: 'Visites (nombre)',
          kind: 'count',
          value: (c: HeatCell) => c.visits,
          suppressed: (c) => c.suppressed,
        },
        {
          key: 'users',
          label: 'Utilisateurs distincts (nombre)',
          kind: 'count',
          value: (c: HeatCell) => c.users,
          suppressed: (c) => c.suppressed,
        },
      ]}
      rows={rows}
      chart={grid}
      testId="heatmap"
    />
  );
}
