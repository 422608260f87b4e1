import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { type Kind, displayValue } from './cells';
import { useK } from './Measure';
import { colourAt } from './palette';

/** Category labels take less room on a phone, so that the bars keep most of the width. */
const labelWidth = (wide: number) =>
  typeof window !== 'undefined' && window.matchMedia('(max-width: 576px)').matches ? Math.round(wide * 0.55) : wide;

export interface Series<R> {
  label: string;
  value(row: R): number | null | undefined;
}

/**
 * A trend over periods (weeks, months): one line per series. Suppressed points are gaps in the line, not zeros.
 */
export function TrendChart<R>(props: {
  rows: R[];
  x(row: R): string;
  series: Series<R>[];
  kind: Kind;
  height?: number;
}) {
  const data = props.rows.map((r) => {
    const point: Record<string, string | number | null> = { x: props.x(r) };
    props.series.forEach((s, i) => (point[`s${i}`] = s.value(r) ?? null));
    return point;
  });
  return (
    <div style={{ width: '100%', height: props.height ?? 280 }}>
      <ResponsiveContainer>
        <LineChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="x" interval="preserveStartEnd" minTickGap={24} tick={{ fontSize: 12 }} />
          <YAxis tickFormatter={(v: number) => displayValue(v, props.kind)} width={72} tick={{ fontSize: 12 }} />
          <Tooltip formatter={(v) => displayValue(Number(v), props.kind)} />
          {props.series.length > 1 && <Legend />}
          {props.series.map((s, i) => (
            <Line
              key={s.label}
              dataKey={`s${i}`}
              name={s.label}
              stroke={colourAt(i)}
              strokeWidth={2}
              strokeDasharray={i % 2 ? '6 3' : undefined}
              dot={false}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/**
 * Horizontal bars, one per row, with the value written at the end of each bar; a suppressed row has no bar and
 * reads "< k".
 */
export function BarsChart<R>(props: {
  rows: R[];
  label(row: R): string;
  value(row: R): number | null | undefined;
  suppressed?(row: NoInfer<R>): boolean;
  kind: Kind;
  colour?: string;
}) {
  const k = useK();
  // A suppressed row has no bar: its "< k" goes beside its name, where it cannot be missed.
  const data = props.rows.map((r) => {
    const suppressed = props.suppressed?.(r) ?? false;
    return {
      label: suppressed ? `${props.label(r)} (< ${k})` : props.label(r),
      value: props.value(r) ?? 0,
      text: suppressed ? '' : displayValue(props.value(r), props.kind),
    };
  });
  return (
    <div style={{ width: '100%', height: Math.max(120, data.length * 32 + 24) }}>
      <ResponsiveContainer>
        <BarChart
          accessibilityLayer={false}
          data={data}
          layout="vertical"
          margin={{ top: 4, right: 72, bottom: 4, left: 8 }}
        >
          <XAxis type="number" hide />
          <YAxis type="category" dataKey="label" width={labelWidth(200)} tick={{ fontSize: 12 }} interval={0} />
          <Bar dataKey="value" fill={props.colour ?? colourAt(0)} isAnimationActive={false} barSize={18}>
            <LabelList dataKey="text" position="right" style={{ fontSize: 12, fill: '#161616' }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Bars grouped by category, one colour per series (e.g. devices per profile, stacked to 100 %). */
export function StackedBars<R>(props: { rows: R[]; label(row: R): string; series: Series<R>[]; kind: Kind }) {
  const data = props.rows.map((r) => {
    const point: Record<string, string | number | null> = { label: props.label(r) };
    props.series.forEach((s, i) => (point[`s${i}`] = s.value(r) ?? null));
    return point;
  });
  return (
    <div style={{ width: '100%', height: Math.max(160, data.length * 40 + 60) }}>
      <ResponsiveContainer>
        <BarChart
          accessibilityLayer={false}
          data={data}
          layout="vertical"
          margin={{ top: 4, right: 16, bottom: 4, left: 8 }}
        >
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tickFormatter={(v: number) => displayValue(v, props.kind)} tick={{ fontSize: 12 }} />
          <YAxis type="category" dataKey="label" width={labelWidth(160)} tick={{ fontSize: 12 }} interval={0} />
          <Tooltip formatter={(v) => displayValue(Number(v), props.kind)} />
          <Legend />
          {props.series.map((s, i) => (
            <Bar
              key={s.label}
              dataKey={`s${i}`}
              name={s.label}
              stackId="a"
              fill={colourAt(i)}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
