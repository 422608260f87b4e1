// The nine dashboard views on the chdb side, as functions of an observatory filter ({ from, to, uai? }) with the view
// cache out of the way. Each composes the libs/indicators calls its GraphQL view resolver makes (docs/observatory-api.md),
// in parallel as the resolver does, national scope, K_ANONYMITY 5.
import { loadSchoolCalendar } from '@ent-observatory/directory';
import {
  adoption,
  adoptionComparison,
  adoptionTrend,
  collaboration,
  continuity,
  devicesMix,
  equity,
  offDaysOf,
  parents,
  penetration,
  penetrationBy,
  servicesMix,
  timeOfUse,
} from '@ent-observatory/indicators';

const K = 5;

export async function observatoryViews(warehouse, store) {
  const calendar = loadSchoolCalendar();
  const academies = (await store.query('SELECT code, holiday_zone AS zone FROM academies')).map((a) => ({
    code: a.code,
    zone: a.zone,
  }));
  const sector = await store.query('SELECT school_uai, college_uai FROM sector_colleges ORDER BY 1, 2');
  const sectorColleges = { schools: sector.map((r) => r.school_uai), colleges: sector.map((r) => r.college_uai) };
  const w = warehouse;
  const base = (filter) => ({ filter, k: K });
  return {
    overview: async (filter) => {
      const [current, comparison, trend, pen] = await Promise.all([
        adoption(w, base(filter)),
        adoptionComparison(w, base(filter)),
        adoptionTrend(w, { ...base(filter), granularity: 'week' }),
        penetration(w, base(filter)),
      ]);
      return { current, ...comparison, trend, penetration: pen };
    },
    territory: async (filter) => {
      const [rows, cells] = await Promise.all([penetrationBy(w, filter, 'region'), adoption(w, base(filter))]);
      return { rows, total: cells };
    },
    establishment: async (filter) => {
      const [current, comparison, time, pen] = await Promise.all([
        adoption(w, base(filter)),
        adoptionComparison(w, base(filter)),
        timeOfUse(w, { ...base(filter), offDays: offDaysOf(calendar, academies, filter.from, filter.to) }),
        penetration(w, base(filter)),
      ]);
      return { current, ...comparison, time, penetration: pen };
    },
    services: (filter) => servicesMix(w, base(filter)),
    devices: (filter) => devicesMix(w, base(filter)),
    equity: (filter) => equity(w, base(filter)),
    continuity: (filter) => continuity(w, { ...base(filter), sectorColleges }),
    collaboration: (filter) => collaboration(w, base(filter)),
    parents: (filter) => parents(w, base(filter)),
  };
}
