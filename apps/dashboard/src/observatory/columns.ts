import type { Column } from './csv';

/** The measures every cell of the API carries (Figures, ProfileCell, ServiceCell, …). */
export interface Cell {
  visits?: number | null;
  users?: number | null;
  durationSeconds?: number | null;
  suppressed: boolean;
}

export const suppressedCell = (r: { suppressed: boolean }) => r.suppressed;

/** Label column followed by the usual measures: visits, distinct users, mean visit duration. */
export function cellColumns<R extends Cell>(
  labelHeader: string,
  label: (r: R) => string,
  measures: ('visits' | 'users' | 'durationSeconds')[] = ['visits', 'users', 'durationSeconds'],
): Column<R>[] {
  const all: Record<string, Column<R>> = {
    visits: {
      key: 'visits',
      label: 'Visites (nombre)',
      kind: 'count',
      value: (r) => r.visits,
      suppressed: suppressedCell,
    },
    users: {
      key: 'users',
      label: 'Utilisateurs distincts (nombre)',
      kind: 'count',
      value: (r) => r.users,
      suppressed: suppressedCell,
    },
    durationSeconds: {
      key: 'durationSeconds',
      label: 'Durée moyenne d’une visite',
      csvLabel: 'Durée moyenne d’une visite (secondes)',
      kind: 'duration',
      value: (r) => r.durationSeconds,
      suppressed: suppressedCell,
    },
  };
  return [{ key: 'label', label: labelHeader, kind: 'text', value: label }, ...measures.map((m) => all[m]!)];
}
