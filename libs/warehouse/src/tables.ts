/** Every ClickHouse table name in one place: SQL elsewhere refers to these constants. */
export const TABLES = {
  migrations: '_migrations',
  statements: 'statements',
  /** Statement query keys in (key, stored, id) order, fed by a materialized view (migration 010). */
  statementKeys: 'statement_keys',
  /** Raw statements in id order with small granules, for reads by id (migration 010). */
  statementsById: 'statements_by_id',
  /** Statements whose Object is a StatementRef: voiding and the StatementRef filter rule (migration 010). */
  statementRefs: 'statement_refs',
  /** Mirror of the school directory (migration 002, filled by libs/directory mirror.ts). */
  directoryEstablishments: 'directory_establishments',
  /** Per person × Paris day × territory/profile/service/device: active minutes, for visits and users (migration 020). */
  activityActorDaily: 'activity_actor_daily',
  /** Per pupil × ISO week × establishment/level/platform: continuity indicators (migration 020). */
  pupilWeekly: 'pupil_weekly',
  /** Contributions to collaborative spaces per day × space × establishment × profile (migration 020). */
  spaceDaily: 'space_daily',
  /** National DNMA open data, long format: week × UAI × dataset × modality (migration 030, dnma:import). */
  dnmaWeekly: 'dnma_weekly',
} as const;
