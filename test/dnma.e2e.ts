import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importDirectory } from '@ent-observatory/directory';
import { type Store, migrateStore, openStore } from '@ent-observatory/store';
import { type Warehouse, command, queryRows } from '@ent-observatory/warehouse';
import { exportDnma } from '../apps/api/src/dnma/export.js';
import { importDnma } from '../apps/api/src/dnma/import.js';
import type { Principal } from '../apps/api/src/auth/access.js';
import { ScopeService } from '../apps/api/src/auth/scope.service.js';
import type { Env } from '../apps/api/src/config/env.js';
import { ProfileEnum, SourceEnum } from '../apps/api/src/observatory/dto/observatory-filter.input.js';
import { ObservatoryPlaces } from '../apps/api/src/observatory/observatory-places.js';
import { ObservatoryViewsService } from '../apps/api/src/observatory/observatory-views.service.js';
import { ObservatoryService } from '../apps/api/src/observatory/observatory.service.js';
import { VisitRollupsService } from '../apps/api/src/observatory/visit-rollups.service.js';
import { bundledFiles } from './support/directory.js';
import { testRoot } from './support/paths.js';
import { freshWarehouse } from './support/warehouse.js';

const CLI = fileURLToPath(new URL('../apps/api/dist/cli/main.js', import.meta.url));

/** Three schools of the bundled directory: two in Ille-et-Vilaine (académie de Rennes), one in Val-de-Marne. */
const BAULON = '0350122T';
const CARDROC = '0350165P';
const FRESNES = '0940176F';
const TERRITORY: Record<string, { academie: string; departement: string; region: string }> = {
  [BAULON]: { academie: '14', departement: '035', region: '53' },
  [CARDROC]: { academie: '14', departement: '035', region: '53' },
  [FRESNES]: { academie: '24', departement: '094', region: '11' },
};
const WEEK = '2026-01-05';
/** Monday 5 January 2026 00:00 and Monday 12 January 00:00, Europe/Paris (UTC+1 in winter). */
const WEEK_START = Date.parse('2026-01-04T23:00:00Z');
const WEEK_END = Date.parse('2026-01-11T23:00:00Z');

interface Event {
  actor: string;
  uai: string;
  profile: string;
  service: string;
  device: string;
  ts: number;
}

/** A deterministic week of ENT activity: 16 people, 3 schools, bursts of clicks separated by idle gaps. */
function buildEvents(): Event[] {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const profiles = ['ELEVE', 'ELEVE', 'PARENT', 'ENSEIGNANT', 'PERSONNEL', 'AUTRE'];
  const services = ['accueil', 'cahier_textes', 'courrier_electronique', 'services_vie_scolaire', 'autre'];
  const devices = ['ordinateur', 'smartphone', 'tablette', 'autre', ''];
  const events: Event[] = [];
  for (let person = 0; person < 16; person++) {
    const actor = `p${person}`;
    const profile = pick(profiles);
    const home = pick([BAULON, CARDROC, FRESNES]);
    const device = pick(devices);
    let ts = WEEK_START - 40 * 60_000 + Math.floor(random() * 3_600_000);
    while (ts < WEEK_END + 3_600_000) {
      // a burst of 1-6 clicks 0-25 min apart (same visit), then 10 min to 2 days idle
      const clicks = 1 + Math.floor(random() * 6);
      for (let c = 0; c < clicks; c++) {
        // a parent sometimes acts for a child in another school within the same visit
        const uai = profile === 'PARENT' && random() < 0.2 ? FRESNES : home;
        events.push({ actor, uai, profile, service: pick(services), device, ts });
        ts += Math.floor(random() * 25 * 60_000);
      }
      ts += 10 * 60_000 + Math.floor(random() * 2 * 86_400_000);
    }
  }
  // on the bounds: Sunday 23:30 Paris counts, Monday 00:00 of the next week does not
  events.push({
    actor: 'edge',
    uai: BAULON,
    profile: 'ELEVE',
    service: 'notes',
    device: 'smartphone',
    ts: WEEK_END - 1_800_000,
  });
  events.push({ actor: 'edge', uai: BAULON, profile: 'ELEVE', service: 'notes', device: 'smartphone', ts: WEEK_END });
  return events;
}

const LONG_PROFILE: Record<string, string> = {
  ELEVE: 'ELEVE',
  PARENT: 'PARENT',
  ENSEIGNANT: 'ENSEIGNANT',
  PERSONNEL: 'PERSONNEL',
};
const DNMA_SERVICE_SAMPLE = new Set([
  'accueil',
  'cahier_textes',
  'courrier_electronique',
  'services_vie_scolaire',
  'notes',
]);

/**
 * The answer computed here, independently of the SQL, with the observatory's visit definition (docs/indicators.md):
 * per person, Paris day and cell, the set of active minutes; a visit is a run of minutes with no gap over 30
 * minutes; a visit lasts from its first to its last minute. A service's visits are the ENT visits it was opened in
 * (runs of all the person-day's minutes, for one establishment, profile and device, that hold one of its minutes);
 * its duration is the span of its own runs. Cells keyed as the long table stores them.
 */
function expectedCells(events: Event[]): Map<string, { visits: number; users: number; duration: number }> {
  const PARIS = 3_600_000; // UTC+1 in January
  const byCell = new Map<string, Map<string, Set<number>>>();
  /** Every minute of a person-day, per establishment, profile and device: the ENT visits services are counted in. */
  const allMinutes = new Map<string, Set<number>>();
  const add = (map: Map<string, Set<number>>, key: string, minute: number) => {
    const set = map.get(key) ?? new Set<number>();
    map.set(key, set);
    set.add(minute);
  };
  for (const e of events) {
    if (e.ts < WEEK_START || e.ts >= WEEK_END || e.uai === '') continue;
    const local = e.ts + PARIS;
    const day = Math.floor(local / 86_400_000);
    const minute = Math.floor((local % 86_400_000) / 60_000);
    const profile = LONG_PROFILE[e.profile];
    const personDay = `${e.actor}|${day}`;
    const context = `${personDay}|${e.uai}|${e.profile}|${e.device}`;
    add(allMinutes, context, minute);
    const keys: [string, string][] = [[`profils|${e.uai}||`, personDay]];
    if (profile) keys.push([`profils|${e.uai}|${profile}|`, personDay]);
    if (DNMA_SERVICE_SAMPLE.has(e.service)) keys.push([`services|${e.uai}|svc:${e.service}|`, context]);
    if (profile && e.device) keys.push([`profils-appareils|${e.uai}|${profile}|${e.device}`, personDay]);
    if (e.device) keys.push([`appareils|${e.uai}||${e.device}`, personDay]);
    for (const [key, person] of keys) {
      const perPerson = byCell.get(key) ?? new Map<string, Set<number>>();
      byCell.set(key, perPerson);
      add(perPerson, person, minute);
    }
  }
  /** Runs of minutes with no gap over 30: [first, last] of each. */
  const runsOf = (minutes: Iterable<number>) => {
    const runs: [number, number][] = [];
    for (const m of [...minutes].sort((a, b) => a - b)) {
      const last = runs.at(-1);
      if (last && m - last[1] <= 30) last[1] = m;
      else runs.push([m, m]);
    }
    return runs;
  };
  const out = new Map<string, { visits: number; users: number; duration: number }>();
  for (const [key, perPerson] of byCell) {
    let visits = 0;
    let span = 0;
    const users = new Set<string>();
    for (const [person, set] of perPerson) {
      users.add(person.split('|')[0] as string);
      const own = runsOf(set);
      span += own.reduce((sum, [a, b]) => sum + (b - a), 0);
      visits += key.startsWith('services|')
        ? runsOf(allMinutes.get(person) ?? []).filter(([a, b]) => [...set].some((m) => m >= a && m <= b)).length
        : own.length;
    }
    out.set(key, { visits, users: users.size, duration: Math.round((span * 60) / visits) });
  }
  return out;
}

async function insertEvents(warehouse: Warehouse, events: Event[]): Promise<void> {
  const values = events.map((e) => {
    const t = new Date(e.ts).toISOString().replace('T', ' ').replace('Z', '');
    return {
      id: randomUUID(),
      stored: t,
      timestamp: t,
      actor_ifi: `account::https://ent.example.fr::${e.actor}`,
      actor_type: 'Agent',
      verb_id: 'http://activitystrea.ms/schema/1.0/access',
      object_id: `https://ent.example.fr/${e.service}`,
      object_type: 'Activity',
      version: '1.0.3',
      raw: '{}',
      actor_pseudonym: `pseudo-${e.actor}`,
      uai: e.uai,
      uai_known: 1,
      ...(TERRITORY[e.uai] ?? {}),
      ent_profile: e.profile,
      ent_service: e.service,
      device: e.device,
    };
  });
  await warehouse.client.insert({ table: 'statements', values, format: 'JSONEachRow' });
}

interface StoredCell {
  dataset: string;
  uai: string;
  profile: string;
  service: string;
  device: string;
  visits: string;
  users: string;
  duration_seconds: number;
}

async function storedCells(
  warehouse: Warehouse,
): Promise<Map<string, { visits: number; users: number; duration: number }>> {
  const rows = await queryRows<StoredCell>(
    warehouse.client,
    `SELECT dataset, uai, profile, service, device, visits, users, duration_seconds FROM dnma_weekly WHERE os = '' AND browser = ''`,
  );
  return new Map(
    rows.map((r) => [
      `${r.dataset}|${r.uai}|${r.service ? `svc:${r.service}` : r.profile}|${r.device}`,
      { visits: Number(r.visits), users: Number(r.users), duration: r.duration_seconds },
    ]),
  );
}

describe('DNMA both ways', () => {
  let warehouse: Warehouse;
  let store: Store;
  const dir = (() => {
    mkdirSync(testRoot(), { recursive: true });
    return mkdtempSync(join(testRoot(), 'dnma-'));
  })();

  beforeAll(async () => {
    warehouse = await freshWarehouse();
    await command(warehouse.client, 'TRUNCATE TABLE dnma_weekly');
    store = await openStore({ dataDir: 'memory://' });
    await migrateStore(store);
    await importDirectory(store, warehouse, bundledFiles());
  });
  afterAll(async () => {
    await store.close();
  });

  it('exports a week of our statements in the four published layouts and imports them back to the same figures', async () => {
    const events = buildEvents();
    await insertEvents(warehouse, events);
    const expected = expectedCells(events);
    expect(expected.size).toBeGreaterThan(40); // the sample exercises many cells

    const files = await exportDnma(store, warehouse, {
      week: WEEK,
      scope: { kind: 'national' },
      outDir: join(dir, 'national'),
    });
    expect(files.map((f) => [f.dataset, f.rows])).toEqual([
      ['profils', 3],
      ['services', 3],
      ['profils-appareils', expect.any(Number)],
      ['appareils', expect.any(Number)],
    ]);
    const profils = readFileSync(files[0]?.path as string, 'utf8')
      .trimEnd()
      .split('\n');
    expect(profils[0]).toBe(
      'debutsemaine;uai;visites_globales;utilisateurs_globales;duree_globales;visites_eleve;utilisateurs_eleve;duree_eleve;' +
        'visites_parent;utilisateurs_parent;duree_parent;visites_enseignant;utilisateurs_enseignant;duree_enseignant;' +
        'visites_admin_vie_scol_tech;utilisateurs_admin_vie_scol_tech;duree_admin_vie_scol_tech;' +
        'academie;commune;departement;region;ministere;circonscription;nature_uai;secteur',
    );
    const baulon = profils.find((l) => l.startsWith(`${WEEK};${BAULON};`))?.split(';') ?? [];
    const global = expected.get(`profils|${BAULON}||`);
    expect(baulon.slice(2, 4)).toEqual([String(global?.visits), String(global?.users)]);
    expect(baulon.slice(-8)).toEqual([
      'Rennes',
      'Baulon',
      'Ille-et-Vilaine',
      'Bretagne',
      '',
      "Circonscription d'inspection du 1er degré de Bruz",
      'ECOLE DE NIVEAU ELEMENTAIRE',
      'PU',
    ]);
    const fresnes = profils.find((l) => l.includes(`;${FRESNES};`))?.split(';') ?? [];
    expect(fresnes.slice(-8, -4)).toEqual(['Créteil', 'Fresnes', 'Val-de-Marne', 'Ile-de-France']);

    const reports = await importDnma(
      store,
      warehouse,
      files.map((f) => f.path),
    );
    expect(reports.map((r) => [r.dataset, r.error, r.rejected, r.warnings])).toEqual(
      files.map((f) => [f.dataset, undefined, [], []]),
    );
    expect(await storedCells(warehouse)).toEqual(expected);
    const [codes] = await queryRows<{ academie: string; departement: string; region: string; label: string }>(
      warehouse.client,
      `SELECT any(academie) AS academie, any(departement) AS departement, any(region) AS region, any(academie_label) AS label
         FROM dnma_weekly WHERE uai = {uai:String}`,
      { uai: FRESNES },
    );
    expect(codes).toEqual({ academie: '24', departement: '094', region: '11', label: 'Créteil' });

    // importing the same files again replaces, never adds
    const [before] = await queryRows<{ n: string; visits: string }>(
      warehouse.client,
      'SELECT count() AS n, sum(visits) AS visits FROM dnma_weekly',
    );
    await importDnma(
      store,
      warehouse,
      files.map((f) => f.path),
    );
    const [after] = await queryRows<{ n: string; visits: string }>(
      warehouse.client,
      'SELECT count() AS n, sum(visits) AS visits FROM dnma_weekly',
    );
    expect(after).toEqual(before);

    // a narrower scope gives the same lines for its schools, and only them
    const academie = await exportDnma(store, warehouse, {
      week: WEEK,
      scope: { kind: 'academie', code: '14' },
      outDir: join(dir, 'academie-14'),
    });
    const scoped = readFileSync(academie[0]?.path as string, 'utf8')
      .trimEnd()
      .split('\n');
    expect(scoped.slice(1).map((l) => l.split(';')[1])).toEqual([BAULON, CARDROC]);
    expect(scoped.slice(1)).toEqual(profils.slice(1).filter((l) => !l.includes(FRESNES)));
  });

  it('answers adoption and overview with source DNMA from the imported figures, and says which views cannot', async () => {
    // the files of the round trip above are imported: DNMA figures of the week are our exported ones
    const expected = expectedCells(buildEvents());
    const sum = (prefix: string, uais = [BAULON, CARDROC, FRESNES]) =>
      uais.reduce((n, uai) => n + (expected.get(`${prefix.replace('UAI', uai)}`)?.visits ?? 0), 0);
    const places = new ObservatoryPlaces(store);
    const env = { K_ANONYMITY: 5, ROLLUP_WAIT_MS: 60_000 } as Env;
    const service = new ObservatoryService(
      warehouse,
      env,
      new ScopeService(store),
      places,
      new VisitRollupsService(warehouse, env),
    );
    const views = new ObservatoryViewsService(service);
    const national: Principal = {
      userId: 'n',
      email: 'n@example.fr',
      displayName: 'N',
      roles: [{ role: 'national', scope: '' }],
    };
    const week = { from: WEEK, to: '2026-01-11', source: SourceEnum.DNMA };

    const all = await service.adoption(national, week);
    expect(all.visits).toBe(sum('profils|UAI||'));
    expect(all.users).toBeNull();
    expect(all.suppressed).toBe(false);
    expect(all.byProfile.map((p) => [p.profile, p.visits])).toEqual(
      ['ELEVE', 'PARENT', 'ENSEIGNANT', 'PERSONNEL'].map((p) => [p, sum(`profils|UAI|${p}|`)]),
    );
    expect(all.byDevice.map((d) => [d.device, d.visits])).toEqual(
      ['ordinateur', 'smartphone', 'tablette', 'autre'].map((d) => [d.toUpperCase(), sum(`appareils|UAI||${d}`)]),
    );
    expect(Object.fromEntries(all.byService.map((x) => [x.service, x.visits]))).toEqual(
      Object.fromEntries(
        [...DNMA_SERVICE_SAMPLE]
          .filter((x) => sum(`services|UAI|svc:${x}|`) > 0)
          .map((x) => [x, sum(`services|UAI|svc:${x}|`)]),
      ),
    );
    // a territory, a profile filter (the sum of that profile, not the all-users column)
    const rennes = await service.adoption(national, { ...week, academie: '14' });
    expect(rennes.visits).toBe(sum('profils|UAI||', [BAULON, CARDROC]));
    const parents = await service.adoption(national, { ...week, profile: [ProfileEnum.PARENT] });
    expect(parents.visits).toBe(sum('profils|UAI|PARENT|'));
    // our own figures for the same week are still there: the two sources sit side by side
    const ours = await service.adoption(national, { from: WEEK, to: '2026-01-11' });
    const people = new Set(
      buildEvents()
        .filter((e) => e.ts >= WEEK_START && e.ts < WEEK_END)
        .map((e) => e.actor),
    );
    expect(ours.users).toBe(people.size);
    // a visit belongs to one establishment (docs/indicators.md): a parent's sitting that looks at two children's
    // schools is one visit of each, nationally as in DNMA's per-UAI rows, so both sources count the same visits
    expect(ours.visits).toBe(all.visits);

    const overview = await service.overview(national, week, 'week');
    expect(overview.current.visits).toBe(all.visits);
    expect(overview.national.visits).toBe(all.visits);
    expect(overview.trend.map((t) => [t.period, t.visits])).toEqual([[WEEK, all.visits]]);
    expect(overview.previous.visits).toBe(0);

    // the national map: DNMA visits per région, every région DNMA has, enrolment from our directory
    const map = await views.territoryView(national, week);
    expect(map.total.visits).toBe(all.visits);
    expect(map.rows.map((r) => [r.code, r.name, r.visits, r.users])).toEqual([
      ['53', 'Bretagne', sum('profils|UAI||', [BAULON, CARDROC]), null],
      ['11', 'Ile-de-France', sum('profils|UAI||', [FRESNES]), null],
    ]);
    expect(map.rows[0]?.enrolledPupils).toBeGreaterThan(0);

    await expect(views.equityView(national, week)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringContaining('source DNMA is available for adoption, overview and territoryView only'),
    });
  });

  it('imports a hand-written file in the published format: BOM, accented labels, CRLF, missing columns', async () => {
    const sample = join(dir, 'fr-en-dnma-par-uai-profils-appareils.csv');
    writeFileSync(
      sample,
      '\uFEFFdebutSemaine;UAI;visites_eleve_ordinateur;utilisateurs_eleve_ordinateur;duree_eleve_ordinateur;' +
        'visites_parent_smartphone;utilisateurs_parent_smartphone;duree_parent_smartphone;visites_parent_autresAppareil;' +
        'utilisateurs_parent_autresAppareil;duree_parent_autresAppareil;académie;commune;département;région;ministère;secteur\r\n' +
        "2025-09-22;0290001A;120;45;00:12:30;300;210;00:03:15:50;4;2;00:00:40;Rennes;Brest;Finistère;Bretagne;MINISTERE DE L'EDUCATION NATIONALE;PU\r\n" +
        `2025-09-22;${CARDROC};7;3;00:05:00;;;;0;0;00:00:00;Rennes;Cardroc;Ille-et-Vilaine;Bretagne;;PU\r\n` +
        '2025-09-23;0290002B;1;1;00:00:10;;;;;;;Rennes;;;;;\r\n' +
        '2025-09-22;02900;1;1;00:00:10;;;;;;;Rennes;;;;;\r\n' +
        '2025-09-22;0290003C;dix;1;00:00:10;;;;;;;Rennes;;;;;\r\n' +
        '2025-09-22;0290004D;1;1;12 min;;;;;;;Rennes;;;;;\r\n',
    );
    const [report] = await importDnma(store, warehouse, [sample]);
    expect(report?.dataset).toBe('profils-appareils');
    expect(report?.imported).toBe(2);
    expect(report?.rejected).toEqual([
      { line: 4, reason: 'debutsemaine 2025-09-23 is not a Monday' },
      { line: 5, reason: 'uai "02900" is not a UAI (7 digits and a letter)' },
      { line: 6, reason: 'visites_eleve_ordinateur "dix" is not a whole number' },
      { line: 7, reason: 'duree_eleve_ordinateur "12 min" is not a duration (expected HH:MM:SS)' },
    ]);
    expect(report?.warnings).toEqual([
      expect.stringMatching(
        /^39 column\(s\) of fr-en-dnma-par-uai-profils-appareils absent, their cells not imported: /,
      ),
    ]);
    const rows = await queryRows<Record<string, unknown>>(
      warehouse.client,
      `SELECT uai, profile, device, toUInt32(visits) AS visits, toUInt32(users) AS users, duration_seconds, academie, departement, region, departement_label, commune
         FROM dnma_weekly WHERE week = '2025-09-22' ORDER BY uai, profile, device`,
    );
    expect(rows).toEqual([
      // unknown to our directory: territory codes from the labels
      {
        uai: '0290001A',
        profile: 'ELEVE',
        device: 'ordinateur',
        visits: 120,
        users: 45,
        duration_seconds: 750,
        academie: '14',
        departement: '029',
        region: '53',
        departement_label: 'Finistère',
        commune: 'Brest',
      },
      {
        uai: '0290001A',
        profile: 'PARENT',
        device: 'autre',
        visits: 4,
        users: 2,
        duration_seconds: 40,
        academie: '14',
        departement: '029',
        region: '53',
        departement_label: 'Finistère',
        commune: 'Brest',
      },
      {
        uai: '0290001A',
        profile: 'PARENT',
        device: 'smartphone',
        visits: 300,
        users: 210,
        duration_seconds: 195.5,
        academie: '14',
        departement: '029',
        region: '53',
        departement_label: 'Finistère',
        commune: 'Brest',
      },
      // known: codes from the directory; empty and zero cells are not stored
      {
        uai: CARDROC,
        profile: 'ELEVE',
        device: 'ordinateur',
        visits: 7,
        users: 3,
        duration_seconds: 300,
        academie: '14',
        departement: '035',
        region: '53',
        departement_label: 'Ille-et-Vilaine',
        commune: 'Cardroc',
      },
    ]);
  });

  it('says what is wrong with a file that is not a DNMA dataset, and with bad export arguments (CLI)', () => {
    const dataDir = join(dir, 'cli');
    const run = (...args: string[]) => {
      const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
      delete env.DATABASE_URL;
      delete env.CLICKHOUSE_URL;
      const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 110_000 });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const noUai = join(dir, 'no-uai.csv');
    writeFileSync(noUai, 'debutsemaine,visites_accueil,visites_notes\n2026-01-05,3,4\n');
    const territories = bundledFiles().find((f) => f.endsWith('territories.csv')) as string;
    const imported = run('dnma:import', noUai, territories);
    expect(imported.code).toBe(1);
    expect(imported.out).toContain(
      `✗ ${noUai}: fr-en-dnma-par-uai-services: missing column(s) uai (header line 1; "debutSemaine"/"UAI" in any case or accents are accepted)`,
    );
    expect(imported.out).toContain(
      `✗ ${territories}: not a DNMA file: no visites_/utilisateurs_/duree_ column of fr-en-dnma-par-uai-profils, fr-en-dnma-par-uai-services, fr-en-dnma-par-uai-profils-appareils, fr-en-dnma-par-uai-appareils in the header (found: code_departement,`,
    );

    const tuesday = run('dnma:export', '--week', '2026-01-06', '--scope', 'national');
    expect(tuesday.code).toBe(2);
    expect(tuesday.err).toContain(
      '--week 2026-01-06 is not a Monday: DNMA weeks start on Monday (2026-01-05 for that week)',
    );
    const scope = run('dnma:export', '--week', WEEK, '--scope', 'academie:Rennes');
    expect(scope.code).toBe(2);
    expect(scope.err).toContain('--scope academie:Rennes: "Rennes" is not a valid academie code (e.g. academie:14)');

    const exported = run('dnma:export', '--week', WEEK, '--scope', 'uai:0352167r', '--out', join(dir, 'cli-out'));
    expect(exported.err).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.out).toContain('fr-en-dnma-par-uai-services_2026-01-05_uai-0352167R.csv: 0 UAI(s)');
  });
});
