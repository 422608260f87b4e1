import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@ent-observatory/store';
import {
  type Breakdown,
  type IndicatorFilter,
  type VisitCell,
  addDays,
  refreshVisitRollups,
  visitCells,
} from '@ent-observatory/indicators';
import type { Warehouse } from '@ent-observatory/warehouse';
import { DNMA_SERVICES } from '@ent-observatory/xapi';
import {
  CONTEXT_COLUMNS,
  DNMA_DATASETS,
  DNMA_DATASET_IDS,
  DNMA_PROFILES,
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

/** The cells an export needs, per UAI: all users, profile, service, profile × device, device. */
const BREAKDOWNS: readonly Breakdown[] = [
  ['uai'],
  ['uai', 'profile'],
  ['uai', 'service'],
  ['uai', 'profile', 'device'],
  ['uai', 'device'],
];
const PROFILE_SUFFIX: Record<string, string> = Object.fromEntries(DNMA_PROFILES.map(([suffix, p]) => [p, suffix]));
const SERVICES = new Set<string>(DNMA_SERVICES);

/**
 * Our figures for one DNMA week (Monday to Sunday, Paris days), per UAI and DNMA modality, from the observatory's
 * rollups through the same visit count as every indicator (libs/indicators visitCells: per person and Paris day, a
 * visit is a run of active minutes with no gap over 30 minutes in that cell; users are distinct pseudonyms;
 * duration is the mean per visit). Statements without UAI, profile AUTRE, service `autre` and unreported devices
 * have no DNMA column and count only where DNMA has one (e.g. in `globales`).
 */
export async function weeklyFigures(warehouse: Warehouse, week: string, scope: DnmaScope): Promise<WeeklyFigures> {
  const filter: IndicatorFilter = { from: week, to: addDays(week, 6) };
  if (scope.kind !== 'national') filter[scope.kind] = scope.code;
  // The CLI may run right after statements were written: the visit rollups catch up first (after the
  // catch-up of an API instance, when one runs: they share the lease).
  await refreshVisitRollups(warehouse, { holder: `cli:${hostname()}:${process.pid}` });
  const cells = await visitCells(warehouse, filter, BREAKDOWNS);
  const figures: WeeklyFigures = new Map(
    DNMA_DATASETS.map((d) => [d, new Map<string, Map<string, WeeklyCell>>()] as const),
  );
  const put = (dataset: DnmaDataset, uai: string, suffix: string, c: VisitCell) => {
    const byUai = figures.get(dataset) as Map<string, Map<string, WeeklyCell>>;
    let row = byUai.get(uai);
    if (!row) byUai.set(uai, (row = new Map<string, WeeklyCell>()));
    row.set(suffix, { visits: c.visits, users: c.users, durationSeconds: c.durationSeconds });
  };
  for (const c of cells) {
    const [uai = '', a = '', b = ''] = c.key;
    if (uai === '' || c.visits === 0) continue;
    const profile = PROFILE_SUFFIX[a];
    if (c.set === 0) put('profils', uai, 'globales', c);
    else if (c.set === 1 && profile) put('profils', uai, profile, c);
    else if (c.set === 2 && SERVICES.has(a)) put('services', uai, a, c);
    else if (c.set === 3 && profile && b !== '')
      put('profils-appareils', uai, `${profile}_${b === 'autre' ? 'autresappareil' : b}`, c);
    else if (c.set === 4 && a !== '') put('appareils', uai, a === 'autre' ? 'autreappareil' : a, c);
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
