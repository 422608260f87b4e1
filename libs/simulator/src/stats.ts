import { DNMA_SERVICES, type DnmaService, ENT_PROFILES, type EntProfile } from '@ent-observatory/xapi';
import { DNMA_TARGETS, type Stage } from './targets.js';

type DeviceCounts = Record<string, number>;

/** What the simulation produced, counted as it goes (cheap increments), to check against DNMA. */
export interface SimulationStats {
  statements: number;
  visits: number;
  visitsByProfile: Record<EntProfile, number>;
  visitsByStage: Record<Stage, number>;
  /** Visits per device ('inconnu' = not reported) per profile, and parents' per stage. */
  devices: Record<EntProfile, DeviceCounts>;
  parentDevices: Record<Stage, DeviceCounts>;
  /**
   * Parents' visits with a known device, per parent (person id) and stage: a parent keeps their device, so the
   * parents' smartphone share is measured on as many independent draws as there are parents, not visits.
   */
  parentKnownDeviceVisits: Record<Stage, Map<string, number>>;
  /** Visits that opened each service (accueil = every visit). */
  serviceVisits: Record<DnmaService, number>;
  /** Pupils' statements per day number (the calendar checks). */
  pupilStatementsByDay: Map<number, number>;
  homeworkAssigned: number;
  homeworkSubmitted: number;
  homeworkOnTime: number;
  /** Handed-in homework marked on the ENT (a scored statement on the homework). */
  homeworkMarked: number;
  scores: number;
  competences: number;
  contributions: number;
  sharedSpaceContributions: number;
  /** Where each pupil is each school year (continuity checks). */
  placements: { person: string; schoolYear: string; uai: string; level: string; platform: string }[];
}

const devices = (): DeviceCounts => ({ ordinateur: 0, smartphone: 0, tablette: 0, autre: 0, inconnu: 0 });

export function emptyStats(): SimulationStats {
  return {
    statements: 0,
    visits: 0,
    visitsByProfile: { ELEVE: 0, PARENT: 0, ENSEIGNANT: 0, PERSONNEL: 0 },
    visitsByStage: { primaire: 0, college: 0, lycee: 0 },
    devices: { ELEVE: devices(), PARENT: devices(), ENSEIGNANT: devices(), PERSONNEL: devices() },
    parentDevices: { primaire: devices(), college: devices(), lycee: devices() },
    parentKnownDeviceVisits: { primaire: new Map(), college: new Map(), lycee: new Map() },
    serviceVisits: Object.fromEntries(DNMA_SERVICES.map((s) => [s, 0])) as Record<DnmaService, number>,
    pupilStatementsByDay: new Map(),
    homeworkAssigned: 0,
    homeworkSubmitted: 0,
    homeworkOnTime: 0,
    homeworkMarked: 0,
    scores: 0,
    competences: 0,
    contributions: 0,
    sharedSpaceContributions: 0,
    placements: [],
  };
}

export interface ShareCheck {
  name: string;
  target: number;
  measured: number;
  /** Allowed absolute difference. */
  tolerance: number;
  ok: boolean;
}

/** Smartphone share among visits whose device is ordinateur, smartphone or tablette (DNMA's definition). */
export function smartphoneShare(d: DeviceCounts): number {
  const known = d.ordinateur! + d.smartphone! + d.tablette!;
  return known === 0 ? 0 : d.smartphone! / known;
}

/**
 * How many independent draws a share of visits rests on when each person keeps their choice (their device): the
 * effective sample size (Σw)² / Σw² of the persons weighted by their visits (Kish). Equal visits: the number of
 * persons; one person with every visit: 1.
 */
export function effectiveSampleSize(visitsPerPerson: Iterable<number>): number {
  let sum = 0;
  let squares = 0;
  for (const w of visitsPerPerson) {
    sum += w;
    squares += w * w;
  }
  return squares === 0 ? 0 : (sum * sum) / squares;
}

/**
 * A share's tolerance: `floor` (what the model is calibrated to), widened to the share's sampling error when few
 * independent draws make it (2.58 standard errors: a correct model misses it once in a hundred runs).
 */
export function shareTolerance(target: number, draws: number, floor: number): number {
  if (draws <= 0) return floor;
  return Math.max(floor, 2.58 * Math.sqrt((target * (1 - target)) / draws));
}

/**
 * The measured shares against the DNMA targets, with tolerances that hold at small scales (a few hundred
 * thousand statements) — the parents' device shares widened to their sampling error when a perimeter holds few
 * parents of a stage (shareTolerance); `ok` false means the model drifted from its calibration.
 */
export function measureShares(stats: SimulationStats): ShareCheck[] {
  const checks: ShareCheck[] = [];
  const check = (name: string, target: number, measured: number, tolerance: number) =>
    checks.push({ name, target, measured, tolerance, ok: Math.abs(measured - target) <= tolerance });
  const total = ENT_PROFILES.reduce((a, p) => a + stats.visitsByProfile[p], 0);
  for (const p of ENT_PROFILES) {
    check(`visites ${p}`, DNMA_TARGETS.profileShares[p], total === 0 ? 0 : stats.visitsByProfile[p] / total, 0.03);
  }
  check('smartphone élèves', DNMA_TARGETS.pupilSmartphone, smartphoneShare(stats.devices.ELEVE), 0.03);
  for (const stage of ['primaire', 'college', 'lycee'] as const) {
    if (stats.parentDevices[stage].inconnu === 0 && smartphoneShare(stats.parentDevices[stage]) === 0) continue;
    const target = DNMA_TARGETS.parentSmartphone[stage];
    const draws = effectiveSampleSize(stats.parentKnownDeviceVisits[stage].values());
    check(
      `smartphone parents (${stage})`,
      target,
      smartphoneShare(stats.parentDevices[stage]),
      shareTolerance(target, draws, 0.04),
    );
  }
  return checks;
}

/** Services by visits, largest first, accueil excluded (it opens every visit). */
export function serviceRanking(stats: SimulationStats): DnmaService[] {
  return (Object.entries(stats.serviceVisits) as [DnmaService, number][])
    .filter(([s]) => s !== 'accueil')
    .sort((a, b) => b[1] - a[1])
    .map(([s]) => s);
}

/** A plain-text report of the measured shares and volumes (the CLI prints it). */
export function formatReport(stats: SimulationStats, establishments: number, weeks: number): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const lines = ['Measured against DNMA 2025-26 (libs/simulator/README.md):'];
  for (const c of measureShares(stats)) {
    lines.push(
      `  ${c.ok ? '✓' : '✗'} ${c.name.padEnd(28)} ${pct(c.measured).padStart(7)}  target ${pct(c.target)} ± ${pct(c.tolerance)}`,
    );
  }
  const ranking = serviceRanking(stats).slice(0, 6);
  lines.push(`  services (after accueil): ${ranking.join(', ')}`);
  lines.push(`    DNMA: ${DNMA_TARGETS.topServices.join(', ')}`);
  const perWeek = weeks > 0 && establishments > 0 ? stats.visits / establishments / weeks : 0;
  lines.push(
    `  visits ${stats.visits}, statements ${stats.statements}; ${perWeek.toFixed(1)} visits per establishment-week (${establishments} establishments, ${weeks.toFixed(1)} weeks)`,
  );
  lines.push(
    `    by stage: primaire ${stats.visitsByStage.primaire}, collège ${stats.visitsByStage.college}, lycée ${stats.visitsByStage.lycee}`,
  );
  const onTime = stats.homeworkSubmitted === 0 ? 0 : stats.homeworkOnTime / stats.homeworkSubmitted;
  lines.push(
    `  homework: ${stats.homeworkAssigned} set, ${stats.homeworkSubmitted} handed in (${pct(onTime)} on time); ${stats.scores} scores, ${stats.competences} competences; ${stats.contributions} contributions (${stats.sharedSpaceContributions} in multi-establishment spaces)`,
  );
  return `${lines.join('\n')}\n`;
}
