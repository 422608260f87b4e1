import { upsertRows } from '../sql.js';
import { type Dataset, LineRejected, required, requireUai } from './dataset.js';

const columns = {
  id: { names: ['ent_id'], required: true },
  name: { names: ['ent_nom'], required: true },
  homepage: { names: ['ent_url'] },
  scope: { names: ['perimetre'], required: true },
  code: { names: ['code'], required: true },
} as const;
type Field = keyof typeof columns;

const SCOPES = ['uai', 'departement', 'academie'] as const;

interface PlatformLine {
  platform: unknown[];
  assignment: unknown[];
}

/** Our own small format (data/directory/ent-platforms.csv): which ENT serves an establishment, département or académie. */
export const entPlatforms: Dataset<Field, PlatformLine> = {
  name: 'ent-platforms',
  signature: ['ent_id', 'perimetre'],
  columns,
  parse(row) {
    const id = required(row('id'), 'ent_id');
    const scope = row('scope').toLowerCase();
    if (!(SCOPES as readonly string[]).includes(scope))
      throw new LineRejected(`perimetre must be one of ${SCOPES.join(', ')}, not "${row('scope')}"`);
    const code = scope === 'uai' ? requireUai(row('code'), 'code') : required(row('code'), 'code');
    return {
      platform: [id, required(row('name'), 'ent_nom'), row('homepage')],
      assignment: [scope, code, id],
    };
  },
  async write(exec, lines) {
    await upsertRows(
      exec,
      'ent_platforms',
      ['id', 'name', 'homepage'],
      ['id'],
      lines.map((l) => l.platform),
    );
    return upsertRows(
      exec,
      'ent_platform_assignments',
      ['scope_kind', 'scope_code', 'platform_id'],
      ['scope_kind', 'scope_code'],
      lines.map((l) => l.assignment),
    );
  },
};
