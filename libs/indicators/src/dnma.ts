import { TABLES, type QueryParams, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { DEVICE_LABELS, PROFILE_LABELS, SERVICE_LABELS, type EntService } from '@ent-observatory/xapi';
import type { AdoptionOutput } from './adoption.js';
import type { DeviceFigures, Figures, Granularity, PeriodFigures, ProfileFigures, ServiceFigures } from './figures.js';
import { periodsOf } from './figures.js';
import type { DeviceValue, IndicatorFilter, ProfileKey } from './filter.js';
import { DIMENSIONS } from './visits.js';

/**
 * `source: DNMA`: the same adoption figures read from the imported national open data (`dnma_weekly`, filled by
 * `npm run cli -- dnma:import`, migration 030) instead of our statements, so a dashboard shows the ministry's
 * published figures beside ours.
 *
 * How to read them:
 * - Only visits: DNMA's `utilisateurs_*` are distinct users per UAI and week and cannot be added over weeks or
 *   establishments, and `duree_*` is undocumented, so `users` and `durationSeconds` are null. DNMA figures are
 *   published already: nothing is suppressed.
 * - Weeks, not days: a DNMA week counts when its Monday (`debutsemaine`) is in [Monday of `from`, `to`].
 * - The total is DNMA's own all-users column (`visites_globales`), never the sum of the profiles (DNMA has
 *   visits without profile). With a profile filter it is the sum of those profiles; with a device filter, the
 *   profile × device or device dataset; with a service filter, the services dataset.
 * - DNMA does not cross services with profiles or devices: byService ignores the profile and device filters, and a
 *   service filter ignores them too. Profile AUTRE, service `autre` and an unreported device have no DNMA column.
 * - Territories: codes resolved at import (from our directory by UAI, else from DNMA's labels); sector from DNMA's
 *   `secteur`; REP from our directory.
 */

const DEVICES: DeviceValue[] = ['ordinateur', 'smartphone', 'tablette', 'autre'];
const DNMA_PROFILES: ProfileKey[] = ['ELEVE', 'PARENT', 'ENSEIGNANT', 'PERSONNEL'];

/** Conditions on dnma_weekly for the filter's period, territory, scope, sector and REP (not the dimensions). */
export function dnmaWhereOf(filter: IndicatorFilter, prefix = ''): { sql: string; params: QueryParams } {
  const p = prefix;
  const conditions = [`week BETWEEN toMonday({${p}from:Date}) AND {${p}to:Date}`];
  const params: QueryParams = { [`${p}from`]: filter.from, [`${p}to`]: filter.to };
  for (const field of ['region', 'academie', 'departement', 'uai'] as const) {
    const value = filter[field];
    if (value !== undefined) {
      conditions.push(`${field} = {${p}${field}:String}`);
      params[`${p}${field}`] = value;
    }
  }
  if (filter.scope) {
    conditions.push(`(academie IN {${p}scopeAcademies:Array(String)} OR uai IN {${p}scopeUais:Array(String)})`);
    params[`${p}scopeAcademies`] = filter.scope.academies;
    params[`${p}scopeUais`] = filter.scope.uais;
  }
  if (filter.sector !== undefined) {
    conditions.push(`secteur = {${p}secteur:String}`);
    params[`${p}secteur`] = filter.sector === 'public' ? 'PU' : 'PR';
  }
  if (filter.reps?.length) {
    conditions.push(
      `uai IN (SELECT uai FROM ${TABLES.directoryEstablishments} FINAL WHERE rep IN {${p}reps:Array(String)})`,
    );
    params[`${p}reps`] = filter.reps;
  }
  return { sql: conditions.join(' AND '), params };
}

/** Which dataset and cells carry the filter's total (see the module comment). */
function totalCondition(filter: IndicatorFilter): { sql: string; params: QueryParams } {
  const profiles = filter.profiles?.filter((x) => x !== 'AUTRE') ?? [];
  const devices = filter.devices?.filter((x) => x !== '') ?? [];
  if (filter.services?.length) {
    const services = filter.services.filter((x) => x !== 'autre');
    return { sql: `dataset = 'services' AND service IN {tServices:Array(String)}`, params: { tServices: services } };
  }
  if (filter.profiles?.length && filter.devices?.length) {
    return {
      sql: `dataset = 'profils-appareils' AND profile IN {tProfiles:Array(String)} AND device IN {tDevices:Array(String)}`,
      params: { tProfiles: profiles, tDevices: devices },
    };
  }
  if (filter.devices?.length) {
    return {
      sql: `dataset = 'appareils' AND os = '' AND browser = '' AND device IN {tDevices:Array(String)}`,
      params: { tDevices: devices },
    };
  }
  if (filter.profiles?.length) {
    return { sql: `dataset = 'profils' AND profile IN {tProfiles:Array(String)}`, params: { tProfiles: profiles } };
  }
  return { sql: `dataset = 'profils' AND profile = ''`, params: {} };
}

const visitsOnly = (visits: number): Figures => ({ visits, users: null, durationSeconds: null, suppressed: false });

/** The adoption indicator (total and breakdowns by profile, service, device) from DNMA data. */
export async function dnmaAdoption(w: Warehouse, filter: IndicatorFilter): Promise<AdoptionOutput> {
  const where = dnmaWhereOf(filter);
  const profiles = filter.profiles?.filter((x) => x !== 'AUTRE');
  const devices = filter.devices?.filter((x) => x !== '');
  const profileIn = filter.profiles?.length ? ' AND profile IN {profiles:Array(String)}' : '';
  const deviceIn = filter.devices?.length ? ' AND device IN {devices:Array(String)}' : '';
  const byProfileRows = filter.devices?.length
    ? `dataset = 'profils-appareils'${deviceIn}${profileIn}`
    : `dataset = 'profils' AND profile != ''${profileIn}`;
  const byDeviceRows = filter.profiles?.length
    ? `dataset = 'profils-appareils'${profileIn}${deviceIn}`
    : `dataset = 'appareils' AND os = '' AND browser = '' AND device != ''${deviceIn}`;
  const serviceIn = filter.services?.length ? ' AND service IN {services:Array(String)}' : '';
  const total = totalCondition(filter);
  // A row can count in several parts (a pupils' row of profils is in the total of a profile filter and in
  // byProfile): one row per part it belongs to.
  const rows = await queryRows<{ part: string; key: string; visits: string }>(
    w.client,
    `SELECT part, multiIf(part = 'profile', toString(profile), part = 'service', toString(service),
                          part = 'device', toString(device), '') AS key, sum(visits) AS visits
       FROM (
         SELECT arrayJoin(arrayFilter(x -> x != '', [
                  if(${total.sql}, 'total', ''), if(${byProfileRows}, 'profile', ''),
                  if(dataset = 'services'${serviceIn}, 'service', ''), if(${byDeviceRows}, 'device', '')])) AS part,
                profile, service, device, visits
           FROM ${TABLES.dnmaWeekly}
          WHERE ${where.sql})
      GROUP BY part, key`,
    {
      ...where.params,
      ...total.params,
      ...(filter.devices?.length ? { devices } : {}),
      ...(filter.profiles?.length ? { profiles } : {}),
      ...(filter.services?.length ? { services: filter.services } : {}),
    },
  );
  const of = (part: string) => new Map(rows.filter((r) => r.part === part).map((r) => [r.key, Number(r.visits)]));
  const totalVisits = [...of('total').values()].reduce((a, b) => a + b, 0);
  const byProfile = of('profile');
  const byService = of('service');
  const byDevice = of('device');
  const deviceTotal = [...byDevice.values()].reduce((a, b) => a + b, 0);
  return {
    ...visitsOnly(totalVisits),
    byProfile: DNMA_PROFILES.map((profile): ProfileFigures => ({
      profile,
      label: PROFILE_LABELS[profile],
      ...visitsOnly(byProfile.get(profile) ?? 0),
    })),
    byService: [...byService.entries()]
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([service, visits]): ServiceFigures => ({
        service,
        label: SERVICE_LABELS[service as EntService] ?? service,
        ...visitsOnly(visits),
      })),
    byDevice: DEVICES.map((device): DeviceFigures => {
      const visits = byDevice.get(device) ?? 0;
      return {
        device,
        label: DEVICE_LABELS[device as Exclude<DeviceValue, ''>],
        share: deviceTotal > 0 ? visits / deviceTotal : null,
        ...visitsOnly(visits),
      };
    }),
  };
}

/** Visits per week, month or school year (a DNMA week belongs to the period of its Monday), empty periods at 0. */
export async function dnmaTrend(
  w: Warehouse,
  filter: IndicatorFilter,
  granularity: Granularity,
): Promise<PeriodFigures[]> {
  const where = dnmaWhereOf(filter);
  const total = totalCondition(filter);
  const period = DIMENSIONS[granularity].replace(/\bday\b/g, 'week');
  const rows = await queryRows<{ period: string; visits: string }>(
    w.client,
    `SELECT toString(${period}) AS period, sum(visits) AS visits
       FROM ${TABLES.dnmaWeekly}
      WHERE ${where.sql} AND ${total.sql}
      GROUP BY period`,
    { ...where.params, ...total.params },
  );
  const byPeriod = new Map(rows.map((r) => [r.period, Number(r.visits)]));
  return periodsOf(filter.from, filter.to, granularity).map((p) => ({
    period: p,
    ...visitsOnly(byPeriod.get(p) ?? 0),
  }));
}

/** Whether any DNMA data is loaded: a DNMA query on an empty table is a mistake worth saying so. */
export async function dnmaLoaded(w: Warehouse): Promise<boolean> {
  const [row] = await queryRows<{ n: string }>(
    w.client,
    `SELECT count() AS n FROM (SELECT 1 FROM ${TABLES.dnmaWeekly} LIMIT 1)`,
  );
  return Number(row?.n ?? 0) > 0;
}

/** DNMA visits per territory of one level (codes resolved at import; '' = not resolved), under the filter. */
export async function dnmaVisitsBy(
  w: Warehouse,
  filter: IndicatorFilter,
  dim: 'region' | 'academie' | 'departement' | 'uai',
): Promise<Map<string, number>> {
  const where = dnmaWhereOf(filter);
  const total = totalCondition(filter);
  const rows = await queryRows<{ key: string; visits: string }>(
    w.client,
    `SELECT toString(${DIMENSIONS[dim]}) AS key, sum(visits) AS visits
       FROM ${TABLES.dnmaWeekly}
      WHERE ${where.sql} AND ${total.sql}
      GROUP BY key`,
    { ...where.params, ...total.params },
  );
  return new Map(rows.map((r) => [r.key, Number(r.visits)]));
}
