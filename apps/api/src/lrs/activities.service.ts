import { Inject, Injectable } from '@nestjs/common';
import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { type Activity, isObject } from '@ent-observatory/xapi';
import { WAREHOUSE } from '../common/tokens.js';

/**
 * Definitions read per request: the most recent statements that define the activity. An ENT activity can be the
 * object of millions of statements; its definition rarely changes, so the latest ones carry it.
 */
const DEFINITIONS_READ = 100;

/** Definition properties whose values are maps merged key by key: a newer statement adds or replaces entries. */
const MAPS = new Set(['name', 'description', 'extensions']);

/**
 * The Activities resource (Communication 2.5). The canonical definition is built at read time from the statements
 * whose object is the activity, through the object_id bloom-filter index of `statements`: no second copy of the
 * definitions to keep in step with statement writes (and erasure). Older definitions are overlaid by newer ones,
 * language maps and extensions merged entry by entry (Data 2.4.4.1: the LRS updates its definition from later
 * statements). Definitions given only in context activities are not read: that would scan every statement.
 */
@Injectable()
export class ActivitiesService {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  async activity(id: string): Promise<Activity> {
    const rows = await queryRows<{ definition: string }>(
      this.warehouse.client,
      `SELECT JSONExtractRaw(raw, 'object', 'definition') AS definition FROM ${TABLES.statements}
       WHERE object_id = {id:String} AND object_type = 'Activity' AND definition != ''
       ORDER BY stored DESC LIMIT {limit:UInt32}`,
      { id, limit: DEFINITIONS_READ },
    );
    const merged: Record<string, unknown> = {};
    for (const row of rows.reverse()) {
      const definition: unknown = JSON.parse(row.definition);
      if (!isObject(definition)) continue;
      for (const [key, value] of Object.entries(definition)) {
        const previous = merged[key];
        merged[key] = MAPS.has(key) && isObject(previous) && isObject(value) ? { ...previous, ...value } : value;
      }
    }
    const activity: Activity = { objectType: 'Activity', id };
    if (Object.keys(merged).length > 0) activity.definition = merged;
    return activity;
  }
}
