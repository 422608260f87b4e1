import { Button } from '@codegouvfr/react-dsfr/Button';
import { Link } from '@ent-observatory/web';
import { type ReactNode, useId } from 'react';
import { type Column, csvFileName, toCsv } from './csv';
import { Measure, SecrecyFootnote, useK } from './Measure';

export interface ChartCardProps<R> {
  /** What the chart shows, e.g. "Visites par semaine". */
  title: string;
  /** The unit(s), e.g. "nombre de visites". */
  unit: string;
  description?: string;
  columns: Column<R>[];
  rows: R[];
  /** The chart itself (hidden from screen readers: the table says the same). Omitted: the table is shown open. */
  chart?: ReactNode;
  /** Shown instead of the chart when `rows` is empty. */
  emptyText?: string;
  testId?: string;
}

/**
 * A chart with what every chart of the observatory owes its readers: a title saying what it shows, the unit,
 * a table alternative ("Voir le tableau"), a CSV export of exactly the data shown, and the statistical secrecy
 * footnote when a value is suppressed.
 */
export function ChartCard<R>(props: ChartCardProps<R>) {
  const id = useId();
  const k = useK();
  const anySuppressed = props.rows.some((r) => props.columns.some((c) => c.suppressed?.(r)));
  const download = () => {
    const blob = new Blob([toCsv(props.columns, props.rows, k)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = csvFileName(props.title);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const table = <DataTable caption={`${props.title} (${props.unit})`} columns={props.columns} rows={props.rows} />;
  return (
    <section className="obs-card fr-mb-3w" aria-labelledby={`${id}-t`} data-testid={props.testId}>
      <div>
        <div>
          <h2 id={`${id}-t`} className="fr-h5 fr-mb-1w">
            {props.title}
          </h2>
          <p className="fr-text--sm fr-mb-1w obs-card__unit">
            Unité : {props.unit}
            {props.description ? ` — ${props.description}` : ''}
          </p>
          {props.rows.length === 0 ? (
            <p className="fr-text--sm obs-empty">{props.emptyText ?? 'Aucune donnée pour ces filtres.'}</p>
          ) : props.chart ? (
            <>
              <div aria-hidden="true" className="obs-chart">
                {props.chart}
              </div>
              <details className="fr-mt-1w">
                <summary>Voir le tableau</summary>
                {table}
              </details>
            </>
          ) : (
            table
          )}
          {anySuppressed && <SecrecyFootnote />}
          {props.rows.length > 0 && (
            <Button
              priority="tertiary"
              size="small"
              iconId="fr-icon-download-line"
              className="fr-mt-1w"
              onClick={download}
              title={`Exporter en CSV : ${props.title}`}
            >
              Exporter en CSV
            </Button>
          )}
        </div>
      </div>
    </section>
  );
}

/** Beyond this many rows a table scrolls inside its card (the CSV export still holds every row). */
const SCROLL_ROWS = 25;

export function DataTable<R>(props: { caption: string; columns: Column<R>[]; rows: R[] }) {
  const long = props.rows.length > SCROLL_ROWS;
  return (
    <div
      className={`fr-table fr-table--sm fr-table--no-caption fr-mb-0${long ? ' obs-scroll' : ''}`}
      // a scrolling region must be reachable with the keyboard to be scrolled without a mouse
      tabIndex={long ? 0 : undefined}
      role={long ? 'region' : undefined}
      aria-label={long ? `${props.caption}, ${props.rows.length} lignes` : undefined}
    >
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.key} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r, i) => (
            <tr key={i}>
              {props.columns.map((c, j) => {
                const href = c.href?.(r);
                const value = <Measure value={c.value(r)} kind={c.kind} suppressed={c.suppressed?.(r)} />;
                const content = href ? <Link href={href}>{value}</Link> : value;
                return j === 0 ? (
                  <th key={c.key} scope="row">
                    {content}
                  </th>
                ) : (
                  <td key={c.key} className={c.kind === 'text' ? undefined : 'obs-num'}>
                    {content}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
