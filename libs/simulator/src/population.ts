import type { EntDevice, EntProfile } from '@ent-observatory/xapi';
import { Rng, pickWeighted } from './prng.js';
import type { PersonJson } from './statements.js';
import { DEVICE_MIX, type Stage } from './targets.js';
import type { World, WorldEstablishment } from './world.js';

/** One simulated person. Numbers rather than nested objects where the generator reads them millions of times. */
export interface Person {
  /** Stable number of the person (never reused), the basis of their ids. */
  n: number;
  profile: EntProfile;
  /** Stable cross-platform id (the profile's `person` extension): the same pupil in every ENT and school year. */
  personId: string;
  /** Persistent activity propensity (median 1). */
  weight: number;
  device: EntDevice;
  /** Pupils: level, class, persistent ability (standard normal), the day they drift away (-1 = never). */
  level: string;
  cls: SchoolClass | null;
  ability: number;
  driftDay: number;
  /**
   * Pupils: persistent diligence (standard normal, correlated with ability): whether they do their homework and on
   * time, whatever how often they open the ENT for anything else.
   */
  diligence: number;
  /** Pupils: homework sequence numbers of their class already handed in (by homework seq). */
  submitted: Set<number> | null;
  /** Pupils: homework they mean to hand in (by seq): on time or late; what they will not do is absent. */
  plans: Map<number, { late: boolean }> | null;
  /** Parents: their child; pupils: their parents. */
  child: Person | null;
  parents: Person[];
  /** Statement fragments of the person for `jsonYear` (built on first use each school year). */
  json: PersonJson | null;
  jsonYear: string;
}

export interface Homework {
  id: string;
  seq: number;
  assignedMs: number;
  dueMs: number;
  /** Subject code (SUBJECTS of the profile). */
  subject: string;
}

export interface SchoolClass {
  id: string;
  level: string;
  pupils: Person[];
  teachers: Person[];
  homework: Homework[];
  homeworkSeq: number;
}

export interface Space {
  id: string;
  /** Member establishments (UAIs); more than one for the school–collège liaison spaces. */
  members: string[];
}

export interface SimEstablishment {
  facts: WorldEstablishment;
  stage: Stage;
  /** Persistent usage factor: lognormal spread, some establishments barely use the ENT, REP/REP+ effect. */
  usage: number;
  /** Initial (scaled) pupils per level: the size each new school year is topped up to. */
  target: Map<string, number>;
  pupils: Person[];
  parents: Person[];
  teachers: Person[];
  staff: Person[];
  classes: SchoolClass[];
  spaces: Space[];
}

export interface PopulationOptions {
  scale: number;
  /** Multiplier on usage in REP (REP+ gets the effect 1.6 times): 0.25 → REP ×0.75, REP+ ×0.6. */
  repEffect: number;
  /** Share of establishments that barely use the ENT (usage ×0.05). */
  dormantShare: number;
  /** Share of pupils (collège and lycée; half as many in primary) who drift away during the year. */
  driftShare: number;
  /** Share of pupils moving to another département's establishment (hence another ENT) at the year change. */
  moverShare: number;
}

const STAGE_OF: Record<string, Stage> = {
  ecole_maternelle: 'primaire',
  ecole_elementaire: 'primaire',
  ecole_primaire: 'primaire',
  college: 'college',
  erea: 'college',
  lycee: 'lycee',
  lp: 'lycee',
};

const LEVELS_OF: Record<string, string[]> = {
  ecole_maternelle: ['PS', 'MS', 'GS'],
  ecole_elementaire: ['CP', 'CE1', 'CE2', 'CM1', 'CM2'],
  ecole_primaire: ['PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2'],
  college: ['6e', '5e', '4e', '3e'],
  erea: ['6e', '5e', '4e', '3e'],
  lycee: ['2nde', '1re', 'Tle'],
  lp: ['2nde', '1re', 'Tle'],
};

/** Pupils of an establishment whose size the directory does not give (Val-de-Marne schools): typical sizes. */
const TYPICAL_PUPILS: Record<string, number> = {
  ecole_maternelle: 110,
  ecole_elementaire: 210,
  ecole_primaire: 190,
  college: 520,
  erea: 120,
  lycee: 950,
  lp: 380,
};

const NEXT_LEVEL: Record<string, string> = {
  PS: 'MS',
  MS: 'GS',
  GS: 'CP',
  CP: 'CE1',
  CE1: 'CE2',
  CE2: 'CM1',
  CM1: 'CM2',
  CM2: '6e',
  '6e': '5e',
  '5e': '4e',
  '4e': '3e',
  '3e': '2nde',
  '2nde': '1re',
  '1re': 'Tle',
  ULIS: 'ULIS',
  SEGPA: 'SEGPA',
};

const CLASS_SIZE: Record<Stage, number> = { primaire: 24, college: 26, lycee: 30 };

/** The simulated directory, its people and their moves from one school year to the next. */
export class Population {
  readonly establishments: SimEstablishment[];
  readonly byUai = new Map<string, SimEstablishment>();
  private nextPerson = 1;
  private readonly rng: Rng;
  schoolYear = '';

  constructor(
    private readonly world: World,
    private readonly options: PopulationOptions,
    seed: number,
  ) {
    this.rng = new Rng(seed, 1);
    this.establishments = world.establishments
      .filter((f) => STAGE_OF[f.type] !== undefined)
      .map((facts) => this.establishment(facts));
    for (const e of this.establishments) this.byUai.set(e.facts.uai, e);
  }

  /** Fills the first school year from the directory's enrolments. */
  start(schoolYear: string, yearStartDay: number, yearEndDay: number): void {
    this.schoolYear = schoolYear;
    for (const e of this.establishments) {
      for (const [level, count] of e.target) for (let i = 0; i < count; i++) this.newPupil(e, level);
    }
    this.organise(yearStartDay, yearEndDay);
  }

  /**
   * The school-year change: pupils move up a level; CM2 pupils go to their sector collège (school map), GS pupils
   * of a maternelle to an elementary school of their commune, 3e pupils to a lycée of the département; Tle pupils
   * leave; a few pupils move to the other département (another ENT platform, same person id). Establishments are
   * then topped up with new pupils to their size.
   */
  advance(schoolYear: string, yearStartDay: number, yearEndDay: number): void {
    this.schoolYear = schoolYear;
    const moving: { pupil: Person; to: SimEstablishment }[] = [];
    for (const e of this.establishments) {
      for (const p of e.pupils) {
        const next = NEXT_LEVEL[p.level];
        if (next === undefined) continue; // Tle: leaves school
        p.level = next;
        const to = this.rng.chance(this.options.moverShare)
          ? (this.elsewhere(e, next) ?? this.destination(e, p, next))
          : this.destination(e, p, next);
        if (to) moving.push({ pupil: p, to });
      }
      e.pupils = [];
      e.parents = [];
    }
    for (const { pupil, to } of moving) {
      to.pupils.push(pupil);
      to.parents.push(...pupil.parents);
    }
    for (const e of this.establishments) {
      const have = new Map<string, number>();
      for (const p of e.pupils) have.set(p.level, (have.get(p.level) ?? 0) + 1);
      for (const [level, count] of e.target) {
        for (let i = have.get(level) ?? 0; i < count; i++) this.newPupil(e, level);
      }
    }
    this.organise(yearStartDay, yearEndDay);
  }

  private establishment(facts: WorldEstablishment): SimEstablishment {
    const stage = STAGE_OF[facts.type]!;
    const o = this.options;
    let usage = this.rng.logNormal(0.5) / Math.exp(0.125); // mean 1
    if (this.rng.chance(o.dormantShare)) usage *= 0.05;
    if (facts.rep === 'REP') usage *= Math.max(0.05, 1 - o.repEffect);
    if (facts.rep === 'REP+') usage *= Math.max(0.05, 1 - 1.6 * o.repEffect);
    return {
      facts,
      stage,
      usage,
      target: this.targetLevels(facts),
      pupils: [],
      parents: [],
      teachers: [],
      staff: [],
      classes: [],
      spaces: [],
    };
  }

  /** Scaled pupils per level (stochastic rounding, so a small scale keeps small schools on average). */
  private targetLevels(facts: WorldEstablishment): Map<string, number> {
    const levels = LEVELS_OF[facts.type]!;
    const counts = new Map<string, number>();
    const known = Object.entries(facts.levels).filter(([, n]) => n > 0);
    if (known.length > 0) {
      for (const [level, n] of known) {
        if (level === 'PRE') for (const l of ['PS', 'MS', 'GS']) counts.set(l, (counts.get(l) ?? 0) + n / 3);
        else counts.set(level, (counts.get(level) ?? 0) + n);
      }
    } else {
      const total = facts.pupils ?? TYPICAL_PUPILS[facts.type]!;
      for (const l of levels) counts.set(l, total / levels.length);
    }
    const scaled = new Map<string, number>();
    for (const [level, n] of counts) {
      const x = n * this.options.scale;
      const k = Math.floor(x) + (this.rng.chance(x - Math.floor(x)) ? 1 : 0);
      if (k > 0) scaled.set(level, k);
    }
    return scaled;
  }

  private newPerson(profile: EntProfile, stage: Stage, weight: number): Person {
    const n = this.nextPerson++;
    return {
      n,
      profile,
      personId: `fid-${profile[0]!.toLowerCase()}${(n * 2654435761) >>> 0}`,
      weight,
      device: pickWeighted(this.rng, DEVICE_MIX[profile][stage]),
      level: '',
      cls: null,
      ability: 0,
      driftDay: -1,
      diligence: 0,
      submitted: null,
      plans: null,
      child: null,
      parents: [],
      json: null,
      jsonYear: '',
    };
  }

  private newPupil(e: SimEstablishment, level: string): void {
    const ability = this.rng.normal();
    const pupil = this.newPerson('ELEVE', e.stage, this.rng.logNormal(0.7) * Math.exp(0.35 * ability));
    pupil.level = level;
    pupil.ability = ability;
    pupil.diligence = 0.6 * ability + 0.8 * this.rng.normal();
    const parents = this.rng.chance(0.6) ? 2 : 1;
    for (let i = 0; i < parents; i++) {
      // About one parent account in six is never used.
      const parent = this.newPerson('PARENT', e.stage, this.rng.chance(0.17) ? 0 : this.rng.logNormal(0.9));
      parent.child = pupil;
      pupil.parents.push(parent);
    }
    e.pupils.push(pupil);
    e.parents.push(...pupil.parents);
  }

  /** Where a pupil goes next year: the same establishment when it teaches the level, else the next stage's. */
  private destination(e: SimEstablishment, p: Person, level: string): SimEstablishment | undefined {
    if (LEVELS_OF[e.facts.type]!.includes(level) || level === 'ULIS' || level === 'SEGPA') return e;
    if (level === '6e') {
      const sector = this.world.sectorColleges[e.facts.uai] ?? [];
      if (sector.length > 0) {
        const uai = sector[p.n % sector.length]!;
        const college = this.byUai.get(uai);
        if (college) return college;
      }
      const privateFirst = e.facts.sector === 'private' && this.rng.chance(0.7);
      return this.pickIn(e, ['college'], privateFirst ? 'private' : undefined);
    }
    if (level === 'CP') return this.pickIn(e, ['ecole_elementaire', 'ecole_primaire'], undefined, true);
    if (level === '2nde') return this.pickIn(e, ['lycee', 'lp']);
    return undefined;
  }

  /** An establishment of another département teaching the level (a family moving: another ENT platform). */
  private elsewhere(e: SimEstablishment, level: string): SimEstablishment | undefined {
    const candidates = this.establishments.filter(
      (o) => o.facts.departement !== e.facts.departement && o.target.has(level),
    );
    return candidates.length === 0 ? undefined : candidates[this.rng.int(candidates.length)];
  }

  private readonly pools = new Map<string, SimEstablishment[]>();
  private pickIn(
    e: SimEstablishment,
    types: string[],
    sector?: string,
    sameCommune = false,
  ): SimEstablishment | undefined {
    const key = `${e.facts.departement}|${types.join(',')}|${sector ?? ''}|${sameCommune ? e.facts.communeCode : ''}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = this.establishments.filter(
        (o) =>
          o.facts.departement === e.facts.departement &&
          types.includes(o.facts.type) &&
          (sector === undefined || o.facts.sector === sector) &&
          (!sameCommune || o.facts.communeCode === e.facts.communeCode),
      );
      this.pools.set(key, pool);
    }
    if (pool.length === 0) return sameCommune ? this.pickIn(e, types, sector) : undefined;
    return pool[this.rng.int(pool.length)];
  }

  /** Classes, teachers, staff, drift days and collaborative spaces of the school year. */
  private organise(yearStartDay: number, yearEndDay: number): void {
    const year = this.schoolYear;
    for (const e of this.establishments) {
      const byLevel = new Map<string, Person[]>();
      for (const p of e.pupils) {
        const list = byLevel.get(p.level) ?? [];
        list.push(p);
        byLevel.set(p.level, list);
      }
      e.classes = [];
      for (const [level, pupils] of [...byLevel].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const size = level === 'ULIS' ? 12 : level === 'SEGPA' ? 16 : CLASS_SIZE[e.stage];
        const n = Math.max(1, Math.round(pupils.length / size));
        for (let c = 0; c < n; c++) {
          const name = `${level} ${String.fromCharCode(65 + (c % 26))}${c >= 26 ? Math.floor(c / 26) : ''}`;
          e.classes.push({
            id: `${e.facts.uai}:${year}:${name}`,
            level,
            pupils: [],
            teachers: [],
            homework: [],
            homeworkSeq: 0,
          });
        }
        const classes = e.classes.slice(-n);
        pupils.forEach((p, i) => {
          const cls = classes[i % n]!;
          cls.pupils.push(p);
          p.cls = cls;
          p.submitted = new Set();
          p.plans = new Map();
          p.driftDay = this.driftDay(e.stage, yearStartDay, yearEndDay);
        });
      }
      this.staffUp(e);
      e.spaces = e.classes.filter((_, i) => i % 3 === 0).map((c) => ({ id: `${c.id}:espace`, members: [e.facts.uai] }));
    }
    // School–collège liaison spaces (cycle 3): a collège and the schools of its sector, one space per collège.
    const schoolsOf = new Map<string, string[]>();
    for (const [school, colleges] of Object.entries(this.world.sectorColleges)) {
      for (const c of colleges) schoolsOf.set(c, [...(schoolsOf.get(c) ?? []), school]);
    }
    for (const [college, schools] of schoolsOf) {
      const members = [college, ...schools.filter((s) => this.byUai.has(s))].slice(0, 12);
      const c = this.byUai.get(college);
      if (!c || members.length < 2) continue;
      const space = { id: `${college}:${year}:liaison-cm2-6e`, members };
      for (const uai of members) this.byUai.get(uai)!.spaces.push(space);
    }
  }

  private driftDay(stage: Stage, yearStartDay: number, yearEndDay: number): number {
    const share = stage === 'primaire' ? this.options.driftShare / 2 : this.options.driftShare;
    if (!this.rng.chance(share)) return -1;
    // Between mid-November and mid-March of the school year.
    const start = yearStartDay + 105;
    return start + this.rng.int(Math.min(120, Math.max(1, yearEndDay - start)));
  }

  /** Teachers (kept from year to year, topped up to the classes) and staff. */
  private staffUp(e: SimEstablishment): void {
    const pupils = e.pupils.length;
    const wantTeachers =
      e.stage === 'primaire' ? Math.round(e.classes.length * 1.15) : Math.max(1, Math.round(pupils / 12.5));
    while (e.teachers.length < wantTeachers)
      e.teachers.push(this.newPerson('ENSEIGNANT', e.stage, this.rng.logNormal(0.5)));
    const staffRatio = e.stage === 'primaire' ? 220 : 70;
    const wantStaff = Math.floor(pupils / staffRatio + this.rng.next());
    while (e.staff.length < wantStaff) e.staff.push(this.newPerson('PERSONNEL', e.stage, this.rng.logNormal(0.5)));
    if (e.teachers.length === 0) return;
    for (const cls of e.classes) {
      const n = e.stage === 'primaire' ? 1 : Math.min(8, e.teachers.length);
      for (let i = 0; i < n; i++) cls.teachers.push(e.teachers[this.rng.int(e.teachers.length)]!);
    }
  }
}
