import type { QueryParams } from '@ent-observatory/warehouse';
import { type IndicatorFilter, whereOf } from './filter.js';
import { ADOPTION_BREAKDOWNS } from './adoption.js';
import { cm2To6eSql, twoPlatformsSql } from './continuity.js';
import { spacesSql } from './collaboration.js';
import {
  measuredWhere,
  penetrationActivitySql,
  penetrationActivityWhere,
  penetrationDirectorySql,
  type PenetrationDimension,
} from './penetration.js';
import { heatmapSql, offKeysOf, timeFiguresSql, timeSlotsSql } from './time.js';
import { type Breakdown, DIMENSIONS, type DimensionName, exactVisitCellsSql, visitCellsSql } from './visits.js';

/** Each grouping alone, and several at once (GROUPING SETS) as equity asks them, with the whole filter among them. */
const PENETRATION_GROUPINGS: readonly (readonly PenetrationDimension[])[] = [
  ...(['region', 'academie', 'departement', 'uai', 'sector', 'rep', null] as const).map((d) => [d]),
  ['rep', 'sector', 'departement', 'uai'],
  [null, 'region', 'uai'],
];

export interface CatalogueEntry {
  name: string;
  sql: string;
  params: QueryParams;
}

/**
 * Every SQL text the indicators run, with parameters for a filter using every restriction: tests run EXPLAIN on
 * each (a wrong column or type fails without data) and the benchmark times them.
 */
export function indicatorSqlCatalogue(filter: IndicatorFilter): CatalogueEntry[] {
  const day = whereOf(filter, { dateColumn: 'day' });
  const dayTerritory = whereOf(filter, { dateColumn: 'day', territoryOnly: true });
  const territory = whereOf(filter, { territoryOnly: true });
  const all = Object.keys(DIMENSIONS) as DimensionName[];
  const week = whereOf(filter, { dateColumn: 'week', territoryOnly: true });
  const visits = (name: string, b: readonly Breakdown[]) => ({ name, ...visitCellsSql(filter, b) });
  const exact = (name: string, b: readonly Breakdown[]) => ({
    name,
    sql: exactVisitCellsSql(b, day.sql),
    params: day.params,
  });
  const cubeDims = all.filter((d) => d !== 'platform' && d !== 'level');
  const { services: _s, devices: _d, ...withoutServices } = filter;
  const starts = whereOf(withoutServices, {});
  return [
    visits('adoption', ADOPTION_BREAKDOWNS),
    visits('trend', [['week'], ['month'], ['school_year']]),
    visits('services-mix', [[], ['service'], ['profile', 'service'], ['week'], ['week', 'service']]),
    visits('devices-mix', [[], ['device'], ['profile', 'device'], ['profile'], ['week', 'device']]),
    visits(
      'every-dimension',
      cubeDims.map((d) => [d]),
    ),
    visits('month-without-services', [[], ['month'], ['profile', 'device']]),
    exact(
      'exact-every-dimension',
      all.map((d) => [d]),
    ),
    ...PENETRATION_GROUPINGS.flatMap((dims) => {
      const name = `penetration-${dims.map((d) => d ?? 'total').join('-')}`;
      const measured = measuredWhere(filter);
      const activity = penetrationActivityWhere(filter);
      return [
        {
          name: `${name}-directory`,
          sql: penetrationDirectorySql(dims, territory.sql, measured.sql),
          params: { ...territory.params, ...measured.params },
        },
        ...[false, true].map((withActivity) => ({
          name: `${name}-activity${withActivity ? '-visits' : ''}`,
          sql: penetrationActivitySql(dims, activity.sql, withActivity),
          params: activity.params,
        })),
      ];
    }),
    {
      name: 'heatmap',
      sql: heatmapSql(`day BETWEEN {from:Date} AND {to:Date} AND ${starts.sql}`),
      params: { ...starts.params, from: filter.from, to: filter.to },
    },
    { name: 'heatmap-exact', sql: heatmapSql(day.sql, 'exact'), params: day.params },
    {
      name: 'time-slots',
      sql: timeSlotsSql(`day BETWEEN {from:Date} AND {to:Date} AND ${starts.sql}`),
      params: { ...starts.params, from: filter.from, to: filter.to, off_days: [`14|${filter.from}`] },
    },
    {
      name: 'time-slots-numeric-off-days',
      sql: timeSlotsSql(`day BETWEEN {from:Date} AND {to:Date} AND ${starts.sql}`, 'person', true),
      params: { ...starts.params, from: filter.from, to: filter.to, off_keys: offKeysOf([`14|${filter.from}`]) },
    },
    {
      name: 'time-figures',
      sql: timeFiguresSql(`day BETWEEN {from:Date} AND {to:Date} AND ${starts.sql}`, true),
      params: { ...starts.params, from: filter.from, to: filter.to, off_keys: offKeysOf([`14|${filter.from}`]) },
    },
    {
      name: 'time-slots-exact',
      sql: timeSlotsSql(day.sql, 'exact'),
      params: { ...day.params, off_days: [`14|${filter.from}`] },
    },
    {
      name: 'cm2-to-6e',
      sql: cm2To6eSql(territory.sql),
      params: {
        ...territory.params,
        from: filter.from,
        to: filter.to,
        prev_from: '2024-08-01',
        prev_to: '2025-07-31',
        schools: ['0350001A'],
        colleges: ['0350002B'],
      },
    },
    { name: 'two-platforms', sql: twoPlatformsSql(week.sql), params: week.params },
    { name: 'spaces', sql: spacesSql(dayTerritory.sql), params: dayTerritory.params },
  ];
}
