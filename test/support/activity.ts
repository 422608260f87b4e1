import { randomUUID } from 'node:crypto';
import { type Warehouse } from '@ent-observatory/warehouse';
import { refreshVisitRollups } from '@ent-observatory/indicators';
import { type StoredStatement, ENT_VERBS, statementToRow } from '@ent-observatory/xapi';

/**
 * One hand-built ENT event for indicator tests: the statement row as the LRS stores it (statementToRow) with the
 * enrichment columns set directly, as the ingest enrichment would fill them.
 */
export interface ActivityEvent {
  /** Pseudonym of the person. */
  actor: string;
  /** When it happened (ISO, UTC). */
  at: string;
  uai?: string;
  profile?: string;
  service?: string;
  device?: string;
  platform?: string;
  level?: string;
  verb?: string;
  objectId?: string;
  /** Territory of the UAI (defaults: an Ille-et-Vilaine public school outside REP). */
  region?: string;
  academie?: string;
  departement?: string;
  sector?: string;
  rep?: string;
}

export function activityRow(e: ActivityEvent): Record<string, unknown> {
  const statement = {
    id: randomUUID(),
    actor: { objectType: 'Agent', account: { homePage: 'https://ent.example.fr', name: e.actor } },
    verb: { id: e.verb ?? ENT_VERBS.accessed },
    object: { objectType: 'Activity', id: e.objectId ?? `https://ent.example.fr/${e.service ?? 'accueil'}` },
    context: { platform: e.platform ?? 'toutatice' },
    timestamp: e.at,
    stored: e.at,
    authority: { objectType: 'Agent', account: { homePage: 'https://lrs.example.fr', name: 'test' } },
    version: '1.0.3',
  } as unknown as StoredStatement;
  return {
    ...statementToRow(statement),
    actor_pseudonym: e.actor,
    uai: e.uai ?? '0350001A',
    uai_known: 1,
    region: e.region ?? '53',
    academie: e.academie ?? '14',
    departement: e.departement ?? '035',
    sector: e.sector ?? 'public',
    rep: e.rep ?? 'none',
    ent_profile: e.profile ?? 'ELEVE',
    ent_service: e.service ?? 'accueil',
    device: e.device ?? 'ordinateur',
    school_level: e.level ?? '',
  };
}

/**
 * Inserts the events into `statements` (the rollups' materialized views fill the rollups), then recomputes the
 * visit rollups of the weeks they touched, as the API does before answering a view.
 */
export async function insertActivity(w: Warehouse, events: ActivityEvent[]): Promise<void> {
  await w.client.insert({ table: 'statements', values: events.map(activityRow), format: 'JSONEachRow' });
  await refreshVisitRollups(w, { inFlightMarginSeconds: 0 });
}

/** Three months (Oct–Dec 2025) of six pupils, three visits on six days a month: the visit-rollup fixture. */
export function threeMonthsOfPupils(): ActivityEvent[] {
  const out: ActivityEvent[] = [];
  for (const month of ['2025-10', '2025-11', '2025-12'])
    for (let d = 3; d <= 20; d += 3)
      for (let p = 0; p < 6; p++)
        for (const hour of [8, 9, 15])
          out.push({
            actor: `pupil-${p}`,
            at: `${month}-${String(d).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(p * 7).padStart(2, '0')}:00.000Z`,
            service: p % 2 === 0 ? 'notes' : 'cahier_textes',
          });
  return out;
}
