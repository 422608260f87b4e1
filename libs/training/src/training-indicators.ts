import type { Store } from '@ent-observatory/store';

export type TrainingDimension = 'academie' | 'audience' | 'parcours';

export interface TrainingCell {
  key: string;
  label: string;
  /** Null when the cell has fewer than k learners (secret statistique). */
  learners: number | null;
  completed: number | null;
  hours: number | null;
  suppressed: boolean;
}

/**
 * The observatory's training figures (enrolments, completion, hours completed) by académie, audience or parcours,
 * k-anonymised like every other figure: a cell of fewer than `k` distinct learners shows no number, and when one
 * cell is suppressed the next smallest is too, so that the total cannot give it away.
 */
export async function trainingIndicators(
  store: Store,
  dimension: TrainingDimension,
  k: number,
  academie?: string,
): Promise<TrainingCell[]> {
  const key =
    dimension === 'academie'
      ? "COALESCE(NULLIF(e.academie, ''), '—')"
      : dimension === 'audience'
        ? "COALESCE(NULLIF(c.audience, ''), '—')"
        : 'c.id';
  const label =
    dimension === 'academie'
      ? "COALESCE((SELECT name FROM academies a WHERE a.code = NULLIF(e.academie, '')), 'Académie non renseignée')"
      : dimension === 'audience'
        ? "COALESCE(NULLIF(c.audience, ''), 'Public non renseigné')"
        : 'c.title';
  const rows = await store.query<{ key: string; label: string; learners: number; completed: number; hours: number }>(
    `SELECT ${key} AS key, min(${label}) AS label, count(DISTINCT e.user_id)::int AS learners,
       count(DISTINCT e.user_id) FILTER (WHERE r.satisfied_at IS NOT NULL)::int AS completed,
       COALESCE(sum(c.hours_remote + c.hours_onsite) FILTER (WHERE r.satisfied_at IS NOT NULL), 0)::float AS hours
     FROM training_enrolments e JOIN training_sessions s ON s.id = e.session_id
     JOIN training_courses c ON c.id = s.course_id JOIN training_registrations r ON r.id = e.registration
     WHERE ($1::text IS NULL OR e.academie = $1) GROUP BY 1 ORDER BY 2`,
    [academie ?? null],
  );
  const cells: TrainingCell[] = rows.map((r) => ({ ...r, suppressed: r.learners < k }));
  const suppressed = cells.filter((c) => c.suppressed).length;
  if (suppressed === 1) {
    const next = cells.filter((c) => !c.suppressed).sort((a, b) => (a.learners ?? 0) - (b.learners ?? 0))[0];
    if (next) next.suppressed = true;
  }
  return cells.map((c) => (c.suppressed ? { ...c, learners: null, completed: null, hours: null } : c));
}
