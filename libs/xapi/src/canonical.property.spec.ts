import { isSameStatement } from './canonical.js';

/**
 * Property-style tests of the "same statement" comparison (Data 2.3.1): over many generated statements, every
 * change the spec says does not matter keeps them the same, and every change of substance makes them differ.
 * A seeded generator keeps failures reproducible (the seed and case are in the assertion label).
 */

type Json = Record<string, unknown>;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clone = <T>(v: T): T => structuredClone(v);

function generator(seed: number) {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const uuid = () =>
    'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, () => int(16).toString(16)).replace(/^./, 'a');
  const agent = (): Json =>
    pick([
      () => ({ mbox: `mailto:eleve${int(1000)}@ent-${int(9)}.example.fr` }),
      () => ({ account: { homePage: 'https://ent.example.fr', name: `u${int(10_000)}` }, name: `Élève ${int(99)}` }),
      () => ({ mbox_sha1sum: 'ab'.repeat(20) }),
    ])();
  const statement = (): Json => {
    const s: Json = {
      actor: rnd() < 0.2 ? { objectType: 'Group', member: [agent(), agent(), agent()] } : agent(),
      verb: {
        id: pick(['http://adlnet.gov/expapi/verbs/completed', 'http://id.tincanapi.com/verb/viewed']),
        display: { 'fr-FR': 'a fait' },
      },
      object: {
        objectType: 'Activity',
        id: `https://ent.example.fr/activites/${int(500)}`,
        definition: { name: { 'fr-FR': `Activité ${int(500)}` } },
      },
      timestamp: new Date(Date.UTC(2026, int(12), 1 + int(28), int(24), int(60))).toISOString(),
    };
    if (rnd() < 0.6) s.result = { score: { scaled: Math.round(rnd() * 100) / 100 }, success: rnd() < 0.5 };
    if (rnd() < 0.6) {
      s.context = {
        registration: uuid(),
        contextActivities: { parent: [{ id: `https://ent.example.fr/cours/${int(50)}` }] },
        extensions: { 'https://ent-observatoire.fr/xapi/uai': `035${int(10_000)}X` },
      };
    }
    return s;
  };
  return { rnd, int, pick, uuid, statement };
}

/** Changes the spec says are not part of a statement's identity. */
const HARMLESS: [string, (s: Json, g: ReturnType<typeof generator>) => void][] = [
  [
    'LRS-assigned fields added',
    (s, g) =>
      Object.assign(s, {
        id: g.uuid(),
        stored: '2026-11-30T10:00:00Z',
        version: '1.0.3',
        authority: { mbox: 'mailto:lrs@example.fr' },
      }),
  ],
  ['verb display changed', (s) => ((s.verb as Json).display = { en: 'did' })],
  ['activity definition changed', (s) => ((s.object as Json).definition = { description: { en: 'other' } })],
  ['default objectType dropped', (s) => delete (s.object as Json).objectType],
  [
    'keys reordered',
    (s) => {
      const entries = Object.entries(s).reverse();
      for (const k of Object.keys(s)) delete s[k];
      Object.assign(s, Object.fromEntries(entries));
    },
  ],
  [
    'group members reordered',
    (s) => {
      const actor = s.actor as Json;
      if (Array.isArray(actor.member)) actor.member.reverse();
    },
  ],
  [
    'mbox domain upper-cased',
    (s) => {
      const actor = s.actor as Json;
      if (typeof actor.mbox === 'string')
        actor.mbox = actor.mbox.replace(/@(.*)$/, (_m, d: string) => `@${d.toUpperCase()}`);
    },
  ],
  [
    'registration upper-cased',
    (s) => {
      const context = s.context as Json | undefined;
      if (typeof context?.registration === 'string') context.registration = context.registration.toUpperCase();
    },
  ],
  [
    'timestamp in another zone, same instant',
    (s) => {
      const ms = Date.parse(s.timestamp as string);
      s.timestamp = `${new Date(ms + 3_600_000).toISOString().slice(0, 19)}+01:00`;
    },
  ],
  [
    'single parent activity instead of an array',
    (s) => {
      const ca = (s.context as Json | undefined)?.contextActivities as Json | undefined;
      if (Array.isArray(ca?.parent)) ca.parent = ca.parent[0];
    },
  ],
  [
    'attachments added',
    (s) =>
      (s.attachments = [
        {
          usageType: 'https://ent.example.fr/copie',
          display: { fr: 'Copie' },
          contentType: 'text/plain',
          length: 3,
          sha2: 'ab'.repeat(32),
        },
      ]),
  ],
];

/** Changes of substance: each must make the statements differ. */
const SUBSTANTIAL: [string, (s: Json, g: ReturnType<typeof generator>) => void][] = [
  ['verb id', (s) => ((s.verb as Json).id = 'http://adlnet.gov/expapi/verbs/failed')],
  ['activity id case', (s) => ((s.object as Json).id = String((s.object as Json).id).toUpperCase())],
  ['actor identifier', (s) => (s.actor = { mbox: 'mailto:quelqu.un.autre@ent.example.fr' })],
  ['timestamp instant', (s) => (s.timestamp = new Date(Date.parse(s.timestamp as string) + 1000).toISOString())],
  ['result added or changed', (s) => (s.result = { score: { scaled: 0.123 }, completion: true })],
  [
    'context extension',
    (s) =>
      (s.context = {
        ...(s.context ?? {}),
        extensions: { 'https://ent-observatoire.fr/xapi/uai': '0940000A' },
      }),
  ],
  [
    'mbox local part case',
    (s) => {
      const actor = s.actor as Json;
      if (typeof actor.mbox === 'string') actor.mbox = actor.mbox.replace('mailto:e', 'mailto:E');
    },
  ],
];

const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);

describe('isSameStatement, property-style over 200 generated statements', () => {
  it('is reflexive and unaffected by every change the spec says does not count', () => {
    for (const seed of SEEDS) {
      const g = generator(seed);
      const original = g.statement();
      expect([seed, isSameStatement(original, clone(original))]).toEqual([seed, true]);
      for (const [name, change] of HARMLESS) {
        const changed = clone(original);
        change(changed, g);
        expect([seed, name, isSameStatement(original, changed)]).toEqual([seed, name, true]);
        expect([seed, name, isSameStatement(changed, original)]).toEqual([seed, name, true]); // symmetric
      }
      // several harmless changes at once
      const many = clone(original);
      for (const [, change] of HARMLESS) if (g.rnd() < 0.5) change(many, g);
      expect([seed, 'combined', isSameStatement(original, many)]).toEqual([seed, 'combined', true]);
    }
  });

  it('tells statements apart on every change of substance', () => {
    for (const seed of SEEDS) {
      const g = generator(seed);
      const original = g.statement();
      for (const [name, change] of SUBSTANTIAL) {
        const changed = clone(original);
        change(changed, g);
        if (JSON.stringify(changed) === JSON.stringify(original)) continue; // the change happened to be a no-op
        expect([seed, name, isSameStatement(original, changed)]).toEqual([seed, name, false]);
      }
    }
  });
});
