/** Every ClickHouse table name in one place: SQL elsewhere refers to these constants. */
export const TABLES = {
  migrations: '_migrations',
  /** Backfills of a migration under way that are complete in their staging table (src/migrate.ts). */
  migrationSteps: '_migration_steps',
  /** Cut-offs of migrations under way: their views take rows inserted from then on, their backfills the rest. */
  migrationCutoffs: '_migration_cutoffs',
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
  /** Day × establishment marks of inserts, for the incremental catch-up of the visit rollups (migration 058). */
  visitDirtyDay: 'visit_dirty_day',
  /** Scratch: the days × establishments of a catch-up batch (migration 058). */
  visitBatchDays: 'visit_batch_days',
  /** A row while a catch-up's deltas are complete in the stage tables and not all moved in (migration 058). */
  visitStageReady: 'visit_stage_ready',
  /** When catch-ups of the visit rollups started that counted every mark before (migration 043): meta.asOf. */
  visitComplete: 'visit_complete',
  /** Visits, spans, statements per grain (day/week/month) × period × territory × profile × service × device × person (migrations 040, 058). */
  visitPerson: 'visit_person',
  visitPersonStage: 'visit_person_stage',
  /** Paris days × establishments with ENT-wide activity counted: measured establishments (migration 059). */
  visitEstablishmentDays: 'visit_establishment_days',
  visitEstablishmentDaysStage: 'visit_establishment_days_stage',
  /** visit_person without person and establishment: département-level cells with uniqCombined(12) user states (migration 040). */
  visitCube: 'visit_cube',
  visitCubeStage: 'visit_cube_stage',
  /** Visits by start hour per day × territory × profile × person (migration 040): heat map and time slots. */
  visitStarts: 'visit_starts',
  visitStartsStage: 'visit_starts_stage',
  /** Scratch rows of a recomputation: person × day × establishment × profile × device (migration 040). */
  visitDayStage: 'visit_day_stage',
  /** National DNMA open data, long format: week × UAI × dataset × modality (migration 030, dnma:import). */
  dnmaWeekly: 'dnma_weekly',
  /** Every statement of a pupil with its follow-up fields (kind, rule broken, score, level…), by pupil then time (migration 050). */
  followUpPupilEvents: 'follow_up_pupil_events',
  /** Homework set, per class or group and due date (migration 050). */
  followUpHomework: 'follow_up_homework',
  /** Claims of leases on shared work (migration 042, src/lease.ts). */
  leases: 'leases',
} as const;
