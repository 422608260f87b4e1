import { foldText } from '../csv.js';
import { LEVELS, type Level } from '../model.js';
import { upsertRows } from '../sql.js';
import { type Dataset, LineRejected, required, requireUai, schoolYear } from './dataset.js';

const columns = {
  uai: { names: ['uai'], required: true },
  name: { names: ['classe'], required: true },
  level: { names: ['niveau'], required: true },
  year: { names: ['annee_scolaire'], required: true },
  member: { names: ['membre'], required: true },
  role: { names: ['role'], required: true },
  kind: { names: ['type'] },
  /** Follow-up (optional): the pupil's name as teachers and parents see it, and their ENT identity. */
  displayName: { names: ['nom'] },
  person: { names: ['personne'] },
  account: { names: ['compte'] },
} as const;
type Field = keyof typeof columns;

const ROLES: Record<string, 'pupil' | 'teacher'> = {
  eleve: 'pupil',
  pupil: 'pupil',
  enseignant: 'teacher',
  teacher: 'teacher',
};
const KINDS: Record<string, 'class' | 'group'> = {
  '': 'class',
  classe: 'class',
  class: 'class',
  groupe: 'group',
  group: 'group',
};

/** Spellings seen in school information systems for the same level: 6ème, 6eme, 6E … → 6e. */
const LEVEL_BY_KEY = new Map<string, Level>(LEVELS.map((l) => [levelKey(l), l]));
function levelKey(s: string): string {
  return foldText(s)
    .replace(/(\d)(eme|e|re|nde)$/, '$1')
    .replace(/\s+/g, '');
}

/** The level of a class; '' (no level) is allowed for groups that mix levels. */
export function parseLevel(value: string): Level | '' {
  if (value === '') return '';
  const level = LEVEL_BY_KEY.get(levelKey(value));
  if (!level) throw new LineRejected(`unknown level "${value}" (expected one of ${LEVELS.join(', ')})`);
  return level;
}

interface RosterLine {
  klass: unknown[];
  member: unknown[];
}

/** Class and group rosters (format in libs/directory/README.md): one line per member of a class or group. */
export const roster: Dataset<Field, RosterLine> = {
  name: 'roster',
  signature: ['uai', 'classe', 'membre'],
  columns,
  parse(row) {
    const uai = requireUai(row('uai'), 'uai');
    const name = required(row('name'), 'classe');
    const year = schoolYear(row('year'), 'annee_scolaire');
    const role = ROLES[foldText(row('role'))];
    if (!role) throw new LineRejected(`unknown role "${row('role')}" (expected eleve or enseignant)`);
    const kind = KINDS[foldText(row('kind'))];
    if (!kind) throw new LineRejected(`unknown type "${row('kind')}" (expected classe or groupe)`);
    const id = `${uai}:${year}:${name}`;
    return {
      klass: [id, uai, name, parseLevel(row('level')), year, kind],
      member: [id, required(row('member'), 'membre'), role, row('displayName'), row('person'), row('account')],
    };
  },
  async write(exec, lines) {
    await upsertRows(
      exec,
      'school_classes',
      ['id', 'uai', 'name', 'level', 'school_year', 'kind'],
      ['id'],
      lines.map((l) => l.klass),
    );
    return upsertRows(
      exec,
      'class_members',
      ['class_id', 'member_id', 'role', 'display_name', 'person_id', 'ent_account'],
      ['class_id', 'member_id'],
      lines.map((l) => l.member),
    );
  },
};
