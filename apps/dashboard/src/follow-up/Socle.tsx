import { SOCLE_COMPONENTS, SOCLE_COMPONENT_LABELS, SOCLE_COMPONENT_SHORT_LABELS, levelLabel } from './labels';

/** One level of a socle component: coloured cell with its number, the full wording for screen readers. */
export function Level({ level, component }: { level: number | null; component?: string }) {
  const label =
    level === null
      ? 'Non positionné'
      : `${levelLabel(level)}${component ? ` — ${SOCLE_COMPONENT_LABELS[component as keyof typeof SOCLE_COMPONENT_LABELS]}` : ''}`;
  return (
    <span className={`suivi-level suivi-level--${level ?? 'none'}`} title={label} aria-label={label}>
      {level === null ? '·' : level === 0 ? 'D' : level}
    </span>
  );
}

/** The 8 components in the LSU order, a cell each. */
export function SocleGrid({ socle }: { socle: { component: string; level: number }[] }) {
  const by = new Map(socle.map((s) => [s.component, s.level]));
  return (
    <span className="suivi-socle">
      {SOCLE_COMPONENTS.map((c) => (
        <Level key={c} component={c} level={by.get(c) ?? null} />
      ))}
    </span>
  );
}

export function SocleLegend() {
  return (
    <p className="fr-text--xs fr-mb-1w">
      Socle commun, dans l’ordre du LSU : {SOCLE_COMPONENTS.map((c) => SOCLE_COMPONENT_SHORT_LABELS[c]).join(' · ')}.
      Niveaux : <Level level={1} /> maîtrise insuffisante, <Level level={2} /> fragile, <Level level={3} />{' '}
      satisfaisante, <Level level={4} /> très bonne maîtrise, <Level level={0} /> dispensé, <Level level={null} /> non
      positionné.
    </p>
  );
}

/** Visits per week as a small line; the figures are in its title and in the table's text. */
export function Sparkline({ weeks }: { weeks: { week: string; visits: number }[] }) {
  if (weeks.length === 0) return <span className="fr-text--xs">aucune</span>;
  const w = 80;
  const h = 20;
  const max = Math.max(1, ...weeks.map((x) => x.visits));
  const step = weeks.length > 1 ? w / (weeks.length - 1) : 0;
  const points = weeks.map((x, i) => `${(i * step).toFixed(1)},${(h - (x.visits / max) * (h - 2) - 1).toFixed(1)}`);
  const title = weeks.map((x) => `semaine du ${x.week} : ${x.visits}`).join(', ');
  return (
    <svg className="suivi-sparkline" width={w} height={h} role="img" aria-label={`Visites par semaine : ${title}`}>
      <title>{title}</title>
      <polyline points={points.join(' ')} fill="none" stroke="#000091" strokeWidth="1.5" />
    </svg>
  );
}
