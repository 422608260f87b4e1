import type { Store } from '@ent-observatory/store';
import { type PseudonymKey, pseudonymize } from '@ent-observatory/xapi';
import type { ClassInfo, RosterPupil } from './model.js';

const CLASS_SELECT = `SELECT c.id, c.uai, c.name, c.level, c.school_year AS "schoolYear", c.kind,
       e.academie_code AS academie, e.name AS "establishmentName"
  FROM school_classes c JOIN establishments e ON e.uai = c.uai`;

/** A class or group of the roster; undefined when unknown. */
export async function classInfo(store: Store, classId: string): Promise<ClassInfo | undefined> {
  return (await store.query<ClassInfo>(`${CLASS_SELECT} WHERE c.id = $1`, [classId]))[0];
}

/** The classes and groups of an establishment for a school year (a head of school's list). */
export async function classesOfEstablishment(store: Store, uai: string, schoolYear: string): Promise<ClassInfo[]> {
  return store.query<ClassInfo>(`${CLASS_SELECT} WHERE c.uai = $1 AND c.school_year = $2 ORDER BY c.kind, c.name`, [
    uai,
    schoolYear,
  ]);
}

export async function classesById(store: Store, ids: string[]): Promise<ClassInfo[]> {
  return store.query<ClassInfo>(`${CLASS_SELECT} WHERE c.id = ANY($1::text[]) ORDER BY c.school_year DESC, c.name`, [
    ids,
  ]);
}

interface MemberRow {
  pupilId: string;
  displayName: string;
  personId: string;
  entAccount: string;
}

/**
 * The pupil's pseudonym, computed as enrichment computes an actor's (libs/xapi enrich.ts personInput): from the
 * `person` id when the roster has one, else from the ENT account ("<homePage>|<name>").
 */
export function pupilPseudonym(key: PseudonymKey, m: { personId: string; entAccount: string }): string {
  if (m.personId.trim() !== '') return pseudonymize(key, `person:${m.personId.trim()}`);
  if (m.entAccount.trim() !== '') return pseudonymize(key, `account:${m.entAccount.trim()}`);
  return '';
}

function toPupil(key: PseudonymKey, m: MemberRow): RosterPupil {
  return { pupilId: m.pupilId, displayName: m.displayName || m.pupilId, pseudonym: pupilPseudonym(key, m) };
}

/** The pupils of a class, by name. */
export async function classPupils(store: Store, key: PseudonymKey, classId: string): Promise<RosterPupil[]> {
  const rows = await store.query<MemberRow>(
    `SELECT member_id AS "pupilId", display_name AS "displayName", person_id AS "personId", ent_account AS "entAccount"
       FROM class_members WHERE class_id = $1 AND role = 'pupil'
      ORDER BY NULLIF(display_name, '') NULLS LAST, member_id`,
    [classId],
  );
  return rows.map((r) => toPupil(key, r));
}

/** A pupil of the roster with every class or group they are or were in (latest school year first). */
export async function pupilRecord(
  store: Store,
  key: PseudonymKey,
  pupilId: string,
): Promise<{ pupil: RosterPupil; classes: ClassInfo[] } | undefined> {
  const rows = await store.query<MemberRow & { classId: string }>(
    `SELECT m.member_id AS "pupilId", m.display_name AS "displayName", m.person_id AS "personId",
            m.ent_account AS "entAccount", m.class_id AS "classId"
       FROM class_members m JOIN school_classes c ON c.id = m.class_id
      WHERE m.member_id = $1 AND m.role = 'pupil' ORDER BY c.school_year DESC`,
    [pupilId],
  );
  const first = rows.find((r) => r.displayName !== '') ?? rows[0];
  if (!first) return undefined;
  const identity = rows.find((r) => r.personId !== '' || r.entAccount !== '') ?? first;
  return {
    pupil: { ...toPupil(key, identity), displayName: first.displayName || first.pupilId },
    classes: await classesById(
      store,
      rows.map((r) => r.classId),
    ),
  };
}

/** The pupils named by id (a parent's children), with their names. */
export async function pupilsById(store: Store, key: PseudonymKey, ids: string[]): Promise<RosterPupil[]> {
  const rows = await store.query<MemberRow>(
    `SELECT DISTINCT ON (member_id) member_id AS "pupilId", display_name AS "displayName", person_id AS "personId",
            ent_account AS "entAccount"
       FROM class_members WHERE member_id = ANY($1::text[]) AND role = 'pupil'
      ORDER BY member_id, display_name DESC`,
    [ids],
  );
  return rows.map((r) => toPupil(key, r));
}
