import { randomUUID } from 'node:crypto';

/** A valid ENT-like statement; `n` varies the actor and activity. */
export function makeStatement(n = 0, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    actor: { objectType: 'Agent', account: { homePage: 'https://ent.example.fr', name: `eleve-${n}` } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'fr-FR': 'a consulté' } },
    object: {
      objectType: 'Activity',
      id: `https://ent.example.fr/cahier-de-textes/${n % 50}`,
      definition: { name: { 'fr-FR': 'Cahier de textes' } },
    },
    context: { platform: 'ENT Exemple', extensions: { 'https://ent-observatory.fr/xapi/uai': '0350001A' } },
    timestamp: new Date(Date.UTC(2026, 0, 5, 8, 0, n % 60)).toISOString(),
    ...overrides,
  };
}

export function withId(statement: Record<string, unknown>, id: string = randomUUID()): Record<string, unknown> {
  return { ...statement, id };
}
