import {
  type HolidayZone,
  type SchoolCalendar,
  dayNumber,
  isoDay,
  loadSchoolCalendar,
  parisOffsetMinutes,
} from '@ent-observatory/directory';
import { type DnmaService, ENT_PROFILES, type EntProfile } from '@ent-observatory/xapi';
import { type Person, Population, type PopulationOptions, type SimEstablishment } from './population.js';
import { driftCsv, rosterCsv } from './roster.js';
import { AliasTable, Rng, pickWeighted } from './prng.js';
import { emptyStats, type SimulationStats } from './stats.js';
import {
  type LineSink,
  type PersonJson,
  type PlatformInfo,
  StringLineSink,
  TimestampFormatter,
  personJson,
  platformInfo,
} from './statements.js';
import {
  DEVICE_KNOWN,
  DEVICE_MIX,
  DNMA_TARGETS,
  HOURS,
  RELATIVE_WEEKLY_VISITS,
  type Stage,
  serviceMix,
} from './targets.js';
import { VisitWriter } from './visit.js';
import type { World } from './world.js';

export interface SimulationOptions extends Partial<PopulationOptions> {
  /** First and last simulated day (Europe/Paris calendar days, YYYY-MM-DD, inclusive). */
  from: string;
  to: string;
  seed: number;
  scale?: number;
  /** Visits per establishment-week at scale 1 in school weeks (DNMA 2025-26: 440). */
  visitsPerEstablishmentWeek?: number;
  calendar?: SchoolCalendar;
}

/** One simulated day, after its statements went to the sink. */
export interface SimulatedDay {
  day: string;
  statements: number;
  /** Days done and total, for a progress bar. */
  done: number;
  total: number;
}

type DayKind = 'school' | 'wednesday' | 'weekend' | 'holiday' | 'holidayWeekend' | 'summer' | 'closed';
type Factors = Record<DayKind, number>;

/**
 * Activity on each kind of day relative to an ordinary school day. Weekends and holidays keep some activity
 * (homework on Sunday evenings, parents checking messages); summer almost none; Christmas and New Year's Day
 * ('closed') a trace.
 */
const DAY_FACTORS: Record<EntProfile, Record<Stage, Factors>> = {
  ELEVE: stageFactors(
    { school: 1, wednesday: 0.8, weekend: 0.45, holiday: 0.12, holidayWeekend: 0.08, summer: 0.01, closed: 0.01 },
    0.5,
  ),
  PARENT: stageFactors(
    { school: 1, wednesday: 0.85, weekend: 0.5, holiday: 0.12, holidayWeekend: 0.08, summer: 0.015, closed: 0.01 },
    0.8,
  ),
  ENSEIGNANT: stageFactors(
    { school: 1, wednesday: 0.8, weekend: 0.35, holiday: 0.2, holidayWeekend: 0.1, summer: 0.03, closed: 0.01 },
    0.6,
  ),
  PERSONNEL: stageFactors(
    { school: 1, wednesday: 0.9, weekend: 0.03, holiday: 0.15, holidayWeekend: 0.01, summer: 0.04, closed: 0 },
    0.7,
  ),
};

function stageFactors(f: Factors, primaryWednesday: number): Record<Stage, Factors> {
  return { primaire: { ...f, wednesday: primaryWednesday }, college: f, lycee: f };
}

/** Primary pupils by level: maternelle pupils do not use the ENT, CM1–CM2 pupils most. */
const PUPIL_LEVEL_FACTOR: Record<string, number> = {
  PS: 0,
  MS: 0,
  GS: 0,
  CP: 0.3,
  CE1: 0.4,
  CE2: 0.7,
  CM1: 1.5,
  CM2: 1.9,
  ULIS: 0.6,
};

const DEFAULTS: PopulationOptions = {
  scale: 0.1,
  repEffect: 0.25,
  dormantShare: 0.08,
  driftShare: 0.06,
  moverShare: 0.02,
};

/**
 * The simulation, day by day (a generator, so a consumer can write or post each day before the next is made).
 * Deterministic for a seed: every draw comes from seeded generators, days and establishments are visited in a
 * fixed order, no clock is read.
 */
export class Simulation {
  readonly stats: SimulationStats = emptyStats();
  readonly population: Population;
  private readonly options: PopulationOptions & { visitsPerEstablishmentWeek: number };
  private readonly calendar: SchoolCalendar;
  private readonly rng: Rng;
  private readonly platforms = new Map<string, PlatformInfo>();
  private readonly zones = new Map<string, HolidayZone>();
  private readonly services: Record<EntProfile, { names: DnmaService[]; table: AliasTable }>;
  private readonly hours: Record<EntProfile, { school: AliasTable; off: AliasTable }>;
  private readonly visits: VisitWriter;
  /** Per establishment and profile: who visits (alias over weights) and the expected visits on a school day. */
  private readonly pickers = new Map<
    SimEstablishment,
    Record<EntProfile, { people: Person[]; table: AliasTable; daily: number }>
  >();
  private readonly first: number;
  private readonly last: number;
  /** Per establishment: pupil visits made to hand homework in, not yet taken off the other pupil visits. */
  private readonly handInDebt = new Map<SimEstablishment, number>();

  constructor(world: World, options: SimulationOptions) {
    this.options = {
      ...DEFAULTS,
      visitsPerEstablishmentWeek: DNMA_TARGETS.visitsPerEstablishmentWeek,
      ...definedOnly(options),
    };
    if (!(this.options.scale > 0)) throw new RangeError(`scale must be a positive number, got ${options.scale}`);
    this.calendar = options.calendar ?? loadSchoolCalendar();
    this.first = dayNumber(options.from);
    this.last = dayNumber(options.to);
    if (this.last < this.first) throw new RangeError(`--to ${options.to} is before --from ${options.from}`);
    // Fail now, naming the missing school year, rather than halfway through.
    this.calendar.isSchoolDay('A', this.first);
    this.calendar.isSchoolDay('A', this.last);
    this.rng = new Rng(options.seed, 2);
    this.population = new Population(world, this.options, options.seed);
    for (const p of world.platforms) this.platforms.set(p.id, platformInfo(p.id, p.homepage.replace(/\/+$/, '')));
    this.platforms.set('', platformInfo('ent-generique', 'https://ent.example.fr'));
    this.services = Object.fromEntries(
      ENT_PROFILES.map((p) => {
        const mix = serviceMix(p);
        return [p, { names: mix.map(([s]) => s), table: new AliasTable(mix.map(([, w]) => w)) }];
      }),
    ) as Simulation['services'];
    this.hours = Object.fromEntries(
      ENT_PROFILES.map((p) => [p, { school: new AliasTable(HOURS[p].school), off: new AliasTable(HOURS[p].off) }]),
    ) as Simulation['hours'];
    this.visits = new VisitWriter(this.rng, this.stats, new TimestampFormatter());
  }

  /**
   * Simulates each day in order, giving every statement (an NDJSON line: a LineSink gets it in pieces, a function as
   * one newline-terminated string) to `sink` as it is made,
   * and yields after each day so that an asynchronous consumer (HTTP posts) can catch up.
   */
  *days(sink: LineSink | ((line: string) => void)): Generator<SimulatedDay> {
    const total = this.last - this.first + 1;
    this.visits.out = typeof sink === 'function' ? new StringLineSink(sink) : sink;
    for (let d = this.first; d <= this.last; d++) {
      const year = this.calendar.schoolYearOf(d);
      if (year !== this.population.schoolYear) this.newSchoolYear(year);
      const before = this.visits.count;
      this.simulateDay(d);
      const statements = this.visits.count - before;
      this.stats.statements += statements;
      yield { day: isoDay(d), statements, done: d - this.first + 1, total };
    }
  }

  /** Simulates every day synchronously (files, tests). */
  run(sink: LineSink | ((line: string) => void)): SimulationStats {
    for (const day of this.days(sink)) void day;
    return this.stats;
  }

  private newSchoolYear(year: string): void {
    const start = dayNumber(`${year.slice(0, 4)}-09-01`);
    const end = dayNumber(`${year.slice(5, 9)}-07-04`);
    if (this.population.schoolYear === '') this.population.start(year, start, end);
    else this.population.advance(year, start, end);
    this.calibrate();
    for (const e of this.population.establishments) {
      for (const p of e.pupils)
        this.stats.placements.push({
          person: p.personId,
          schoolYear: year,
          uai: e.facts.uai,
          level: p.level,
          platform: this.platformOf(e).id,
        });
    }
  }

  /**
   * Per-profile multipliers so that, in expectation over a school week, profile shares are DNMA's and the average
   * establishment has visitsPerEstablishmentWeek × scale visits; the relative rates keep the differences between
   * stages, establishments and people.
   */
  private calibrate(): void {
    const o = this.options;
    const raw = new Map<
      SimEstablishment,
      Record<EntProfile, { people: Person[]; weights: number[]; weekly: number }>
    >();
    const totals: Record<EntProfile, number> = { ELEVE: 0, PARENT: 0, ENSEIGNANT: 0, PERSONNEL: 0 };
    for (const e of this.population.establishments) {
      const groups = {
        ELEVE: e.pupils,
        PARENT: e.parents,
        ENSEIGNANT: e.teachers,
        PERSONNEL: e.staff,
      } satisfies Record<EntProfile, Person[]>;
      const rec = {} as Record<EntProfile, { people: Person[]; weights: number[]; weekly: number }>;
      for (const profile of ENT_PROFILES) {
        const people = groups[profile];
        const weights = people.map(
          (p) => p.weight * (profile === 'ELEVE' && e.stage === 'primaire' ? (PUPIL_LEVEL_FACTOR[p.level] ?? 1) : 1),
        );
        const weekly = weights.reduce((a, b) => a + b, 0) * RELATIVE_WEEKLY_VISITS[profile][e.stage] * e.usage;
        totals[profile] += weekly;
        rec[profile] = { people, weights, weekly };
      }
      raw.set(e, rec);
    }
    const target = o.visitsPerEstablishmentWeek * o.scale * this.population.establishments.length;
    this.pickers.clear();
    for (const [e, rec] of raw) {
      const out = {} as Record<EntProfile, { people: Person[]; table: AliasTable; daily: number }>;
      for (const profile of ENT_PROFILES) {
        const k = totals[profile] > 0 ? (DNMA_TARGETS.profileShares[profile] * target) / totals[profile] : 0;
        const f = DAY_FACTORS[profile][e.stage];
        const weekEquivalent = 4 + f.wednesday + 2 * f.weekend;
        out[profile] = {
          people: rec[profile].people,
          table: new AliasTable(rec[profile].weights),
          daily: (rec[profile].weekly * k) / weekEquivalent,
        };
      }
      this.pickers.set(e, out);
    }
  }

  private simulateDay(d: number): void {
    const kinds = new Map<HolidayZone, DayKind>();
    const midnightUtc = d * 86_400_000 - parisOffsetMinutes(d * 86_400_000 + 43_200_000) * 60_000;
    for (const e of this.population.establishments) {
      const zone = this.zoneOf(e);
      let kind = kinds.get(zone);
      if (kind === undefined) kinds.set(zone, (kind = this.dayKind(zone, d)));
      const platform = this.platformOf(e);
      const picker = this.pickers.get(e)!;
      for (const profile of ENT_PROFILES) {
        const { people, table, daily } = picker[profile];
        if (people.length === 0) continue;
        const n = this.rng.poisson(daily * DAY_FACTORS[profile][e.stage][kind]);
        const school = kind === 'school' || kind === 'wednesday';
        for (let i = 0; i < n; i++) {
          const person = people[table.pick(this.rng)]!;
          // Pupils who drift away: a sixth of their former activity.
          if (person.driftDay >= 0 && d >= person.driftDay && !this.rng.chance(0.15)) continue;
          // The establishment's pupils already came to hand homework in: those visits stand for these ones.
          const debt = this.handInDebt.get(e) ?? 0;
          if (profile === 'ELEVE' && debt > 0) {
            this.handInDebt.set(e, debt - 1);
            continue;
          }
          const hour = (school ? this.hours[profile].school : this.hours[profile].off).pick(this.rng);
          const start = midnightUtc + hour * 3_600_000 + this.rng.int(3_600_000);
          this.visit(e, platform, person, start, d);
        }
      }
      if (kind === 'school' || kind === 'wednesday')
        this.visits.schoolWork(e, platform, midnightUtc, d, this.jsonOf.bind(this, e, platform), e.stage);
    }
    this.handInVisits(d, midnightUtc);
  }

  /**
   * Pupils who planned to hand homework in today and still have it pending come to the cahier de textes in the
   * evening (once, whatever how many pieces). Their establishment's other pupil visits to come are cut by as many,
   * so that the pupils' visits stay DNMA's: homework moves visits to the pupils who do it, it does not add any.
   * Nobody comes on a closed day (Christmas, summer): the plan moves to the next day.
   */
  private handInVisits(d: number, midnightUtc: number): void {
    const seen = new Set<Person>();
    for (const plan of this.visits.takeHandIns(d)) {
      const { e, platform, p } = plan;
      const kind = this.dayKind(this.zoneOf(e), d);
      if (kind === 'closed' || kind === 'summer') {
        this.visits.handInOn(d + 1, plan);
        continue;
      }
      if (seen.has(p) || !this.visits.hasPendingHomework(p, midnightUtc + 24 * 3_600_000)) continue;
      seen.add(p);
      const start = midnightUtc + (17 + this.rng.int(5)) * 3_600_000 + this.rng.int(3_600_000);
      this.visit(e, platform, p, start, d, ['cahier_textes']);
      this.handInDebt.set(e, (this.handInDebt.get(e) ?? 0) + 1);
    }
  }

  private visit(
    e: SimEstablishment,
    platform: PlatformInfo,
    person: Person,
    start: number,
    d: number,
    first: DnmaService[] = [],
  ): void {
    const profile = person.profile;
    const mix = DEVICE_MIX[profile][e.stage];
    const device = this.rng.chance(DEVICE_KNOWN[profile])
      ? this.rng.chance(0.75)
        ? person.device
        : pickWeighted(this.rng, mix)
      : '';
    const { names, table } = this.services[profile];
    const count = 1 + (this.rng.chance(0.45) ? 1 : 0) + (this.rng.chance(0.15) ? 1 : 0);
    const services: DnmaService[] = [...first];
    if (
      services.length === 0 &&
      profile === 'ELEVE' &&
      this.visits.hasPendingHomework(person, start) &&
      this.rng.chance(0.6)
    )
      services.push('cahier_textes');
    while (services.length < count) {
      const s = names[table.pick(this.rng)]!;
      if (!services.includes(s)) services.push(s);
    }
    this.visits.write(e, platform, person, this.jsonOf(e, platform, person), start, device, services, d);
  }

  private jsonOf(e: SimEstablishment, platform: PlatformInfo, person: Person): PersonJson {
    if (person.jsonYear !== this.population.schoolYear || person.json === null) {
      person.json = personJson(person, e, platform);
      person.jsonYear = this.population.schoolYear;
    }
    return person.json;
  }

  /** The rosters of the last simulated school year, with names and ENT identities (roster.ts). */
  rosterCsv(): string {
    return rosterCsv(this.population, (e) => this.platformOf(e));
  }

  /** Who drifted away and when: the ground truth of the alert benchmark (roster.ts). */
  driftCsv(): string {
    return driftCsv(this.population);
  }

  private zoneOf(e: SimEstablishment): HolidayZone {
    let z = this.zones.get(e.facts.academie);
    if (!z) this.zones.set(e.facts.academie, (z = this.calendar.zoneOfAcademie(e.facts.academie) ?? 'B'));
    return z;
  }

  private platformOf(e: SimEstablishment): PlatformInfo {
    return this.platforms.get(e.facts.platform) ?? this.platforms.get('')!;
  }

  private dayKind(zone: HolidayZone, d: number): DayKind {
    const date = isoDay(d);
    if (date.endsWith('-12-25') || date.endsWith('-01-01')) return 'closed';
    const weekday = (d + 4) % 7;
    const weekend = weekday === 0 || weekday === 6;
    if (this.calendar.isSchoolDay(zone, d)) return weekday === 3 ? 'wednesday' : 'school';
    const month = date.slice(5, 7);
    if (this.calendar.isSchoolHoliday(zone, d) && (month === '07' || month === '08')) return 'summer';
    if (this.calendar.isSchoolHoliday(zone, d) || this.calendar.isPublicHoliday(d))
      return weekend ? 'holidayWeekend' : 'holiday';
    return 'weekend';
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
