import { Inject, Injectable } from '@nestjs/common';
import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { type Activity, QUERY_KEY, type StoredStatement, isObject } from '@ent-observatory/xapi';
import { StatementReader, StatementRepository } from '@ent-observatory/lrs';
import { WAREHOUSE } from '../common/tokens.js';

/**
 * Statements read per request: the most recent ones that carry the activity. An ENT activity can be in millions of
 * statements; its definition rarely changes, so the latest ones carry it.
 */
const DEFINITIONS_READ = 100;

/** Definition properties whose values are maps merged key by key: a newer statement adds or replaces entries. */
const MAPS = new Set(['name', 'description', 'extensions']);

type Json = Record<string, unknown>;

function contextActivities(context: unknown): unknown[] {
  if (!isObject(context) || !isObject(context.contextActivities)) return [];
  return Object.values(context.contextActivities).flatMap((v: unknown): unknown[] => (Array.isArray(v) ? v : [v]));
}

/** Every Activity of a statement: its Object, its context Activities, and those of a SubStatement Object. */
function activitiesOf(s: Json): unknown[] {
  const object = s.object;
  const found = [object, ...contextActivities(s.context)];
  if (isObject(object) && object.objectType === 'SubStatement') {
    found.push(object.object, ...contextActivities(object.context));
  }
  return found.filter((a) => isObject(a) && (a.objectType === undefined || a.objectType === 'Activity'));
}

/** Overlays `definition` on `merged`: language maps and extensions entry by entry, other properties replaced. */
function overlay(merged: Json, definition: Json): void {
  for (const [key, value] of Object.entries(definition)) {
    const previous = merged[key];
    merged[key] = MAPS.has(key) && isObject(previous) && isObject(value) ? { ...previous, ...value } : value;
  }
}

/**
 * The Activities resource (Communication 2.5): the Activity with all the LRS knows of it, from every statement that
 * carries it — as Object, as context Activity, or inside a SubStatement (the `o:` and `O:` query keys of
 * `statement_keys`): no second copy of the definitions to keep in step with statement writes (and erasure). Older
 * definitions are overlaid by newer ones, language maps and extensions merged entry by entry (Data 2.4.4.1: the LRS
 * updates its definition from later statements). Journaled statements are moved first, as for statement queries, so
 * an acknowledged statement always counts.
 */
@Injectable()
export class ActivitiesService {
  constructor(
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    @Inject(StatementRepository) private readonly repo: StatementRepository,
    @Inject(StatementReader) private readonly reader: StatementReader,
  ) {}

  async activity(id: string): Promise<Activity> {
    if (this.repo.journal.oldestPending() !== undefined) await this.repo.journal.moveNow();
    // One read per key (Object, then context/SubStatement): `key = ` reads that primary-key range of
    // statement_keys in (stored, id) order and stops at the limit, however many statements carry the activity.
    const reads = await Promise.all(
      [QUERY_KEY.activity + id, QUERY_KEY.relatedActivity + id].map((key) =>
        queryRows<{ stored: string; id: string }>(
          this.warehouse.client,
          `SELECT toString(stored) AS stored, id FROM ${TABLES.statementKeys} WHERE key = {key:String}
           ORDER BY stored DESC, id DESC LIMIT {limit:UInt32}`,
          { key, limit: DEFINITIONS_READ },
        ),
      ),
    );
    const latest = [...new Map(reads.flat().map((r) => [r.id, r])).values()]
      .sort((a, b) => (a.stored === b.stored ? a.id.localeCompare(b.id) : a.stored < b.stored ? -1 : 1))
      .slice(-DEFINITIONS_READ);
    // Oldest first, so that newer definitions overlay older ones.
    const statements: StoredStatement[] = await this.reader.byIds(latest.map((r) => r.id));
    const merged: Json = {};
    for (const s of statements) {
      for (const activity of activitiesOf(s as unknown as Json)) {
        if (isObject(activity) && activity.id === id && isObject(activity.definition))
          overlay(merged, activity.definition);
      }
    }
    const activity: Activity = { objectType: 'Activity', id };
    if (Object.keys(merged).length > 0) activity.definition = merged;
    return activity;
  }
}
