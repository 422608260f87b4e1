import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '@ent-observatory/store';
import { type Warehouse, queryRows, TABLES } from '@ent-observatory/warehouse';
import { DNMA_SERVICES } from '@ent-observatory/xapi';
import {
  CONTEXT_COLUMNS,
  DNMA_DATASETS,
  DNMA_DATASET_IDS,
  type DnmaDataset,
  MODALITIES,
  datasetHeader,
  formatDuration,
} from './datasets.js';

/** Which establishments an export covers: the whole country, an académie, a département or one UAI. */
export type DnmaScope = { kind: 'national' } | { kind: 'academie' | 'departement' | 'uai'; code: string };

export class DnmaArgumentError extends Error {}

/** `national`, `academie:14`, `departement:035`, `uai:0352167R` (codes as in the directory). */
export function parseScope(text: string): DnmaScope {
  if (text === 'national') return { kind: 'national' };
  const m = /^(academie|departement|uai):(.+)$/.exec(text);
  if (!m)
    throw new DnmaArgumentError(
      `--scope "${text}": expected national, academie:<code>, departement:<code> or uai:<UAI>`,
    );
  const kind = m[1] as 'academie' | 'departement' | 'uai';
  const code = kind === 'uai' ? (m[2] as string).toUpperCase() : (m[2] as string);
  const valid = { academie: /^\d{2}$/, departement: /^\d{3}$|^0(2A|2B)$/, uai: /^\d{7}[A-Z]$/ }[kind];
  if (!valid.test(code)) {
    const example = { academie: 'academie:14', departement: 'departement:035', uai: 'uai:0352167R' }[kind];
    throw new DnmaArgumentError(`--scope ${text}: "${code}" is not a valid ${kind} code (e.g. ${example})`);
  }
  return { kind, code };
}

/** `--week`: the Monday (YYYY-MM-DD) that starts the DNMA week, as `debutsemaine`. */
export function parseWeek(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !date || date.getUTCMonth() !== Number(m[2]) - 1)
    throw new DnmaArgumentError(`--week "${text}" is not a date: expected the Monday starting the week, YYYY-MM-DD`);
  if (date.getUTCDay() !== 1) {
    const monday = new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
    throw new DnmaArgumentError(`--week ${text} is not a Monday: DNMA weeks start on Monday (${monday} for that week)`);
  }
  return text;
}

/** A cell as the published files give it: visits, distinct users of the UAI in the week, mean duration per visit. */
export interface WeeklyCell {
  visits: number;
  users: number;
  /** Mean seconds per visit. */
  durationSeconds: number;
}

/** dataset → UAI → column suffix (`eleve`, `courrier_electronique`, `parent_smartphone`…) → cell. */
export type WeeklyFigures = Map<DnmaDataset, Map<string, Map<string, WeeklyCell>>>;

const SCOPE_COLUMN = { academie: 'academie', departement: 'departement', uai: 'uai' } as const;
const IDLE_SECONDS = 30 * 60;

/**
 * Our figures for one DNMA week, per UAI and DNMA modality, from the statements: a visit is what web analytics
 * calls one (per actor, a new visit after 30 minutes without activity; visits are cut at the week's bounds), users
 * are distinct pseudonyms, the duration of a statement is the time to the actor's next statement in the same visit
 * (0 for the last), and a modality's duration is the sum of its statements' durations divided by its visits.
 * Week bounds are Monday 00:00 to Monday 00:00 Europe/Paris. Statements without UAI or pseudonym are not counted.
 */
export async function weeklyFigures(warehouse: Warehouse, week: string, scope: DnmaScope): Promise<WeeklyFigures> {
  const scopeSql = scope.kind === 'national' ? '1' : `${SCOPE_COLUMN[scope.kind]} = {scope:String}`;
  const params: Record<string, unknown> = { week, services: [...DNMA_SERVICES], idle: IDLE_SECONDS };
  if (scope.kind !== 'national') params.scope = scope.code;
  // Sessionised over all of an in-scope actor's statements of the week, then restricted to the scope's UAIs, so a
  // UAI's figures do not depend on the scope it is exported with.
  const rows = await queryRows<{
    dataset: DnmaDataset;
    uai: string;
    suffix: string;
    visits: string;
    users: string;
    duration: number;
  }>(
    warehouse.client,
    `WITH
       toDateTime64(concat(toString({week:Date}), ' 00:00:00'), 3, 'Europe/Paris') AS week_start,
       toDateTime64(concat(toString(addDays({week:Date}, 7)), ' 00:00:00'), 3, 'Europe/Paris') AS week_end,
     events AS (
       SELECT actor_pseudonym AS actor, uai, ent_profile AS profile, ent_service AS service, device, timestamp AS ts,
              ${scopeSql} AS in_scope
         FROM ${TABLES.statements}
        WHERE timestamp >= week_start AND timestamp < week_end AND uai != '' AND actor_pseudonym != ''
          AND verb_id != 'http://adlnet.gov/expapi/verbs/voided'
          AND actor_pseudonym IN (
            SELECT actor_pseudonym FROM ${TABLES.statements}
             WHERE timestamp >= week_start AND timestamp < week_end AND uai != '' AND ${scopeSql})
     ),
     gaps AS (
       SELECT *,
              dateDiff('millisecond', lagInFrame(ts, 1, toDateTime64(0, 3, 'UTC')) OVER w, ts) / 1000 AS since_previous,
              dateDiff('millisecond', ts, leadInFrame(ts, 1, ts) OVER w) / 1000 AS to_next
         FROM events
       WINDOW w AS (PARTITION BY actor ORDER BY ts ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)
     ),
     visits AS (
       SELECT *,
              sum(since_previous > {idle:UInt32}) OVER (PARTITION BY actor ORDER BY ts ROWS UNBOUNDED PRECEDING) AS visit,
              if(to_next <= {idle:UInt32}, to_next, 0) AS dwell,
              multiIf(profile = 'ELEVE', 'eleve', profile = 'PARENT', 'parent', profile = 'ENSEIGNANT', 'enseignant',
                      profile = 'PERSONNEL', 'admin_vie_scol_tech', '') AS p
         FROM gaps
     ),
     keyed AS (
       SELECT uai, actor, visit, dwell,
              arrayJoin(arrayFilter(k -> k.2 != '', [
                ('profils', 'globales'),
                ('profils', p),
                ('services', if(has({services:Array(String)}, service), service, '')),
                ('profils-appareils', if(p != '' AND device != '', concat(p, '_', if(device = 'autre', 'autresappareil', device)), '')),
                ('appareils', if(device != '', if(device = 'autre', 'autreappareil', device), ''))
              ])) AS key
         FROM visits
        WHERE in_scope
     )
     SELECT key.1 AS dataset, uai, key.2 AS suffix, uniqExact(actor, visit) AS visits, uniqExact(actor) AS users,
            sum(dwell) AS duration
       FROM keyed
      GROUP BY dataset, uai, suffix
      ORDER BY dataset, uai, suffix`,
    params,
  );
  const figures: WeeklyFigures = new Map(
    DNMA_DATASETS.map((d) => [d, new Map<string, Map<string, WeeklyCell>>()] as const),
  );
  for (const r of rows) {
    const byUai = figures.get(r.dataset) as Map<string, Map<string, WeeklyCell>>;
    let cells = byUai.get(r.uai);
    if (!cells) byUai.set(r.uai, (cells = new Map<string, WeeklyCell>()));
    const visits = Number(r.visits);
    cells.set(r.suffix, {
      visits,
      users: Number(r.users),
      durationSeconds: visits > 0 ? Number(r.duration) / visits : 0,
    });
  }
  return figures;
}

interface ContextRow {
  uai: string;
  academie: string;
  commune: string;
  departement: string;
  region: string;
  circonscription: string;
  nature_uai: string;
  secteur: string;
}

/** Context columns from the directory: labels as the DNMA spells them (académie "Créteil", région "Bretagne"). */
async function contextOf(store: Store, uais: string[]): Promise<Map<string, ContextRow>> {
  if (uais.length === 0) return new Map();
  const rows = await store.query<ContextRow>(
    `SELECT e.uai, COALESCE(a.name, '') AS academie, e.commune_name AS commune, COALESCE(d.name, '') AS departement,
            COALESCE(r.name, '') AS region, e.circonscription, e.nature_label AS nature_uai,
            CASE e.sector WHEN 'public' THEN 'PU' WHEN 'private' THEN 'PR' ELSE '' END AS secteur
       FROM establishments e
       LEFT JOIN academies a ON a.code = e.academie_code
       LEFT JOIN departements d ON d.code = e.departement_code
       LEFT JOIN regions r ON r.code = e.region_code
      WHERE e.uai = ANY($1)`,
    [uais],
  );
  return new Map(rows.map((r) => [r.uai, r]));
}

export interface DnmaExportFile {
  dataset: DnmaDataset;
  path: string;
  /** One row per UAI with activity in that dataset. */
  rows: number;
}

/** The file name of an export: the portal's dataset id, the week and the scope. */
export function exportFileName(dataset: DnmaDataset, week: string, scope: DnmaScope): string {
  const scopePart = scope.kind === 'national' ? 'national' : `${scope.kind}-${scope.code}`;
  return `${DNMA_DATASET_IDS[dataset]}_${week}_${scopePart}.csv`;
}

/**
 * Writes the four DNMA datasets of one week for a scope, in the published wide layout (`;`-separated, UTF-8,
 * Opendatasoft field names as header, one row per UAI with activity, durations HH:MM:SS as mean per visit, 0 for a
 * modality without activity). `ministere` is left empty: the directory does not keep the supervising ministry.
 */
export async function exportDnma(
  store: Store,
  warehouse: Warehouse,
  options: { week: string; scope: DnmaScope; outDir: string },
): Promise<DnmaExportFile[]> {
  const figures = await weeklyFigures(warehouse, options.week, options.scope);
  const uais = [...new Set([...figures.values()].flatMap((byUai) => [...byUai.keys()]))];
  const context = await contextOf(store, uais);
  mkdirSync(options.outDir, { recursive: true });
  const files: DnmaExportFile[] = [];
  for (const dataset of DNMA_DATASETS) {
    const byUai = figures.get(dataset) ?? new Map<string, Map<string, WeeklyCell>>();
    const lines = [datasetHeader(dataset).join(';')];
    for (const [uai, cells] of [...byUai.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const ctx = context.get(uai);
      const measures = MODALITIES[dataset].flatMap((m) => {
        const cell = cells.get(m.suffix);
        return [String(cell?.visits ?? 0), String(cell?.users ?? 0), formatDuration(cell?.durationSeconds ?? 0)];
      });
      const rest = CONTEXT_COLUMNS.slice(2).map((c) =>
        c === 'ministere' || !ctx
          ? ''
          : ctx[c as Exclude<(typeof CONTEXT_COLUMNS)[number], 'debutsemaine' | 'ministere'>],
      );
      lines.push([options.week, uai, ...measures, ...rest].map(csvField).join(';'));
    }
    const path = join(options.outDir, exportFileName(dataset, options.week, options.scope));
    writeFileSync(path, `${lines.join('\n')}\n`);
    files.push({ dataset, path, rows: byUai.size });
  }
  return files;
}

function csvField(value: string): string {
  return /[;"\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
