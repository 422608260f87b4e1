// Cost of enrichment at ingest, per statement, on one core: building the `statements` row of a stored profile
// statement with and without its enrichment columns (pseudonym HMAC, directory snapshot look-up, profile, service
// and device normalisation). Rounds alternate the two so both see the same machine state.
import {
  DNMA_SERVICES,
  ENT_CONTEXT_EXTENSIONS as X,
  ENT_PROFILES,
  PSEUDONYM_CACHE_SIZE,
  createPseudonymKey,
  enrichRow,
  enrichStatement,
  prepareStatement,
  serviceActivityType,
  statementToRow,
} from '@ent-observatory/xapi';
import { loadavg } from 'node:os';
import { machine, writeResults } from './support.mjs';

const N = 100_000;
const ROUNDS = 5;
const PROFILE_SPELLINGS = ['National_ELV', 'ELEVE', 'parent', 'National_ENS', 'admin_vie_scol_tech', 'Élève'];
const DEVICES = ['smartphone', 'ordinateur', 'tablette', 'Laptop', undefined];

/** A directory snapshot the size of the two bundled départements (about 1,600 establishments). */
const snapshot = new Map(
  Array.from({ length: 1_600 }, (_, i) => [
    `${String(350_000 + i).padStart(7, '0')}A`,
    { academie: '14', departement: '035', region: '53', sector: 'public', rep: i % 7 === 0 ? 'REP' : 'none' },
  ]),
);
const SECRET = 'cle-de-banc-d-essai-suffisamment-longue';
const ctx = { snapshot, key: createPseudonymKey(SECRET) };
/** Every pseudonym computed afresh: the cost for people the server has not seen lately. */
const coldCtx = { snapshot, key: createPseudonymKey(SECRET, 0) };
const authority = { account: { homePage: 'https://lrs.example.fr', name: 'bench' } };

/** A profile statement: a visit, one in four pupils' work naming its service as parent, one in ten a parent's. */
function profileStatement(n) {
  const service = DNMA_SERVICES[n % DNMA_SERVICES.length];
  const work = n % 4 === 0;
  const extensions = {
    [X.uai]: `${String(350_000 + (n % 1_700)).padStart(7, '0')}A`, // some unknown UAIs
    [X.profile]: PROFILE_SPELLINGS[n % PROFILE_SPELLINGS.length],
    [X.class]: `0350001A:2025-2026:6e ${n % 5}`,
    [X.level]: '6e',
  };
  const device = DEVICES[n % DEVICES.length];
  if (device) extensions[X.device] = device;
  if (n % 3 === 0) extensions[X.person] = `educonnect:${n % 40_000}`;
  if (n % 10 === 0) extensions[X.child] = { homePage: 'https://ent.example.fr', name: `e${n % 30_000}` };
  const serviceActivity = {
    id: `https://ent.example.fr/${service}`,
    definition: { type: serviceActivityType(service) },
  };
  return prepareStatement(
    {
      actor: { objectType: 'Agent', account: { homePage: 'https://ent.example.fr', name: `u${n % 50_000}` } },
      verb: { id: 'http://activitystrea.ms/schema/1.0/access' },
      object: work
        ? {
            id: `https://ent.example.fr/devoirs/${n}`,
            definition: { type: 'https://ent-observatory.fr/xapi/activities/homework' },
          }
        : serviceActivity,
      context: {
        platform: 'toutatice',
        contextActivities: work ? { parent: [serviceActivity] } : undefined,
        extensions,
      },
      timestamp: new Date(Date.UTC(2026, 0, 5, 7) + (n % 86_400) * 1000).toISOString(),
    },
    { authority, stored: new Date(), version: '1.0.3' },
  );
}

const statements = Array.from({ length: 10_000 }, (_, i) => profileStatement(i));
if (ENT_PROFILES.length !== 4) throw new Error('profile constants changed');

const cases = {
  'statementToRow (no enrichment)': (s) => statementToRow(s),
  'statementToRow(s, enrichStatement(s)) (what the LRS does)': (s) => statementToRow(s, enrichStatement(s, ctx)),
  'the same, no pseudonym cache': (s) => statementToRow(s, enrichStatement(s, coldCtx)),
  'statementToRow + enrichRow (columns filled afterwards)': (s) => enrichRow(statementToRow(s), s, ctx),
  'enrichStatement alone': (s) => enrichStatement(s, ctx),
};
for (const fn of Object.values(cases)) for (let i = 0; i < 20_000; i++) fn(statements[i % statements.length]); // warm-up

const best = Object.fromEntries(Object.keys(cases).map((k) => [k, Infinity]));
let sink = 0;
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, fn] of Object.entries(cases)) {
    globalThis.gc?.();
    const started = process.hrtime.bigint();
    for (let i = 0; i < N; i++) sink += fn(statements[i % statements.length]).uai.length;
    best[name] = Math.min(best[name], Number(process.hrtime.bigint() - started) / 1e9);
  }
}
if (sink === 0) throw new Error('nothing enriched');

const rows = Object.entries(best).map(([name, seconds]) => ({
  name,
  microseconds: (seconds / N) * 1e6,
  perSecond: Math.round(N / seconds),
}));
const plain = rows[0].microseconds;
const enriched = rows[1].microseconds;
const cold = rows[2].microseconds;
const load = loadavg()[0].toFixed(1);
const result = { date: new Date().toISOString(), machine: machine(), load, statements: N, rounds: ROUNDS, rows };
writeResults(
  'enrich',
  result,
  `# Enrichment at ingest: cost per statement (${result.date.slice(0, 10)})

Machine: ${result.machine.cpu}, ${result.machine.cores} cores, Node ${result.machine.node}; one thread; load average
${load} at the end (the machine is shared: compare the cases of one run, not runs).
${N.toLocaleString('en')} prepared profile statements per round (25 services, 6 profile spellings, 5 devices, a third
with a \`person\` extension, a tenth with a \`child\`, a 1,600-establishment snapshot, some unknown UAIs); best of
${ROUNDS} alternating rounds. \`npm run bench -- enrich\`.

| case | µs / statement | statements/s |
|---|---:|---:|
${rows.map((r) => `| ${r.name} | ${r.microseconds.toFixed(2)} | ${r.perSecond.toLocaleString('en')} |`).join('\n')}

Enrichment as the LRS does it adds ${(enriched - plain).toFixed(2)} µs per statement to building its row (×${(enriched / plain).toFixed(2)}), ${(cold - plain).toFixed(2)} µs when
every pseudonym is computed afresh (one HMAC-SHA256 costs ~3 µs; the LRS keeps the last ${PSEUDONYM_CACHE_SIZE.toLocaleString('en')} pseudonyms). For
scale: the ingest benchmark stores ~8,600 statements/s over HTTP in 100-statement POSTs (116 µs each), so
enrichment is ${(((enriched - plain) / 116) * 100).toFixed(1)} % (cold: ${(((cold - plain) / 116) * 100).toFixed(1)} %) of a statement's ingest cost.
`,
);
