import { ChartCard } from './ChartCard';
import type { Column } from './csv';

export interface Rate {
  base: number | null;
  count: number | null;
  rate: number | null;
  suppressed: boolean;
}

/** A rate with its base and count, e.g. "pupils active in CM2 last year → active in 6e this year". */
export function RateTable<R extends { label: string; rate: Rate; href?: string }>(props: {
  title: string;
  unit: string;
  baseLabel: string;
  countLabel: string;
  rows: R[];
  testId?: string;
}) {
  const columns: Column<R>[] = [
    { key: 'label', label: 'Périmètre', kind: 'text', value: (r) => r.label, href: (r) => r.href },
    {
      key: 'base',
      label: props.baseLabel,
      kind: 'count',
      value: (r) => r.rate.base,
      suppressed: (r) => r.rate.suppressed,
    },
    {
      key: 'count',
      label: props.countLabel,
      kind: 'count',
      value: (r) => r.rate.count,
      suppressed: (r) => r.rate.suppressed,
    },
    {
      key: 'rate',
      label: 'Taux (%)',
      kind: 'percent',
      value: (r) => r.rate.rate,
      suppressed: (r) => r.rate.suppressed,
    },
  ];
  return <ChartCard title={props.title} unit={props.unit} columns={columns} rows={props.rows} testId={props.testId} />;
}
