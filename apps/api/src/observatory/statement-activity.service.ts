import { Inject, Injectable } from '@nestjs/common';
import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { WAREHOUSE } from '../common/tokens.js';
import type { StatementActivity } from './models/statement-activity.model.js';

const PARIS = 'Europe/Paris';

@Injectable()
export class StatementActivityService {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  /**
   * Statements stored per Paris calendar day over the last `days` days (today included), with the total. Small
   * writes reach `statements` from the LRS journal within JOURNAL_MOVE_MS: that is the delay of these counts.
   */
  async lastDays(days: number, now: Date = new Date()): Promise<StatementActivity> {
    const dayList = parisDays(now, days);
    const first = dayList[0] as string;
    const rows = await queryRows<{ day: string; n: string }>(
      this.warehouse.client,
      `SELECT toString(toDate(stored, {tz:String})) AS day, count() AS n
       FROM ${TABLES.statements}
       WHERE toDate(stored, {tz:String}) >= toDate({first:String})
       GROUP BY day`,
      { tz: PARIS, first },
    );
    const totals = await queryRows<{ n: string }>(
      this.warehouse.client,
      `SELECT count() AS n FROM ${TABLES.statements}`,
    );
    const byDay = new Map(rows.map((r) => [r.day, Number(r.n)]));
    const perDay = dayList.map((day) => ({ day, statements: byDay.get(day) ?? 0 }));
    return {
      total: Number(totals[0]?.n ?? 0),
      inPeriod: perDay.reduce((sum, d) => sum + d.statements, 0),
      perDay,
    };
  }
}

/** The last `n` calendar days in Paris, oldest first, as YYYY-MM-DD. */
export function parisDays(now: Date, n: number): string[] {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: PARIS, year: 'numeric', month: '2-digit', day: '2-digit' });
  const today = fmt.format(now);
  const base = Date.parse(`${today}T12:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(base - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}
