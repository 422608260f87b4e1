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
  /** Weeks that received statements since their visit rollups were recomputed (migration 040). */
  visitDirty: 'visit_dirty',
  /** Weeks whose visit rollups were recomputed, and when (migration 040). */
  visitRefreshed: 'visit_refreshed',
  /** Person-free visits, users (uniq states), spans per level × grain × period × territory × profile × service × device (migration 040). */
  visitCube: 'visit_cube',
  visitCubeStage: 'visit_cube_stage',
  /** Visits by start hour per day × territory × profile (migration 040): heat map and time slots. */
  visitStarts: 'visit_starts',
  visitStartsStage: 'visit_starts_stage',
  /** Scratch rows of one week's recomputation: person × day × establishment × profile × device (migration 040). */
  visitPersonStage: 'visit_person_stage',
  /** National DNMA open data, long format: week × UAI × dataset × modality (migration 030, dnma:import). */
  dnmaWeekly: 'dnma_weekly',
} as const;
