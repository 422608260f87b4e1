import { BarsChart, TrendChart } from './charts';
import { ChartCard } from './ChartCard';
import { type Cell, cellColumns, suppressedCell } from './columns';
import type { Column } from './csv';
import type { PeriodPoint } from './fragments';

/**
 * Visits per value of one dimension (profile, service, device…) as horizontal bars, with the usual measures in the
 * table. `max` bars at most (the table keeps every row).
 */
export function VisitsBarsCard<R extends Cell & { label: string }>(props: {
  title: string;
  /** Header of the label column of the table, e.g. "Service". */
  header: string;
  rows: R[];
  unit?: string;
  max?: number;
  colour?: string;
  columns?: Column<R>[];
  description?: string;
  testId?: string;
}) {
  return (
    <ChartCard
      title={props.title}
      unit={props.unit ?? 'nombre de visites'}
      columns={props.columns ?? cellColumns<R>(props.header, (r) => r.label)}
      rows={props.rows}
      description={props.description}
      testId={props.testId}
      chart={
        <BarsChart
          rows={props.max === undefined ? props.rows : props.rows.slice(0, props.max)}
          label={(r) => r.label}
          value={(r) => r.visits}
          suppressed={suppressedCell}
          kind="count"
          colour={props.colour}
        />
      }
    />
  );
}

/** Visits per week as a line, with the usual measures per week in the table. */
export function WeeklyVisitsCard(props: { title: string; rows: PeriodPoint[]; series?: string; testId?: string }) {
  return (
    <ChartCard
      title={props.title}
      unit="nombre de visites par semaine"
      columns={cellColumns<PeriodPoint>('Semaine', (p) => p.label)}
      rows={props.rows}
      testId={props.testId}
      chart={
        <TrendChart
          rows={props.rows}
          x={(p) => p.label}
          kind="count"
          series={[{ label: props.series ?? 'Visites', value: (p) => p.visits }]}
        />
      }
    />
  );
}
