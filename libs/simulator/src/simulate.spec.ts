import { createHash } from 'node:crypto';
import { dayNumber } from '@ent-observatory/directory';
import {
  ENT_ACTIVITY_TYPES,
  ENT_CONTEXT_EXTENSIONS,
  ENT_RESULT_EXTENSIONS,
  ENT_VERBS,
  type Statement,
  followUpKind,
  followUpProblem,
  validateStatement,
} from '@ent-observatory/xapi';
import { testWorld } from './fixtures.js';
import { Simulation, type SimulationOptions } from './simulate.js';
import { effectiveSampleSize, emptyStats, measureShares, serviceRanking, shareTolerance } from './stats.js';

function run(options: Partial<SimulationOptions> & { from: string; to: string }) {
  const sim = new Simulation(testWorld(), { seed: 42, scale: 1, ...options });
  const lines: string[] = [];
  sim.run((line) => lines.push(line));
  return { sim, stats: sim.stats, lines };
}

const sha = (lines: string[]) => createHash('sha256').update(lines.join('')).digest('hex');

describe('the simulator', () => {
  const september = run({ from: '2025-09-08', to: '2025-09-21' });

  it('gives the same statements for the same seed and different ones for another seed', () => {
    const again = run({ from: '2025-09-08', to: '2025-09-21' });
    const other = run({ from: '2025-09-08', to: '2025-09-21', seed: 43 });
    expect(september.lines.length).toBeGreaterThan(10_000);
    expect(sha(again.lines)).toBe(sha(september.lines));
    expect(sha(other.lines)).not.toBe(sha(september.lines));
  });

  it('writes valid xAPI statements that follow the ENT profile', () => {
    const seen = new Set<string>();
    for (const line of september.lines) {
      const s = JSON.parse(line) as {
        verb: { id: string };
        context: { platform: string; extensions: Record<string, unknown> };
      };
      if (seen.has(s.verb.id) && seen.size > 8) continue;
      seen.add(s.verb.id);
      expect(validateStatement(s, { version: '1.0.3' })).toEqual([]);
      expect(['toutatice', 'ent-94']).toContain(s.context.platform);
      expect(s.context.extensions[ENT_CONTEXT_EXTENSIONS.uai]).toMatch(/^0(35|94)\d{4}[A-Z]$/);
      expect(s.context.extensions[ENT_CONTEXT_EXTENSIONS.person]).toEqual(expect.any(String));
    }
    for (const verb of [
      'accessed',
      'assigned',
      'submitted',
      'scored',
      'evaluated',
      'experienced',
      'contributed',
    ] as const) {
      expect(seen).toContain(ENT_VERBS[verb]);
    }
  });

  it('writes follow-up statements (homework, marks, assessments, positionings) that break no rule of the profile', () => {
    const kinds = new Map<string, number>();
    const objectTypes = new Set<string>();
    for (const line of september.lines) {
      if (!/assign|submit|scored|evaluated/.test(line)) continue;
      const s = JSON.parse(line) as Statement & { object: { definition: { type: string } } };
      const kind = followUpKind(s);
      if (kind === '') continue;
      expect([kind, followUpProblem(s)]).toEqual([kind, '']);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      objectTypes.add(s.object.definition.type);
      if (kind !== 'positioned')
        expect(s.context?.extensions?.[ENT_CONTEXT_EXTENSIONS.subject]).toEqual(expect.any(String));
    }
    expect([...kinds.keys()].sort()).toEqual(['assigned', 'positioned', 'scored', 'submitted']);
    expect(objectTypes).toContain(ENT_ACTIVITY_TYPES.socleComponent);
    expect(objectTypes).toContain(ENT_ACTIVITY_TYPES.competence);
    expect(september.stats.homeworkMarked).toBeGreaterThan(0);
  });

  it('matches the DNMA profile and device shares within tolerance', () => {
    const failed = measureShares(september.stats).filter((c) => !c.ok);
    expect(failed).toEqual([]);
  });

  it('ranks services like DNMA: courrier and vie scolaire first, then cahier de textes and production collaborative', () => {
    const ranking = serviceRanking(september.stats);
    expect(new Set(ranking.slice(0, 2))).toEqual(new Set(['courrier_electronique', 'services_vie_scolaire']));
    expect(ranking.slice(2, 5)).toEqual(expect.arrayContaining(['cahier_textes', 'production_collaborative']));
  });

  it('makes collèges far busier than primary schools, and visits a few statements long', () => {
    const { visitsByStage, visits, statements } = september.stats;
    const perSchool = visitsByStage.primaire / 9; // 9 primary schools and maternelles in the test world
    const perCollege = visitsByStage.college / 3;
    expect(perCollege).toBeGreaterThan(3 * perSchool);
    expect(statements / visits).toBeGreaterThan(2);
    expect(statements / visits).toBeLessThan(4.5);
  });

  it('hands homework in on time or late, from pupils whose differences persist', () => {
    const { homeworkAssigned, homeworkSubmitted, homeworkOnTime } = september.stats;
    expect(homeworkAssigned).toBeGreaterThan(100);
    const onTime = homeworkOnTime / homeworkSubmitted;
    expect(onTime).toBeGreaterThan(0.4);
    expect(onTime).toBeLessThan(0.95);
    const submitted = september.lines
      .filter((l) => l.includes(ENT_VERBS.submitted))
      .map((l) => JSON.parse(l) as { result: { extensions: Record<string, unknown> } });
    expect(submitted[0]!.result.extensions[ENT_RESULT_EXTENSIONS.onTime]).toEqual(expect.any(Boolean));
    // A pupil's first and second marks agree more than chance would (persistent ability).
    const marks = new Map<string, number[]>();
    for (const l of september.lines) {
      if (!l.includes(ENT_VERBS.scored)) continue;
      const s = JSON.parse(l);
      const person = s.context.extensions[ENT_CONTEXT_EXTENSIONS.person] as string;
      marks.set(person, [...(marks.get(person) ?? []), s.result.score.raw as number]);
    }
    const pairs = [...marks.values()].filter((m) => m.length >= 2).map((m) => [m[0]!, m[1]!] as const);
    expect(pairs.length).toBeGreaterThan(50);
    expect(correlation(pairs)).toBeGreaterThan(0.3);
  });

  it('has collaborative spaces spanning several establishments', () => {
    expect(september.stats.sharedSpaceContributions).toBeGreaterThan(0);
    expect(september.stats.contributions).toBeGreaterThan(september.stats.sharedSpaceContributions);
  });
});

describe('the simulator on the school calendar', () => {
  const pupilsOn = (stats: Simulation['stats'], day: string) => stats.pupilStatementsByDay.get(dayNumber(day)) ?? 0;

  it('has pupils almost silent on August Sundays compared with September school days', () => {
    const { stats } = run({ from: '2026-08-01', to: '2026-09-08' });
    const sundays = ['2026-08-02', '2026-08-09', '2026-08-16', '2026-08-23', '2026-08-30'];
    const schoolDays = ['2026-09-03', '2026-09-04', '2026-09-07', '2026-09-08'];
    const sunday = sundays.reduce((a, d) => a + pupilsOn(stats, d), 0) / sundays.length;
    const schoolDay = schoolDays.reduce((a, d) => a + pupilsOn(stats, d), 0) / schoolDays.length;
    expect(schoolDay).toBeGreaterThan(1000);
    expect(sunday / schoolDay).toBeLessThan(0.02);
  });

  it('has pupils almost silent on Christmas day', () => {
    const { stats } = run({ from: '2025-12-08', to: '2025-12-26' });
    const schoolDay =
      (pupilsOn(stats, '2025-12-08') + pupilsOn(stats, '2025-12-09') + pupilsOn(stats, '2025-12-11')) / 3;
    expect(pupilsOn(stats, '2025-12-25') / schoolDay).toBeLessThan(0.03);
  });

  it('follows each zone: Créteil (C) pupils still at school when Rennes (B) is on winter holiday', () => {
    const { lines } = run({ from: '2026-02-16', to: '2026-02-20' });
    const parentsPerSchool = (uais: string[]) =>
      lines.filter(
        (l) => l.includes('"PARENT"') && uais.some((u) => l.includes(`"${ENT_CONTEXT_EXTENSIONS.uai}":"${u}"`)),
      ).length / uais.length;
    const perSchool94 = parentsPerSchool(['0940001A', '0940002B', '0940004D']);
    // Rennes primary schools: zone B holidays 14 Feb – 1 Mar 2026.
    const perSchool35 = parentsPerSchool(['0350001A', '0350002B', '0350003C', '0350005E']);
    expect(perSchool94).toBeGreaterThan(0);
    expect(perSchool35).toBeLessThan(perSchool94 / 2);
  });
});

describe('the simulator across the school-year change', () => {
  const { stats, lines } = run({ from: '2026-06-29', to: '2026-09-06' });
  const world = testWorld();

  it('sends CM2 pupils to the sector collège of their school', () => {
    const before = stats.placements.filter(
      (p) => p.schoolYear === '2025-2026' && p.level === 'CM2' && world.sectorColleges[p.uai],
    );
    const after = new Map(stats.placements.filter((p) => p.schoolYear === '2026-2027').map((p) => [p.person, p]));
    expect(before.length).toBeGreaterThan(100);
    let inSector = 0;
    for (const p of before) {
      const next = after.get(p.person);
      if (next && world.sectorColleges[p.uai]!.includes(next.uai)) {
        expect(next.level).toBe('6e');
        inSector++;
      }
    }
    // A few pupils move away (another département, another ENT) instead.
    expect(inSector / before.length).toBeGreaterThan(0.9);
  });

  it('keeps the same person id for a pupil who changes ENT platform', () => {
    const byPerson = new Map(stats.placements.filter((p) => p.schoolYear === '2025-2026').map((p) => [p.person, p]));
    const moved = stats.placements.filter(
      (p) => p.schoolYear === '2026-2027' && byPerson.get(p.person) && byPerson.get(p.person)!.platform !== p.platform,
    );
    expect(moved.length).toBeGreaterThan(0);
    const person = moved.find((p) => lines.some((l) => l.includes(`"${p.person}"`) && l.includes(p.platform)));
    expect(person).toBeDefined();
  });
});

function correlation(pairs: (readonly [number, number])[]): number {
  const n = pairs.length;
  const mx = pairs.reduce((a, [x]) => a + x, 0) / n;
  const my = pairs.reduce((a, [, y]) => a + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('the simulator’s tunable effects', () => {
  it('makes drifting pupils visit less and hand homework in late more often', () => {
    // January 2026 lies in the drift window (mid-November to mid-March); compare no drift with most pupils drifting.
    const steady = run({ from: '2026-01-05', to: '2026-01-30', driftShare: 0 }).stats;
    const drifting = run({ from: '2026-01-05', to: '2026-01-30', driftShare: 0.9 }).stats;
    expect(drifting.visitsByProfile.ELEVE).toBeLessThan(0.8 * steady.visitsByProfile.ELEVE);
    expect(drifting.homeworkOnTime / drifting.homeworkSubmitted).toBeLessThan(
      steady.homeworkOnTime / steady.homeworkSubmitted,
    );
  });

  it('lowers the use of the ENT in REP and REP+ establishments as --rep-effect grows', () => {
    const repVisits = (repEffect: number) => {
      const { lines } = run({ from: '2025-09-15', to: '2025-09-21', repEffect, dormantShare: 0 });
      const rep = ['0350002B', '0350011L', '0940002B', '0940004D'];
      const inRep = lines.filter((l) => rep.some((u) => l.includes(`"${u}"`))).length;
      return inRep / lines.length;
    };
    expect(repVisits(0.5)).toBeLessThan(0.75 * repVisits(0));
  });
});

describe('share tolerances', () => {
  it('counts the independent draws of a share of visits by persons, weighted by their visits', () => {
    expect(effectiveSampleSize([3, 3, 3, 3])).toBeCloseTo(4);
    expect(effectiveSampleSize([100, 1, 1])).toBeCloseTo(102 ** 2 / 10_002);
    expect(effectiveSampleSize([])).toBe(0);
  });

  it("widens the parents' smartphone band to its sampling error when a perimeter holds few parents of a stage", () => {
    // 60 lycée parents with 5 visits each, 46 of them on a smartphone (76.7 % against DNMA's 65.5 %).
    const stats = emptyStats();
    for (let i = 0; i < 60; i++) {
      stats.parentKnownDeviceVisits.lycee.set(`p${i}`, 5);
      stats.parentDevices.lycee[i < 46 ? 'smartphone' : 'ordinateur']! += 5;
    }
    const lycee = measureShares(stats).find((c) => c.name === 'smartphone parents (lycee)');
    expect(lycee?.tolerance).toBeCloseTo(shareTolerance(0.655, 60, 0.04));
    expect(lycee?.tolerance).toBeGreaterThan(0.15);
    expect(lycee?.ok).toBe(true);
    // The same share over 6,000 parents is a model off its calibration.
    for (let i = 60; i < 6000; i++) {
      stats.parentKnownDeviceVisits.lycee.set(`p${i}`, 5);
      stats.parentDevices.lycee[i % 100 < 77 ? 'smartphone' : 'ordinateur']! += 5;
    }
    const many = measureShares(stats).find((c) => c.name === 'smartphone parents (lycee)');
    expect(many?.tolerance).toBe(0.04);
    expect(many?.ok).toBe(false);
  });
});
