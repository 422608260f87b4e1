import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { type IndicatorFilter, addDays, daysBetween, previousPeriodOf, whereOf } from './filter.js';

/**
 * What makes two periods comparable. A period is compared with the one just before it that holds as many school
 * days (weekdays that are neither a public holiday nor a school holiday in every zone): 1 September → 29 November
 * against the same number of calendar days before would compare a term with the summer holidays. The comparison is
 * still not meaningful when the observatory did not measure the previous period as it measures this one: its data
 * start after the previous period does, or fewer establishments were measured in it.
 */
export interface SchoolDays {
  isSchoolDay(day: string): boolean;
}

/** How many of the current period's measured establishments the previous period must have measured too. */
const MEASURED_SHARE = 0.9;
/** Longest walk back for the previous period (a year and a half covers any period with school days). */
const MAX_DAYS_BACK = 550;

/** The period ending the day before `from` with as many school days as [from, to] (else the same day count). */
export function previousSchoolPeriodOf(filter: IndicatorFilter, days?: SchoolDays): IndicatorFilter {
  if (!days) return previousPeriodOf(filter);
  let wanted = 0;
  for (let i = 0; i <= daysBetween(filter.from, filter.to); i++) {
    if (days.isSchoolDay(addDays(filter.from, i))) wanted++;
  }
  if (wanted === 0) return previousPeriodOf(filter);
  const to = addDays(filter.from, -1);
  let from = to;
  let found = 0;
  for (let i = 0; i < MAX_DAYS_BACK && found < wanted; i++) {
    from = addDays(to, -i);
    if (days.isSchoolDay(from)) found++;
  }
  return { ...filter, from, to };
}

export interface Comparability {
  comparable: boolean;
  /** Why not, in French for the reader; null when comparable. */
  note: string | null;
}

/**
 * The first day of measured activity in the territory, and the establishments measured in each period, from the
 * days each establishment was measured (visit_establishment_days, migration 059: no person rows read): one row per
 * establishment first (its first day, whether it has a day in each period), then counted.
 */
export function coverageSql(territory: string): string {
  return `SELECT if(count() = 0, '', toString(min(first_day))) AS first, countIf(in_current) AS current,
  countIf(in_previous) AS previous
FROM (
  SELECT uai, min(day) AS first_day, max(day BETWEEN {cur_from:Date} AND {cur_to:Date}) AS in_current,
    max(day BETWEEN {prev_from:Date} AND {prev_to:Date}) AS in_previous
  FROM ${TABLES.visitEstablishmentDays}
  WHERE day <= {cur_to:Date} AND ${territory}
  GROUP BY uai
)`;
}

export async function comparability(
  w: Warehouse,
  current: IndicatorFilter,
  previous: IndicatorFilter,
): Promise<Comparability> {
  const territory = whereOf(current, { territoryOnly: true });
  const [row] = await queryRows<{ first: string; current: string; previous: string }>(
    w.client,
    coverageSql(territory.sql),
    {
      ...territory.params,
      cur_from: current.from,
      cur_to: current.to,
      prev_from: previous.from,
      prev_to: previous.to,
    },
  );
  const first = row?.first ?? '';
  const [now, before] = [Number(row?.current ?? 0), Number(row?.previous ?? 0)];
  if (first === '' || first > previous.from) {
    return {
      comparable: false,
      note: first
        ? `la période précédente (${frenchDay(previous.from)} – ${frenchDay(previous.to)}) n’est mesurée qu’à partir du ${frenchDay(first)}`
        : 'aucune activité mesurée',
    };
  }
  if (before < now * MEASURED_SHARE) {
    return {
      comparable: false,
      note: `${before} établissements mesurés sur la période précédente contre ${now} sur celle-ci`,
    };
  }
  return { comparable: true, note: null };
}

const FRENCH_DAY = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

function frenchDay(day: string): string {
  return FRENCH_DAY.format(new Date(`${day}T00:00:00Z`));
}

/**
 * The last day with measured activity of an establishment anywhere, '' when none: a period is not shown past the
 * data. Statements without an establishment (the training space's own, a test statement) do not extend it.
 */
export async function lastMeasuredDay(w: Warehouse): Promise<string> {
  const [row] = await queryRows<{ last: string }>(
    w.client,
    `SELECT if(count() = 0, '', toString(max(period))) AS last FROM ${TABLES.visitCube}
     WHERE level = 'dept_total' AND grain = 'day' AND departement != ''`,
    {},
  );
  return row?.last ?? '';
}
