import type { Warehouse } from '@ent-observatory/warehouse';
import { TABLES, queryRows } from '@ent-observatory/warehouse';
import { type IndicatorFilter, whereOf } from './filter.js';
import {
  type Figures,
  type PeriodFigures,
  type ProfileFigures,
  type ServiceFigures,
  periodsOf,
  profileBreakdown,
  serviceBreakdown,
  totalOf,
  trendOf,
} from './figures.js';
import { isSuppressed } from './k-anonymity.js';
import { visitCells } from './visits.js';

/**
 * Collaboration: working together through the ENT. Activity in the collaborative services (messaging, video
 * conferencing, shared storage, collaborative production, e-mail) by service and profile, week by week; and the
 * collaborative spaces contributed to in the period (statements with the verb "contributed"): how many span
 * several establishments (networks of schools, school–collège links), and whether their contributors are teachers
 * only (teacher↔teacher), pupils only (pupil↔pupil) or mixed. Read a rising share of multi-establishment spaces as
 * the ENT connecting schools rather than only serving each one.
 */
export const COLLABORATIVE_SERVICES = [
  'messagerie_instantanee',
  'visioconference',
  'stockage_partage',
  'production_collaborative',
  'courrier_electronique',
] as const;

export interface CollaborationInput {
  filter: IndicatorFilter;
  k: number;
}

export interface SpaceMix {
  spaces: number | null;
  multiEstablishment: number | null;
  teacherOnly: number | null;
  pupilOnly: number | null;
  mixed: number | null;
  suppressed: boolean;
}

export interface CollaborationOutput {
  total: Figures;
  byService: ServiceFigures[];
  byProfile: ProfileFigures[];
  trend: PeriodFigures[];
  spaces: SpaceMix;
}

export function spacesSql(where: string): string {
  return `SELECT count() AS spaces, countIf(establishments >= 2) AS multi,
  countIf(profiles = ['ENSEIGNANT']) AS teacher_only, countIf(profiles = ['ELEVE']) AS pupil_only,
  (SELECT uniqExactMerge(contributors) FROM ${TABLES.spaceDaily} WHERE ${where}) AS contributors
FROM (
  SELECT space_id, uniqExact(uai) AS establishments, arraySort(groupUniqArray(toString(ent_profile))) AS profiles
  FROM ${TABLES.spaceDaily}
  WHERE ${where}
  GROUP BY space_id
)`;
}

export async function collaboration(w: Warehouse, input: CollaborationInput): Promise<CollaborationOutput> {
  const { k } = input;
  const wanted = input.filter.services?.length
    ? COLLABORATIVE_SERVICES.filter((s) => input.filter.services?.includes(s))
    : [...COLLABORATIVE_SERVICES];
  const filter = { ...input.filter, services: wanted.length ? wanted : ['-'] };
  const where = whereOf(input.filter, { dateColumn: 'day', territoryOnly: true });
  // The visits and the spaces are read from different tables, side by side.
  const [cells, [s]] = await Promise.all([
    visitCells(w, filter, [[], ['service'], ['profile'], ['week']]),
    queryRows<Record<'spaces' | 'multi' | 'teacher_only' | 'pupil_only' | 'contributors', string>>(
      w.client,
      spacesSql(where.sql),
      where.params,
    ),
  ]);
  const spaces = Number(s?.spaces ?? 0);
  const suppressed = isSuppressed(Number(s?.contributors ?? 0), k);
  const teacherOnly = Number(s?.teacher_only ?? 0);
  const pupilOnly = Number(s?.pupil_only ?? 0);
  return {
    total: totalOf(cells, 0, k),
    byService: serviceBreakdown(cells, 1, k),
    byProfile: profileBreakdown(cells, 2, k),
    trend: trendOf(cells, 3, periodsOf(input.filter.from, input.filter.to, 'week'), k),
    spaces: suppressed
      ? { spaces: null, multiEstablishment: null, teacherOnly: null, pupilOnly: null, mixed: null, suppressed }
      : {
          spaces,
          multiEstablishment: Number(s?.multi ?? 0),
          teacherOnly,
          pupilOnly,
          mixed: spaces - teacherOnly - pupilOnly,
          suppressed,
        },
  };
}
