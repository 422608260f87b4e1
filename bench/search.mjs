// Directory search on a France-sized directory: the bundled establishments (Ille-et-Vilaine, Val-de-Marne) copied
// into 101 départements' worth of rows (≈ 65,000 establishments with their enrolments), then each search of
// SEARCHES run as the API runs it (libs/directory searchEstablishments: bounded words, trigram index, ranked) beside
// the search it replaced (one LIKE condition per word, no index, enrolment totals of every establishment joined),
// on PGlite and, with DATABASE_URL, on the PostgreSQL server. Same data, same process, one run: compare ratios.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { importDirectory, searchEstablishments, searchWords } from '@ent-observatory/directory';
import { migrateStore, openStore } from '@ent-observatory/store';
import { createWarehouse, migrate } from '@ent-observatory/warehouse';
import { machine, writeResults } from './support.mjs';

const TARGET = 65_000;
const RUNS = Number(process.env.BENCH_SEARCH_RUNS ?? 15);
const SEARCHES = [
  { label: 'one rare word', text: 'doisneau' },
  { label: 'two common words', text: 'école élémentaire' },
  { label: 'three words', text: 'collège jean moulin' },
  { label: 'typo, no exact match (fuzzy fallback)', text: 'chateaubriant lycee' },
  { label: '8 words (the most allowed)', text: 'ecole elementaire publique jean jaures centre ville nord' },
];

const files = readdirSync('data/directory')
  .filter((f) => f.endsWith('.csv'))
  .sort()
  .map((f) => join('data/directory', f));
const dataDir = mkdtempSync(join(tmpdir(), 'bench-search-'));
const warehouse = createWarehouse({ dataDir });
await migrate(warehouse);

/** The search as it was before: one LIKE per word, every establishment's latest enrolment total joined. */
async function searchBefore(store, text, limit = 20) {
  const params = [];
  const where = ['TRUE'];
  for (const word of text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean))
    where.push(`e.search_name LIKE $${params.push(`%${word}%`)}`);
  const condition = where.join(' AND ');
  const [count] = await store.query(`SELECT count(*)::int AS total FROM establishments e WHERE ${condition}`, params);
  const items = await store.query(
    `SELECT e.uai, e.name, COALESCE(e.pupils, t.pupils) AS pupils, COALESCE(p.platform_id, '') AS platform
     FROM establishments e
     LEFT JOIN (SELECT DISTINCT ON (uai) uai, pupils FROM establishment_enrolments WHERE level = 'TOTAL'
                ORDER BY uai, school_year DESC) t ON t.uai = e.uai
     LEFT JOIN establishment_platforms p ON p.uai = e.uai
     WHERE ${condition} ORDER BY e.name, e.uai LIMIT $${params.length + 1}`,
    [...params, limit],
  );
  return { total: count.total, items };
}

/** Copies of the bundled directory under new UAIs and département codes until it has about TARGET rows. */
async function fillToFrance(store) {
  const [{ n }] = await store.query('SELECT count(*)::int AS n FROM establishments');
  const copies = Math.ceil(TARGET / n) - 1;
  for (let k = 1; k <= copies; k += 1) {
    const dept = String(k).padStart(3, '0');
    // The UAI keeps its letter and takes a new 7-digit number: copy k of 0350122T is 1350122T-like but unique.
    const uai = `lpad(((substr(uai, 1, 7)::int + ${k} * 1000000) % 10000000)::text, 7, '0') || substr(uai, 8, 1) || '${k}'`;
    await store.execScript(`
      INSERT INTO establishments (uai, name, search_name, type, raw_type, nature_code, nature_label, sector, rep,
        address, postal_code, commune_code, commune_name, departement_code, academie_code, region_code, latitude,
        longitude, circonscription, bassin_code, bassin_name, pupils, status)
      SELECT ${uai}, name, search_name, type, raw_type, nature_code, nature_label, sector, rep, address, postal_code,
        commune_code, commune_name, '${dept}', academie_code, region_code, latitude, longitude, circonscription,
        bassin_code, bassin_name, pupils, status
      FROM establishments WHERE length(uai) = 8;
      INSERT INTO establishment_enrolments (uai, school_year, level, pupils)
      SELECT ${uai}, school_year, level, pupils FROM establishment_enrolments WHERE length(uai) = 8;`);
  }
  await store.execScript('ANALYZE establishments; ANALYZE establishment_enrolments;');
  const [{ total }] = await store.query('SELECT count(*)::int AS total FROM establishments');
  const [{ enrolments }] = await store.query('SELECT count(*)::int AS enrolments FROM establishment_enrolments');
  return { establishments: total, enrolments };
}

async function time(fn) {
  await fn(); // warm-up
  const ms = [];
  let result;
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    result = await fn();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return {
    p50: ms[Math.floor(ms.length / 2)],
    p95: ms[Math.min(ms.length - 1, Math.ceil(ms.length * 0.95) - 1)],
    total: result.total,
  };
}

async function run(mode, config) {
  const store = await openStore(config);
  await migrateStore(store);
  await store.execScript(
    'TRUNCATE regions, academies, departements, communes, establishments, establishment_enrolments, school_map, sector_colleges, ent_platforms, ent_platform_assignments, school_classes, class_members',
  );
  await importDirectory(store, warehouse, files);
  const size = await fillToFrance(store);
  const rows = [];
  // Before: no trigram index (as on main before migration 040).
  await store.execScript('DROP INDEX establishments_search_name_trgm');
  const before = [];
  for (const s of SEARCHES) before.push(await time(() => searchBefore(store, s.text)));
  const tenThousand = Array.from({ length: 10_000 }, (_, i) => `w${i}`).join(' ');
  const started = performance.now();
  await searchBefore(store, tenThousand);
  const tenThousandBefore = performance.now() - started;
  await store.execScript(
    'CREATE INDEX establishments_search_name_trgm ON establishments USING gin (search_name gin_trgm_ops)',
  );
  for (const [i, s] of SEARCHES.entries()) {
    const after = await time(() => searchEstablishments(store, { text: s.text, limit: 20 }));
    rows.push({ mode, search: s.label, text: s.text, before: before[i], after });
  }
  const refusedAt = performance.now();
  let refused = false;
  try {
    searchWords(tenThousand);
  } catch {
    refused = true;
  }
  const tenThousandAfter = performance.now() - refusedAt;
  await store.close();
  return { mode, size, rows, tenThousand: { beforeMs: tenThousandBefore, afterMs: tenThousandAfter, refused } };
}

const results = [await run('PGlite (on disk)', { dataDir })];
if (process.env.DATABASE_URL) results.push(await run('PostgreSQL', { databaseUrl: process.env.DATABASE_URL, dataDir }));
await warehouse.client.close();
rmSync(dataDir, { recursive: true, force: true });

const result = { date: new Date().toISOString(), machine: machine(), loadAverage: loadavg(), runs: RUNS, results };
const f = (ms) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
writeResults(
  'search',
  result,
  `# Directory search on ${results[0].size.establishments.toLocaleString('en')} establishments (${result.date.slice(0, 10)})

Machine: ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memoryGiB} GiB, Node ${result.machine.node}.
Load average ${result.loadAverage.map((l) => l.toFixed(1)).join(' / ')} (1 / 5 / 15 min) at the end of the run: the
machine is shared with other engineers' builds and tests, so compare the two columns of a row (same run, same data)
rather than absolute times. ${RUNS} runs per search after one warm-up; national scope, first page of 20.

Data: the bundled directory (Ille-et-Vilaine, Val-de-Marne) copied under new UAIs into as many départements as
needed for a France-sized directory: ${results.map((r) => `${r.mode}: ${r.size.establishments} establishments, ${r.size.enrolments} enrolment rows`).join('; ')}.

- **before**: the search of main before this change — one \`LIKE '%word%'\` per word, no index on names, the latest
  enrolment total of every establishment joined (DISTINCT ON) before the page is cut;
- **after**: \`searchEstablishments\` — at most 8 words and 100 characters, every word through the trigram GIN index
  of migration 040, ranked by word similarity, enrolment totals looked up for the page's rows only, and the closest
  names (trigram word similarity ≥ 0.6) when no name has every word.

| store | search | matches before / after | before p50 ms | before p95 ms | after p50 ms | after p95 ms | ratio p50 |
|---|---|---|---:|---:|---:|---:|---:|
${results
  .flatMap((r) =>
    r.rows.map(
      (x) =>
        `| ${x.mode} | ${x.search} (\`${x.text}\`) | ${x.before.total} / ${x.after.total} | ${f(x.before.p50)} | ${f(x.before.p95)} | ${f(x.after.p50)} | ${f(x.after.p95)} | ×${(x.before.p50 / x.after.p50).toFixed(1)} |`,
    ),
  )
  .join('\n')}

10,000 words: ${results
    .map(
      (r) =>
        `${r.mode} — before, one query of 10,000 LIKE conditions took ${f(r.tenThousand.beforeMs)} ms; after, refused (${r.tenThousand.refused ? 'RangeError in the library, 400 at the API edge' : 'NOT refused'}) in ${f(r.tenThousand.afterMs)} ms`,
    )
    .join('; ')}.

The typo row finds nothing before (0 matches) and the closest names after: its "after" time includes the exact
search that found nothing and the fuzzy one.

Reproduce: \`npm run bench -- search\` (\`DATABASE_URL=…\` adds the PostgreSQL server; \`BENCH_SEARCH_RUNS\` runs per search).
`,
);
