import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RoleGrant, UserRepository } from '@ent-observatory/store';
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
    for (const a of ACCOUNTS) passwords[a.email] ??= randomBytes(9).toString('base64url');
    writeFileSync(file, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
    const stores = await openCliStores(env);
    try {
      const users = new UserRepository(stores.store.db);
      for (const a of ACCOUNTS) {
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
    for (const a of ACCOUNTS) {
      io.out(`  ${a.grant.role.padEnd(13)} ${a.scopeLabel.padEnd(36)} ${a.email}  ${passwords[a.email]}\n`);
    }
    return 0;
  },
};
