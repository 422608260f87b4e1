import { type DnmaService, SOCLE_COMPONENTS, type SocleComponent, socleComponentId } from '@ent-observatory/xapi';
import type { Homework, Person, SchoolClass, SimEstablishment } from './population.js';
import type { Rng } from './prng.js';
import type { SimulationStats } from './stats.js';
import {
  DEVICE_EXT,
  EXT,
  type PersonJson,
  type PlatformInfo,
  type TimestampFormatter,
  TYPE_JSON,
  VERB_JSON,
  type LineSink,
  writeStatement,
} from './statements.js';
import type { Stage } from './targets.js';

const RESOURCE_SERVICES = new Set<DnmaService>([
  'manuel_numerique',
  'ressource_multimedia',
  'ressource_orientation',
  'ressource_production',
  'ressource_accompagnement_entrainement',
  'ressource_reference_dictionnaire',
  'ressource_documentaire',
  'documentation_cdi',
]);
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Homework a pupil can still hand in (older ones are forgotten): a fortnight and more of a busy class's. */
const HOMEWORK_KEPT = 12;
/**
 * A pupil of average diligence does 94 % of their homework (sigmoid(2.8)) and hands 90 % of it in on time
 * (sigmoid(2.2)); one standard deviation of diligence moves the log-odds by 1. After drifting away, a pupil does a
 * quarter as much (as their visits fall to a sixth), and half as much of it on time.
 */
const DO_LOGIT = 2.8;
const ON_TIME_LOGIT = 2.2;
const DILIGENCE_EFFECT = 1;
const DRIFTED_DO = 0.25;
const DRIFTED_ON_TIME = 0.5;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
/**
 * Chance that a class is set homework to hand in on the ENT on a school day: about once a week in a collège or
 * lycée class, once a fortnight in CE2–CM2 (the rest of the cahier de textes is read, not handed in). More would take
 * more pupil visits than DNMA counts: every pupil who does their homework comes to hand it in.
 */
const ASSIGN_SECONDARY = 0.15;
const ASSIGN_PRIMARY = 0.03;

/**
 * Writes visits (the portal's accueil, then 1–3 services, seconds to minutes apart, so that a 30-minute inactivity
 * rule finds one visit) and the class work of school days: homework set by teachers and handed in by pupils during
 * their visits (on time or late), assessments scored and competences evaluated, with pupils' persistent
 * differences (ability) and drift.
 */
export class VisitWriter {
  /** Receives each statement as it is made (nothing is kept: a day of lines would go to the old heap). */
  out: LineSink = { part: () => undefined, end: () => undefined };
  count = 0;
  /** Day number → the pupils who planned to hand homework in that day. */
  private readonly handInDays = new Map<number, { e: SimEstablishment; platform: PlatformInfo; p: Person }[]>();

  constructor(
    private readonly rng: Rng,
    private readonly stats: SimulationStats,
    private readonly time: TimestampFormatter,
  ) {}

  write(
    e: SimEstablishment,
    platform: PlatformInfo,
    person: Person,
    json: PersonJson,
    start: number,
    device: string,
    services: DnmaService[],
    day: number,
  ): void {
    const stats = this.stats;
    stats.visits++;
    stats.visitsByProfile[person.profile]++;
    stats.visitsByStage[e.stage]++;
    stats.devices[person.profile][device === '' ? 'inconnu' : device]!++;
    if (person.profile === 'PARENT') {
      stats.parentDevices[e.stage][device === '' ? 'inconnu' : device]!++;
      if (device === 'ordinateur' || device === 'smartphone' || device === 'tablette') {
        const seen = stats.parentKnownDeviceVisits[e.stage];
        seen.set(person.personId, (seen.get(person.personId) ?? 0) + 1);
      }
    }
    if (person.profile === 'ELEVE')
      stats.pupilStatementsByDay.set(day, (stats.pupilStatementsByDay.get(day) ?? 0) + 1 + services.length);
    const ext = json.ext + (device === '' ? '' : DEVICE_EXT[device]!);
    let t = start;
    this.push(t, json.actor, VERB_JSON.accessed, platform.serviceObject.get('accueil')!, platform, '', ext, '');
    stats.serviceVisits.accueil++;
    for (const s of services) {
      t += 8_000 + this.rng.int(150_000);
      stats.serviceVisits[s]++;
      this.service(e, platform, person, json, ext, s, t);
    }
  }

  private service(
    e: SimEstablishment,
    platform: PlatformInfo,
    p: Person,
    json: PersonJson,
    ext: string,
    s: DnmaService,
    t: number,
  ): void {
    const object = platform.serviceObject.get(s)!;
    const parent = platform.serviceParent.get(s)!;
    if (p.profile === 'ELEVE' && s === 'cahier_textes' && p.cls) {
      this.push(t, json.actor, VERB_JSON.accessed, object, platform, '', ext, '');
      this.handIn(p, json, ext, platform, parent, t);
      return;
    }
    if (RESOURCE_SERVICES.has(s) && (p.profile === 'ELEVE' || p.profile === 'ENSEIGNANT')) {
      const id = `${platform.homepage}/ressources/${s}/${1 + this.rng.int(400)}`;
      this.push(
        t,
        json.actor,
        VERB_JSON.experienced,
        `{"id":"${id}","definition":{"type":${TYPE_JSON.resource}}}`,
        platform,
        parent,
        ext,
        '',
      );
      return;
    }
    if (s === 'parcours_pedagogique' && p.profile === 'ELEVE' && this.rng.chance(0.3)) {
      const id = `${platform.homepage}/parcours/${p.personId}/${this.rng.hex128().slice(0, 12)}`;
      this.push(
        t,
        json.actor,
        VERB_JSON.created,
        `{"id":"${id}","definition":{"type":${TYPE_JSON.portfolioItem}}}`,
        platform,
        parent,
        ext,
        '',
      );
      return;
    }
    if (s === 'production_collaborative' && p.profile !== 'PARENT' && e.spaces.length > 0) {
      // Teachers go to the cross-establishment liaison space more often than pupils.
      const spaces = e.spaces;
      const shared = spaces.filter((x) => x.members.length > 1);
      const space =
        shared.length > 0 && this.rng.chance(p.profile === 'ENSEIGNANT' ? 0.3 : 0.05)
          ? shared[this.rng.int(shared.length)]!
          : spaces[this.rng.int(spaces.length)]!;
      this.stats.contributions++;
      if (space.members.length > 1) this.stats.sharedSpaceContributions++;
      const obj = `{"id":"${platform.homepage}/espaces/${encodeURIComponent(space.id)}","definition":{"type":${TYPE_JSON.collaborativeSpace},"extensions":{${EXT.spaceEstablishments}:${JSON.stringify(space.members)}}}}`;
      this.push(t, json.actor, VERB_JSON.contributed, obj, platform, parent, ext, '');
      return;
    }
    const verb = p.profile === 'PERSONNEL' && this.rng.chance(0.5) ? VERB_JSON.interacted : VERB_JSON.accessed;
    this.push(t, json.actor, verb, object, platform, '', ext, '');
  }

  hasPendingHomework(p: Person, t: number): boolean {
    const cls = p.cls;
    if (!cls || !p.submitted || !p.plans) return false;
    for (const h of cls.homework) if (h.assignedMs <= t && !p.submitted.has(h.seq) && p.plans.has(h.seq)) return true;
    return false;
  }

  /**
   * Hands in the pupil's pending homework they meant to do (assign drew it): what they meant to hand in on time,
   * before the due date-time; what they meant to hand in late, once it is past. What they meant not to do stays
   * missing, however often they come.
   */
  private handIn(p: Person, json: PersonJson, ext: string, platform: PlatformInfo, parent: string, t: number): void {
    const cls = p.cls!;
    const drifting = p.driftDay >= 0 && t >= p.driftDay * DAY;
    for (const h of cls.homework) {
      const plan = p.plans!.get(h.seq);
      if (h.assignedMs > t || p.submitted!.has(h.seq) || !plan) continue;
      if (plan.late && t <= h.dueMs) continue;
      p.submitted!.add(h.seq);
      p.plans!.delete(h.seq);
      t += 20_000 + this.rng.int(200_000);
      const onTime = t <= h.dueMs;
      this.stats.homeworkSubmitted++;
      if (onTime) this.stats.homeworkOnTime++;
      const result = `,"result":{"completion":true,"extensions":{${EXT.onTime}:${onTime}}}`;
      const hwExt = `${ext}${EXT.due}"${this.time.format(h.dueMs)}"${EXT.subject}"${h.subject}"`;
      this.push(t, json.actor, VERB_JSON.submitted, homeworkObject(platform, h), platform, parent, hwExt, result);
      // Some homework is done on the ENT and marked there (exercises with an answer key): the pupil's mark follows.
      if (this.rng.chance(MARKED_SHARE)) {
        const raw = mark(12.5 + 3 * p.ability - (drifting ? 3 : 0) - (onTime ? 0 : 1) + 2.5 * this.rng.normal());
        const score = `,"result":{"score":{"raw":${raw},"min":0,"max":20,"scaled":${raw / 20}},"completion":true}`;
        const markExt = `${json.ext}${EXT.subject}"${h.subject}"`;
        t += 60_000 + this.rng.int(600_000);
        this.stats.homeworkMarked++;
        this.push(t, json.actor, VERB_JSON.scored, homeworkObject(platform, h), platform, parent, markExt, score);
      }
    }
  }

  /**
   * Each pupil of the class decides, from their diligence (and whether they drifted away), whether they will do a
   * new piece of homework and whether on time, and on which day they would come to hand it in if no other visit
   * takes them to the cahier de textes first: an evening before the due date, or one to four days after it.
   */
  private plan(e: SimEstablishment, platform: PlatformInfo, cls: SchoolClass, h: Homework, day: number): void {
    const dueDay = Math.floor(h.dueMs / DAY);
    for (const p of cls.pupils) {
      if (!p.plans) continue;
      const drifted = p.driftDay >= 0 && day >= p.driftDay;
      if (!this.rng.chance(sigmoid(DO_LOGIT + DILIGENCE_EFFECT * p.diligence) * (drifted ? DRIFTED_DO : 1))) continue;
      const late = !this.rng.chance(
        sigmoid(ON_TIME_LOGIT + DILIGENCE_EFFECT * p.diligence) * (drifted ? DRIFTED_ON_TIME : 1),
      );
      p.plans.set(h.seq, { late });
      const on = late ? dueDay + 1 + this.rng.int(4) : day + 1 + this.rng.int(Math.max(1, dueDay - day - 1));
      this.handInOn(on, { e, platform, p });
    }
  }

  handInOn(day: number, plan: { e: SimEstablishment; platform: PlatformInfo; p: Person }): void {
    const list = this.handInDays.get(day) ?? [];
    list.push(plan);
    this.handInDays.set(day, list);
  }

  /** The pupils who planned to hand homework in on a day (the Simulation makes their visits). */
  takeHandIns(day: number): { e: SimEstablishment; platform: PlatformInfo; p: Person }[] {
    const list = this.handInDays.get(day) ?? [];
    this.handInDays.delete(day);
    return list;
  }

  /** Homework set, assessments scored and competences evaluated in each class on a school day. */
  schoolWork(
    e: SimEstablishment,
    platform: PlatformInfo,
    midnightUtc: number,
    day: number,
    json: (p: Person) => PersonJson,
    stage: Stage,
  ): void {
    for (const cls of e.classes) {
      if (cls.teachers.length === 0 || cls.pupils.length === 0) continue;
      const primary = stage === 'primaire';
      if (primary && !['CE2', 'CM1', 'CM2'].includes(cls.level)) continue;
      // Per pupil rather than per class, so that the small classes of a small scale get no more work per pupil.
      const size = Math.min(1, cls.pupils.length / (primary ? 24 : 26));
      // Teachers of an establishment that barely uses the ENT set little homework to hand in there.
      const usage = Math.min(1, e.usage);
      if (this.rng.chance((primary ? ASSIGN_PRIMARY : ASSIGN_SECONDARY) * size * usage))
        this.assign(e, platform, cls, midnightUtc, day, json);
      if (!primary && this.rng.chance(0.1 * size)) this.score(platform, cls, midnightUtc, day, json);
      if (this.rng.chance((primary ? 0.06 : 0.03) * size)) this.evaluate(platform, cls, midnightUtc, day, json);
    }
  }

  private assign(
    e: SimEstablishment,
    platform: PlatformInfo,
    cls: SchoolClass,
    midnightUtc: number,
    day: number,
    json: (p: Person) => PersonJson,
  ): void {
    const teacher = cls.teachers[this.rng.int(cls.teachers.length)]!;
    const assigned = midnightUtc + (9 + this.rng.int(9)) * HOUR + this.rng.int(HOUR);
    const due = midnightUtc + (3 + this.rng.int(6)) * DAY + 8 * HOUR;
    const subjects = subjectsOf(cls.level);
    const h: Homework = {
      id: `${platform.homepage}/cahier-de-textes/devoirs/${encodeURIComponent(cls.id)}/${++cls.homeworkSeq}`,
      seq: cls.homeworkSeq,
      assignedMs: assigned,
      dueMs: due,
      subject: subjects[this.rng.int(subjects.length)]!,
    };
    cls.homework.push(h);
    if (cls.homework.length > HOMEWORK_KEPT) cls.homework.shift();
    this.plan(e, platform, cls, h, day);
    this.stats.homeworkAssigned++;
    const t = json(teacher);
    const minutes = 15 * (1 + this.rng.int(4));
    const ext = `${t.ext}${EXT.class}"${cls.id}"${EXT.due}"${this.time.format(due)}"${EXT.subject}"${h.subject}"${EXT.expectedDuration}"PT${minutes}M"`;
    this.push(
      assigned,
      t.actor,
      VERB_JSON.assigned,
      homeworkObject(platform, h),
      platform,
      platform.serviceParent.get('cahier_textes')!,
      ext,
      '',
    );
  }

  private score(
    platform: PlatformInfo,
    cls: SchoolClass,
    midnightUtc: number,
    day: number,
    json: (p: Person) => PersonJson,
  ): void {
    const teacher = json(cls.teachers[this.rng.int(cls.teachers.length)]!);
    const id = `${platform.homepage}/notes/evaluations/${encodeURIComponent(cls.id)}/${day}`;
    const object = `{"id":"${id}","definition":{"type":${TYPE_JSON.assessment}}}`;
    const parent = platform.serviceParent.get('notes')!;
    const subjects = subjectsOf(cls.level);
    const subject = `${EXT.subject}"${subjects[day % subjects.length]!}"`;
    let t = midnightUtc + (17 + this.rng.int(5)) * HOUR;
    for (const p of cls.pupils) {
      const drifted = p.driftDay >= 0 && day >= p.driftDay;
      const raw = mark(12 + 3 * p.ability - (drifted ? 3 : 0) + 2.5 * this.rng.normal());
      const minutes = 30 + this.rng.int(26);
      const result = `,"result":{"score":{"raw":${raw},"min":0,"max":20,"scaled":${raw / 20}},"success":${raw >= 10},"completion":true,"duration":"PT${minutes}M"}`;
      t += 30_000 + this.rng.int(60_000);
      this.stats.scores++;
      this.push(
        t,
        json(p).actor,
        VERB_JSON.scored,
        object,
        platform,
        parent,
        `${json(p).ext}${subject}`,
        result,
        `,"instructor":${teacher.actor}`,
      );
    }
  }

  /**
   * A teacher positions the whole class on one component of the socle (cycles 2–4: from CE2 to 3e here) or, one
   * time in three, on a competence of the establishment's referential for a subject. Level from the pupil's ability
   * (lower after drifting); a few pupils are exempted (« dispensé », 0) from foreign languages and arts.
   */
  private evaluate(
    platform: PlatformInfo,
    cls: SchoolClass,
    midnightUtc: number,
    day: number,
    json: (p: Person) => PersonJson,
  ): void {
    const cycle = CYCLE_OF[cls.level];
    if (cycle === undefined) return;
    const teacher = json(cls.teachers[this.rng.int(cls.teachers.length)]!);
    let parent = platform.serviceParent.get('gestion_competences')!;
    const uai = cls.id.slice(0, cls.id.indexOf(':'));
    let object: string;
    let extra: string;
    let component: SocleComponent | '' = '';
    if (this.rng.chance(1 / 3)) {
      const subjects = subjectsOf(cls.level);
      const subject = subjects[day % subjects.length]!;
      const referential = `${platform.homepage}/competences/${uai}/${subject}`;
      const item = SUBJECT_COMPETENCES[day % SUBJECT_COMPETENCES.length]!;
      object = `{"id":"${referential}/${item}","definition":{"type":${TYPE_JSON.competence}}}`;
      extra = `${EXT.subject}"${subject}"`;
      // The referential as a grouping activity, beside the service parent (before the extensions open).
      const grouping = `,"grouping":[{"id":"${referential}","definition":{"type":${TYPE_JSON.competenceReferential}}}]`;
      parent = `${parent.slice(0, -OPEN_EXTENSIONS.length)}${grouping}${OPEN_EXTENSIONS}`;
    } else {
      component = SOCLE_COMPONENTS[day % SOCLE_COMPONENTS.length]!;
      object = `{"id":"${socleComponentId(component)}","definition":{"type":${TYPE_JSON.socleComponent}}}`;
      extra = `${EXT.cycle}${cycle}`;
    }
    const exemptable = component === 'CPD_ETR' || component === 'CPD_ART';
    let t = midnightUtc + (16 + this.rng.int(5)) * HOUR;
    for (const p of cls.pupils) {
      const drifted = p.driftDay >= 0 && day >= p.driftDay;
      const level =
        exemptable && this.rng.chance(0.02)
          ? 0
          : Math.max(1, Math.min(4, Math.round(2.8 + 0.8 * p.ability - (drifted ? 0.8 : 0) + 0.6 * this.rng.normal())));
      t += 10_000 + this.rng.int(30_000);
      this.stats.competences++;
      const result = `,"result":{"extensions":{${EXT.competenceLevel}:${level}}}`;
      this.push(
        t,
        json(p).actor,
        VERB_JSON.evaluated,
        object,
        platform,
        parent,
        `${json(p).ext}${extra}`,
        result,
        `,"instructor":${teacher.actor}`,
      );
    }
  }

  private push(
    t: number,
    actor: string,
    verb: string,
    object: string,
    platform: PlatformInfo,
    parent: string,
    ext: string,
    result: string,
    instructor = '',
  ): void {
    this.count++;
    writeStatement(
      this.out,
      this.rng.uuid(),
      this.time,
      t,
      actor,
      verb,
      object,
      platform,
      parent,
      ext,
      result,
      instructor,
    );
  }
}

function homeworkObject(platform: PlatformInfo, h: Homework): string {
  return `{"id":"${h.id}","definition":{"type":${TYPE_JSON.homework}}}`;
}

/** How a contextActivities part ends (statements.ts): the referential's grouping goes before it. */
const OPEN_EXTENSIONS = '},"extensions":{';

/** Share of handed-in homework marked on the ENT (exercises with an answer key). */
const MARKED_SHARE = 0.35;

/** A mark out of 20, rounded to the half point. */
function mark(x: number): number {
  return Math.max(0, Math.min(20, Math.round(2 * x) / 2));
}

/** Cycle of the socle a level's positionings refer to (lycée has none: the socle ends in 3e). */
const CYCLE_OF: Record<string, number> = {
  CP: 2,
  CE1: 2,
  CE2: 2,
  CM1: 3,
  CM2: 3,
  '6e': 3,
  '5e': 4,
  '4e': 4,
  '3e': 4,
  SEGPA: 4,
  ULIS: 3,
};

const PRIMARY_SUBJECTS = ['francais', 'mathematiques', 'sciences', 'histoire_geographie'];
const SECONDARY_SUBJECTS = [
  'francais',
  'mathematiques',
  'histoire_geographie',
  'langues_vivantes',
  'svt',
  'physique_chimie',
  'technologie',
];

/** Subjects homework and assessments are drawn from, by level (SUBJECTS codes of the profile). */
function subjectsOf(level: string): string[] {
  return ['CP', 'CE1', 'CE2', 'CM1', 'CM2'].includes(level) ? PRIMARY_SUBJECTS : SECONDARY_SUBJECTS;
}

/** Items of the establishments' subject referentials (one per subject and item: the same names in every school). */
const SUBJECT_COMPETENCES = [
  'comprendre-un-document',
  'raisonner',
  'communiquer',
  'pratiquer-des-demarches',
  'utiliser-des-outils',
];
