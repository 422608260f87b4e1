// `npm run bench -- follow-up [--statements 10000000] [--runs 20]`: the teachers' follow-up pages (docs/follow-up-api.md)
// on N simulated statements in embedded mode (chdb + PGlite), and the quality of the alerts against the pupils the
// simulator made drift away.
//
// Data: the bundled directory, then libs/simulator from 16 June 2025 (the end of 2024-25: CM2 pupils' last weeks
// before the collège) until N statements, inserted in-process exactly as the LRS ingests (prepareStatement →
// enrichment → compact rows into `statements`, whose materialized views fill the follow-up tables of migration
// 050). The simulation's rosters (made-up names, person ids) are imported into PostgreSQL, and its drift days kept
// as the ground truth. Loaded once per size (a marker beside the data), so a second run only measures.
//
// 1. Speed: classFollowUp and pupilFollowUp (the library functions the GraphQL resolvers call) for secondary
//    classes and their pupils over the school year so far, p50/p95 of wall and CPU time after one warm-up each.
// 2. Alerts: every Friday from December to the last simulated week, every pupil of a sample of secondary classes
//    is alerted or not (the period: 1 September → that Friday); a pupil has drifted on that day when the simulator
//    made them drift on or before it. Precision and recall of each rule and of « inactivité or devoirs non rendus »
//    (the disengagement rules), and how many school days after the drift the first such alert came.
//
// Flags: --statements N (default 10M), --runs, --classes, --alert-classes, --name (results file, default follow-up),
// --baseline DIR: a built copy of libs/follow-up's dist (another commit's, copied under bench/ so that its imports
// resolve) timed call by call alternating with this one, on the same pages: a before/after that the neighbours'
// load touches alike.
// Env: BENCH_FOLLOW_UP_DIR (default <tmp>/ent-observatory-bench/follow-up).
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importDirectory, loadDirectorySnapshot, loadSchoolCalendar } from '@ent-observatory/directory';
import { classFollowUp, classInfo, pupilFollowUp, pupilRecord } from '@ent-observatory/follow-up';
import { Simulation, readWorld, sampleWorld } from '@ent-observatory/simulator';
import { migrateStore, openStore } from '@ent-observatory/store';
import { createWarehouse, migrate, queryRows } from '@ent-observatory/warehouse';
import {
  STATEMENT_ROW_COLUMNS,
  compactRow,
  createPseudonymKey,
  enrichedRow,
  prepareStatement,
} from '@ent-observatory/xapi';
import { flag, machine, numberFlag, writeResults } from './support.mjs';

const TOTAL = numberFlag('statements', 10_000_000);
const RUNS = numberFlag('runs', 20);
const CLASSES = numberFlag('classes', 20);
const ALERT_CLASSES = numberFlag('alert-classes', 40);
// --grow G: the follow-up tables the pages read grown G times after loading (see grow()), to time the pages on the
// tables of a store G times larger without simulating and ingesting it.
const GROW = numberFlag('grow', 1);
const BATCH = 50_000;
const SIM_FROM = '2025-06-16';
const SIM_TO = '2026-03-27';
const YEAR_START = '2025-09-01';
const KEY = 'bench-pseudonymization-key-0123456789';
const base = process.env.BENCH_FOLLOW_UP_DIR ?? join(tmpdir(), 'ent-observatory-bench', 'follow-up');
const dir = join(base, String(TOTAL));
const dataDir = join(dir, 'data');
const log = (text) => process.stderr.write(`[follow-up] ${text}\n`);
mkdirSync(dataDir, { recursive: true });

const warehouse = createWarehouse({ dataDir });
await migrate(warehouse);
const store = await openStore({ dataDir });
await migrateStore(store);
const key = createPseudonymKey(KEY);
const calendar = loadSchoolCalendar();

const marker = join(dir, 'loaded.json');
if (!existsSync(marker)) {
  const files = readdirSync('data/directory')
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => join('data/directory', f));
  await importDirectory(store, warehouse, files);
  writeFileSync(marker, JSON.stringify(await load(TOTAL)));
}
const loaded = JSON.parse(readFileSync(marker, 'utf8'));
if ((loaded.grown ?? 1) !== GROW) {
  if ((loaded.grown ?? 1) !== 1) throw new Error(`this store was grown ${loaded.grown} times: load it again`);
  await grow(GROW);
  loaded.grown = GROW;
  writeFileSync(marker, JSON.stringify(loaded));
}
log(
  `${loaded.statements} statements ${loaded.from} → ${loaded.to}, ${loaded.establishments} establishments at scale 1`,
);
const deps = { store, warehouse, key, calendar, now: () => Date.parse(`${loaded.to}T23:59:59Z`) };
const period = { from: YEAR_START, to: loaded.to };

// 1. Speed.
const classes = await store.query(
  `SELECT c.id FROM school_classes c JOIN class_members m ON m.class_id = c.id
    WHERE c.school_year = '2025-2026' AND c.level IN ('6e', '5e', '4e', '3e') AND m.role = 'pupil' AND m.person_id <> ''
    GROUP BY c.id ORDER BY md5(c.id) LIMIT $1`,
  [Math.max(CLASSES, ALERT_CLASSES)],
);
const measured = classes.slice(0, CLASSES);
const infos = await Promise.all(measured.map((c) => classInfo(store, c.id)));
const pupils = (
  await store.query(
    `SELECT DISTINCT ON (class_id) member_id AS id FROM class_members
      WHERE class_id = ANY($1::text[]) AND role = 'pupil' ORDER BY class_id, md5(member_id)`,
    [measured.map((c) => c.id)],
  )
).map((r) => r.id);
const records = await Promise.all(pupils.map((id) => pupilRecord(store, key, id)));
const BASELINE = flag('baseline', null);
const before = BASELINE ? await import(pathToFileURL(join(resolve(BASELINE), 'index.js')).href) : null;
const classCall = (lib) => (i) => lib.classFollowUp(deps, infos[i % infos.length], period);
const pupilCall = (lib) => (i) => {
  const r = records[i % records.length];
  return lib.pupilFollowUp(deps, r.pupil, r.classes, period);
};
const current = { classFollowUp, pupilFollowUp };
const [classPage, classBefore] = await timeBoth(RUNS, classCall(current), before && classCall(before));
const [pupilPage, pupilBefore] = await timeBoth(RUNS, pupilCall(current), before && pupilCall(before));
const sample = await classFollowUp(deps, infos[0], period);
log(
  `class page p50 ${classPage.wall.p50} ms p95 ${classPage.wall.p95} ms; pupil page p50 ${pupilPage.wall.p50} ms p95 ${pupilPage.wall.p95} ms`,
);
const sizes = Object.fromEntries(
  (
    await queryRows(
      warehouse.client,
      `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts
        WHERE active AND database = currentDatabase()
          AND table IN ('statements', 'follow_up_pupil_events', 'follow_up_homework')
        GROUP BY table`,
    )
  ).map((r) => [r.table, { rows: Number(r.rows), MiB: +(Number(r.bytes) / 2 ** 20).toFixed(1) }]),
);

// 2. Alerts against the simulator's truth.
const alerts = await alertQuality(classes.slice(0, ALERT_CLASSES).map((c) => c.id));

const result = {
  date: new Date().toISOString(),
  machine: machine(),
  loadAverage: loadavg().map((x) => +x.toFixed(2)),
  statements: loaded.statements,
  grown: loaded.grown ?? 1,
  simulated: {
    from: loaded.from,
    to: loaded.to,
    share: loaded.share,
    establishments: loaded.establishments,
    loadSeconds: loaded.seconds,
  },
  tables: sizes,
  period,
  classPage: { ...classPage, classes: infos.length, pupilsPerClass: sample.pupils.length },
  pupilPage: { ...pupilPage, pupils: records.length },
  baseline: before ? { dir: BASELINE, classPage: classBefore, pupilPage: pupilBefore } : null,
  alerts,
};
// --name: another results file (a smaller store beside the 10M one, a before/after).
const NAME = flag('name', 'follow-up');
writeResults(NAME, result, markdown(result));
process.exit(0);

/** Times fn (and other, when given, call by call after it on the same argument): [fn's figures, other's]. */
async function timeBoth(runs, fn, other) {
  const fns = other ? [fn, other] : [fn];
  for (let i = 0; i < Math.min(runs, 5); i++) for (const f of fns) await f(i); // warm-up: first-use costs
  const wall = fns.map(() => []);
  const cpu = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [k, f] of fns.entries()) {
      const t = performance.now();
      const c = process.cpuUsage();
      await f(i);
      const u = process.cpuUsage(c);
      wall[k].push(performance.now() - t);
      cpu[k].push((u.user + u.system) / 1000);
    }
  }
  return fns.map((_, k) => ({ runs, wall: stats(wall[k]), cpu: stats(cpu[k]) }));
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => +s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)].toFixed(1);
  return { p50: q(0.5), p95: q(0.95), max: +s[s.length - 1].toFixed(1) };
}

/**
 * The pages read only follow_up_pupil_events and follow_up_homework (never `statements`): their cost on a store G
 * times larger is their cost on these two tables G times larger. Each copy k = 1 … G−1 is every row again under
 * other pupils (pseudonym + '~k') of other classes (class id + '~k'), with new statement ids, so the measured
 * classes' rows are as scattered among other pupils' rows as in a store of G times the statements.
 */
async function grow(g) {
  log(`growing the follow-up tables ${g} times`);
  const copies = `arrayJoin(range(1, ${g})) AS k`;
  await warehouse.client.command({
    query: `INSERT INTO follow_up_pupil_events
      SELECT * EXCEPT (k) REPLACE (concat(actor_pseudonym, '~', toString(k)) AS actor_pseudonym,
        if(class_id = '', '', concat(class_id, '~', toString(k))) AS class_id, generateUUIDv4(k) AS id)
      FROM (SELECT *, ${copies} FROM follow_up_pupil_events)`,
  });
  await warehouse.client.command({
    query: `INSERT INTO follow_up_homework
      SELECT * EXCEPT (k) REPLACE (concat(class_id, '~', toString(k)) AS class_id)
      FROM (SELECT *, ${copies} FROM follow_up_homework)`,
  });
  for (const table of ['follow_up_pupil_events', 'follow_up_homework']) {
    await warehouse.client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
  }
}

/** Simulates from SIM_FROM until N statements, inserting them as the LRS does; imports the rosters at the end. */
async function load(n) {
  // Classes at their real size (scale 1: 24–30 pupils), in a measured perimeter of collège sectors (sampleWorld,
  // as the demo does) sized to give N statements: a class page reads a real class, not a class shrunk by the scale.
  const full = await readWorld(store);
  const scale = 1;
  const probeShare = 0.02;
  let probe = 0;
  const probeWorld = sampleWorld(full, { share: probeShare, seed: 1 });
  for (const day of new Simulation(probeWorld, { from: '2025-09-08', to: '2025-09-21', seed: 1, scale }).days(() => {}))
    probe += day.statements;
  // ≈ 30 school-week equivalents between mid-June and the end of March once holidays are weighed in.
  const share = Math.min(1, (n / ((probe / 2) * 30)) * probeShare * 1.05);
  const world = sampleWorld(full, { share, seed: 1 });
  log(
    `simulating ${n} statements: ${world.establishments.length} establishments (share ${share.toFixed(3)}) at scale 1`,
  );
  const snapshot = new Map([...(await loadDirectorySnapshot(store))].map(([uai, f]) => [uai.toUpperCase(), f]));
  const authority = {
    objectType: 'Agent',
    account: { homePage: 'https://ent-observatory.invalid/lrs', name: 'bench' },
  };
  const sim = new Simulation(world, { from: SIM_FROM, to: SIM_TO, seed: 1, scale });
  const started = performance.now();
  let rows = [];
  let written = 0;
  let last = SIM_FROM;
  const flush = async () => {
    if (rows.length === 0) return;
    await warehouse.client.insert({
      table: 'statements',
      values: rows,
      format: 'JSONCompactEachRow',
      columns: [...STATEMENT_ROW_COLUMNS],
    });
    rows = [];
  };
  let pending = [];
  for (const day of sim.days((line) => pending.push(line))) {
    for (const line of pending) {
      if (written >= n) break;
      const input = JSON.parse(line);
      const statement = prepareStatement(input, {
        authority,
        stored: new Date(Date.parse(input.timestamp) + 2000),
        version: '1.0.3',
      });
      rows.push(compactRow(enrichedRow(statement, { snapshot, key })));
      written++;
      if (rows.length >= BATCH) await flush();
    }
    pending = [];
    last = day.day;
    if (written % 1_000_000 < day.statements) log(`${written} statements (${day.day})`);
    if (written >= n) break;
  }
  await flush();
  const seconds = (performance.now() - started) / 1000;
  const rosters = join(dir, 'rosters.csv');
  writeFileSync(rosters, sim.rosterCsv());
  writeFileSync(join(dir, 'drift.csv'), sim.driftCsv());
  await importDirectory(store, warehouse, [rosters]);
  log(`loaded ${written} statements in ${seconds.toFixed(0)} s`);
  return {
    statements: written,
    scale,
    share,
    establishments: world.establishments.length,
    from: SIM_FROM,
    to: last,
    seconds,
  };
}

/** Precision, recall and delay of the alerts, every Friday, on the pupils of the given classes. */
async function alertQuality(classIds) {
  const drift = new Map(
    readFileSync(join(dir, 'drift.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(';'))
      .map(([person, , , day]) => [`el-${person}`, day]),
  );
  const fridays = [];
  for (let d = Date.parse('2025-12-05T12:00:00Z'); d <= Date.parse(`${loaded.to}T12:00:00Z`); d += 7 * 86_400_000) {
    fridays.push(new Date(d).toISOString().slice(0, 10));
  }
  const rules = ['inactivity', 'missing-homework', 'late-homework', 'falling-scores', 'disengagement'];
  const counts = Object.fromEntries(rules.map((r) => [r, { tp: 0, fp: 0, fn: 0 }]));
  const firstAlert = new Map();
  const seen = new Set();
  const infos = (await Promise.all(classIds.map((id) => classInfo(store, id)))).filter(Boolean);
  const zoneOf = (cls) => calendar.zoneOfAcademie(cls.academie) ?? 'B';
  for (const friday of fridays) {
    for (const cls of infos) {
      const page = await classFollowUp(deps, cls, { from: YEAR_START, to: friday });
      for (const p of page.pupils) {
        if (p.lastActivityAt === null && p.homework.assigned === 0) continue; // no identity: nothing to judge
        seen.add(p.pupilId);
        const drifted = drift.has(p.pupilId) && drift.get(p.pupilId) <= friday;
        const codes = new Set(p.alerts.map((a) => a.code));
        if (codes.has('inactivity') || codes.has('missing-homework')) codes.add('disengagement');
        for (const r of rules) {
          const alerted = codes.has(r);
          if (alerted && drifted) counts[r].tp++;
          if (alerted && !drifted) counts[r].fp++;
          if (!alerted && drifted) counts[r].fn++;
        }
        if (drifted && codes.has('disengagement') && !firstAlert.has(p.pupilId)) {
          firstAlert.set(p.pupilId, { day: friday, zone: zoneOf(cls) });
        }
      }
    }
  }
  const driftedSeen = [...seen].filter((id) => drift.has(id) && drift.get(id) <= fridays[fridays.length - 1]);
  const delays = driftedSeen
    .filter((id) => firstAlert.has(id))
    .map((id) => schoolDaysBetween(drift.get(id), firstAlert.get(id).day, firstAlert.get(id).zone))
    .sort((a, b) => a - b);
  const pct = (x) => +(100 * x).toFixed(1);
  return {
    fridays: fridays.length,
    classes: infos.length,
    pupils: seen.size,
    drifted: driftedSeen.length,
    alertedAfterDrift: delays.length,
    rules: Object.fromEntries(
      rules.map((r) => {
        const c = counts[r];
        return [
          r,
          { ...c, precision: pct(c.tp / Math.max(1, c.tp + c.fp)), recall: pct(c.tp / Math.max(1, c.tp + c.fn)) },
        ];
      }),
    ),
    schoolDaysFromDriftToAlert: delays.length
      ? {
          p25: delays[Math.floor(delays.length / 4)],
          median: delays[Math.floor(delays.length / 2)],
          p75: delays[Math.floor((3 * delays.length) / 4)],
        }
      : null,
  };
}

/** School days after `from` up to `to` (both Paris days) in a zone. */
function schoolDaysBetween(from, to, zone) {
  let n = 0;
  for (let d = Date.parse(`${from}T12:00:00Z`) + 86_400_000; d <= Date.parse(`${to}T12:00:00Z`); d += 86_400_000) {
    if (calendar.isSchoolDay(zone, new Date(d).toISOString().slice(0, 10))) n++;
  }
  return n;
}

function markdown(r) {
  const m = r.machine;
  const row = (name, x) =>
    `| ${name} | ${x.wall.p50} | ${x.wall.p95} | ${x.wall.p95 <= 100 ? 'yes' : 'no'} | ${x.cpu.p50} |`;
  const a = r.alerts;
  return `# Follow-up pages and alerts (${r.date.slice(0, 10)})

Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}; load average
${r.loadAverage.join(' / ')} at the end (the machine is shared: wall times include contention, CPU times do not).

**${r.statements.toLocaleString('en')} simulated statements** (libs/simulator on the bundled directory, ${r.simulated.from} →
${r.simulated.to}, scale 1 — classes at their real size — in a measured perimeter of ${r.simulated.establishments} establishments,
collège sectors drawn at ${(100 * r.simulated.share).toFixed(1)} %), inserted as the LRS ingests in ${r.simulated.loadSeconds.toFixed(0)} s;
\`statements\` ${r.tables.statements?.rows.toLocaleString('en')} rows, \`follow_up_pupil_events\`
${r.tables.follow_up_pupil_events?.rows.toLocaleString('en')} rows (${r.tables.follow_up_pupil_events?.MiB} MiB),
\`follow_up_homework\` ${r.tables.follow_up_homework?.rows.toLocaleString('en')} rows${
    r.grown > 1
      ? ` — the two tables the pages read grown ${r.grown} times (\`--grow\`: every row again under other pupils of
other classes), as in a store of about ${(r.statements * r.grown).toLocaleString('en')} statements; the alerts read the
simulated pupils only`
      : ''
  }. Period of every page: ${r.period.from} → ${r.period.to}.

## Speed (embedded chdb + PGlite, the library functions the resolvers call)

${r.classPage.runs} runs each after a warm-up, over ${r.classPage.classes} secondary classes (${r.classPage.pupilsPerClass} pupils in the first)
and ${r.pupilPage.pupils} of their pupils.

| page | p50 ms | p95 ms | p95 ≤ 100 ms | CPU p50 ms |
|---|---:|---:|---|---:|
${row('classFollowUp (Ma classe)', r.classPage)}
${row('pupilFollowUp (Fiche élève)', r.pupilPage)}
${
  r.baseline
    ? `${row('classFollowUp, baseline', r.baseline.classPage)}
${row('pupilFollowUp, baseline', r.baseline.pupilPage)}

The baseline rows are \`${r.baseline.dir}\` (\`--baseline\`: another build of libs/follow-up), timed call by call
alternating with this build's, on the same pages.
`
    : ''
}
${a.classes === 0 ? '' : alertsMarkdown(a)}`;
}

function alertsMarkdown(a) {
  const rule = (name, label) => {
    const x = a.rules[name];
    return `| ${label} | ${x.precision} % | ${x.recall} % | ${x.tp} | ${x.fp} | ${x.fn} |`;
  };
  const d = a.schoolDaysFromDriftToAlert;
  return `## Alerts against the pupils the simulator made drift away

Every Friday from 5 December to the last simulated week (${a.fridays} Fridays), the ${a.pupils} pupils of ${a.classes}
secondary classes; a pupil counts as drifted from their drift day on (${a.drifted} of them by the last Friday). A
pair (pupil, Friday) is a true positive when the pupil is alerted and has drifted.

| rule | precision | recall | TP | FP | FN |
|---|---:|---:|---:|---:|---:|
${rule('inactivity', 'Inactivité (5 school days at least, and unusual for the pupil’s rhythm)')}
${rule('missing-homework', 'Devoirs non rendus (50 % over 4 weeks, 25 points above the pupil’s own share)')}
${rule('late-homework', 'Retards répétés (3 over 4 weeks, 25 points above the pupil’s own share)')}
${rule('falling-scores', 'Notes en baisse (3 points /20, beyond 2.33 standard errors of the pupil’s own marks)')}
${rule('disengagement', 'Inactivité or devoirs non rendus')}

A teacher of one of these classes would see, on an average Friday, ${(a.rules.disengagement.fp / (a.classes * a.fridays)).toFixed(1)} pupil(s) alerted for inactivity or
missing homework who had not drifted away (of ${(a.pupils / a.classes).toFixed(0)} pupils).

${a.alertedAfterDrift} of the ${a.drifted} drifted pupils got an « inactivité » or « devoirs non rendus » alert;
school days from the drift to the first Friday with that alert: ${d ? `p25 ${d.p25}, median ${d.median}, p75 ${d.p75}` : 'none'}
(the rules look back: an alert never comes before the drift in this simulation, where drifting pupils show no sign
beforehand; recall counts every Friday after the drift, including the first days when no rule can know yet).
`;
}
