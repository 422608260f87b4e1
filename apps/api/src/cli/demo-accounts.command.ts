import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RoleGrant, type Store, UserRepository } from '@ent-observatory/store';
import type { CliCommand } from './command.js';
import { openCliStores } from './stores.js';

interface DemoAccount {
  email: string;
  displayName: string;
  grant: RoleGrant;
  /** What the scope is, in words, for the printed table. */
  scopeLabel: string;
}

/**
 * One account per role on real places of the bundled directory: the Rennes and Créteil académies, a Rennes
 * collège (with its feeder schools), a class of the illustrative rosters.
 */
const ACCOUNTS: DemoAccount[] = [
  {
    email: 'admin@demo.ent-observatoire.fr',
    displayName: 'Admin démo',
    grant: { role: 'admin', scope: '' },
    scopeLabel: 'tout (administration)',
  },
  {
    email: 'ministere@demo.ent-observatoire.fr',
    displayName: 'Ministère (démo)',
    grant: { role: 'national', scope: '' },
    scopeLabel: 'national',
  },
  {
    email: 'rectorat.rennes@demo.ent-observatoire.fr',
    displayName: 'Rectorat de Rennes (démo)',
    grant: { role: 'academy', scope: '14' },
    scopeLabel: 'académie de Rennes (14)',
  },
  {
    email: 'rectorat.creteil@demo.ent-observatoire.fr',
    displayName: 'Rectorat de Créteil (démo)',
    grant: { role: 'academy', scope: '24' },
    scopeLabel: 'académie de Créteil (24)',
  },
  {
    email: 'principal.0352167r@demo.ent-observatoire.fr',
    displayName: 'Principal·e du collège (démo)',
    grant: { role: 'establishment', scope: '0352167R' },
    scopeLabel: 'collège 0352167R (Ille-et-Vilaine)',
  },
  {
    email: 'enseignant.0350122t@demo.ent-observatoire.fr',
    displayName: 'Enseignant·e CM1-CM2 (démo)',
    grant: { role: 'teacher', scope: '0350122T:2025-2026:CM1-CM2 A' },
    scopeLabel: 'classe CM1-CM2 A, école 0350122T',
  },
  {
    email: 'formateur@demo.ent-observatoire.fr',
    displayName: 'Formateur·rice (démo)',
    grant: { role: 'trainer', scope: 'decouverte-ent' },
    scopeLabel: 'parcours « decouverte-ent »',
  },
  {
    email: 'apprenant@demo.ent-observatoire.fr',
    displayName: 'Apprenant·e (démo)',
    grant: { role: 'learner', scope: '' },
    scopeLabel: 'soi-même',
  },
];

/** The collège of the demo: its 6e pupils came from the demo's école and others of its sector (CM2 → 6e). */
const FOLLOW_UP_COLLEGE = '0352167R';

/**
 * Follow-up accounts on the simulated rosters (imported by `npm run demo` from `simulate --roster-out`): a 6e
 * teacher of the demo collège, the parent of one of their pupils, and another pupil. None when no simulated roster
 * was imported (a directory without simulation).
 */
async function followUpAccounts(store: Store): Promise<DemoAccount[]> {
  const [cls] = await store.query<{ id: string; name: string }>(
    `SELECT c.id, c.name FROM school_classes c JOIN class_members m ON m.class_id = c.id
      WHERE c.uai = $1 AND c.level = '6e' AND m.role = 'pupil' AND m.person_id <> ''
      GROUP BY c.id ORDER BY c.school_year DESC, count(*) DESC, c.id LIMIT 1`,
    [FOLLOW_UP_COLLEGE],
  );
  if (!cls) return [];
  const pupils = await store.query<{ id: string; name: string }>(
    `SELECT member_id AS id, display_name AS name FROM class_members
      WHERE class_id = $1 AND role = 'pupil' AND person_id <> '' ORDER BY display_name, member_id LIMIT 2`,
    [cls.id],
  );
  const where = `${cls.name}, collège ${FOLLOW_UP_COLLEGE}`;
  const accounts: DemoAccount[] = [
    {
      email: `enseignant.${FOLLOW_UP_COLLEGE.toLowerCase()}@demo.ent-observatoire.fr`,
      displayName: `Professeur·e principal·e ${cls.name} (démo)`,
      grant: { role: 'teacher', scope: cls.id },
      scopeLabel: `classe ${where}`,
    },
  ];
  const [child, self] = pupils;
  if (child) {
    accounts.push({
      email: 'parent@demo.ent-observatoire.fr',
      displayName: `Parent de ${child.name} (démo)`,
      grant: { role: 'parent', scope: child.id },
      scopeLabel: `enfant ${child.name} (${cls.name})`,
    });
  }
  if (self) {
    accounts.push({
      email: 'eleve@demo.ent-observatoire.fr',
      displayName: `${self.name} (démo)`,
      grant: { role: 'pupil', scope: self.id },
      scopeLabel: `soi-même, ${self.name} (${cls.name})`,
    });
  }
  return accounts;
}

/** `demo:accounts`: ensures one demo account per role; passwords are generated once into DATA_DIR. */
export const demoAccounts: CliCommand = {
  name: 'demo:accounts',
  usage: '',
  summary: 'create (or reset) one demo account per role and print them with their scope and password',
  async run(_args, env, io) {
    mkdirSync(env.DATA_DIR, { recursive: true });
    const file = join(env.DATA_DIR, 'demo-accounts.json');
    const passwords: Record<string, string> = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)
      : {};
    const stores = await openCliStores(env);
    let accounts = ACCOUNTS;
    try {
      accounts = [...ACCOUNTS, ...(await followUpAccounts(stores.store))];
      for (const a of accounts) passwords[a.email] ??= randomBytes(9).toString('base64url');
      writeFileSync(file, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
      const users = new UserRepository(stores.store.db);
      for (const a of accounts) {
        await users.ensure({
          email: a.email,
          displayName: a.displayName,
          password: passwords[a.email],
          roles: [a.grant],
        });
      }
    } finally {
      await stores.close();
    }
    io.out('Demo accounts (one per role):\n');
    for (const a of accounts) {
      io.out(`  ${a.grant.role.padEnd(13)} ${a.scopeLabel.padEnd(36)} ${a.email}  ${passwords[a.email]}\n`);
    }
    return 0;
  },
};
