import type { ValidationOptions } from './validate-common.js';
import { validateStatement, validateStatements } from './validate-statement.js';

const v103 = { version: '1.0.3' as const };
const v200 = { version: '2.0.0' as const };

function base(): Record<string, unknown> {
  return {
    actor: { mbox: 'mailto:eleve@example.fr', name: 'Élève' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'fr-FR': 'a consulté' } },
    object: { id: 'https://ent.example.fr/cahier-de-textes', objectType: 'Activity' },
  };
}

function paths(statement: unknown, opts: ValidationOptions = v103): string[] {
  return validateStatement(statement, opts).map((p) => p.path);
}

describe('validateStatement', () => {
  it('accepts a minimal statement', () => {
    expect(validateStatement(base(), v103)).toEqual([]);
  });

  it('accepts a full statement with every optional part', () => {
    const s = {
      ...base(),
      id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0',
      object: {
        id: 'https://ent.example.fr/quiz/1',
        definition: {
          name: { fr: 'Quiz' },
          type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
          interactionType: 'choice',
          correctResponsesPattern: ['a'],
          choices: [{ id: 'a', description: { fr: 'A' } }, { id: 'b' }],
          moreInfo: 'https://ent.example.fr/info',
          extensions: { 'https://ent.example.fr/x': 1 },
        },
      },
      result: {
        score: { scaled: 0.5, raw: 5, min: 0, max: 10 },
        success: true,
        completion: true,
        response: 'a',
        duration: 'PT1M30.5S',
      },
      context: {
        registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7',
        instructor: { account: { homePage: 'https://ent.example.fr', name: 'prof1' } },
        team: { objectType: 'Group', member: [{ mbox: 'mailto:a@b.fr' }] },
        contextActivities: { parent: { id: 'https://ent.example.fr/cours' }, grouping: [{ id: 'https://x.fr/g' }] },
        platform: 'ENT',
        language: 'fr-FR',
        statement: { objectType: 'StatementRef', id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa1' },
        extensions: { 'https://ent.example.fr/uai': '0350001A' },
      },
      timestamp: '2026-01-05T08:30:00.123+01:00',
      version: '1.0.3',
      attachments: [
        {
          usageType: 'http://adlnet.gov/expapi/attachments/signature',
          display: { fr: 'Signature' },
          contentType: 'application/octet-stream',
          length: 12,
          sha2: 'a'.repeat(64),
        },
      ],
    };
    expect(validateStatement(s, v103)).toEqual([]);
  });

  it.each([
    ['actor missing', (s: Record<string, unknown>) => delete s.actor, '$.actor'],
    ['verb missing', (s: Record<string, unknown>) => delete s.verb, '$.verb'],
    ['object missing', (s: Record<string, unknown>) => delete s.object, '$.object'],
    ['unknown property', (s: Record<string, unknown>) => (s.foo = 1), '$.foo'],
    ['id not a UUID', (s: Record<string, unknown>) => (s.id = 'abc'), '$.id'],
    ['verb id not an IRI', (s: Record<string, unknown>) => (s.verb = { id: 'experienced' }), '$.verb.id'],
    [
      'display not a language map',
      (s: Record<string, unknown>) => (s.verb = { id: 'http://a.b/c', display: { 'not a tag!': 'x' } }),
      '$.verb.display.not a tag!',
    ],
    ['mbox without mailto', (s: Record<string, unknown>) => (s.actor = { mbox: 'a@b.fr' }), '$.actor.mbox'],
    [
      'two IFIs',
      (s: Record<string, unknown>) => (s.actor = { mbox: 'mailto:a@b.fr', openid: 'http://a.b/c' }),
      '$.actor',
    ],
    ['no IFI', (s: Record<string, unknown>) => (s.actor = { name: 'x' }), '$.actor'],
    ['bad sha1sum', (s: Record<string, unknown>) => (s.actor = { mbox_sha1sum: 'xyz' }), '$.actor.mbox_sha1sum'],
    [
      'account without name',
      (s: Record<string, unknown>) => (s.actor = { account: { homePage: 'https://a.fr' } }),
      '$.actor.account.name',
    ],
    [
      'account homePage not IRL',
      (s: Record<string, unknown>) => (s.actor = { account: { homePage: 'ent', name: 'x' } }),
      '$.actor.account.homePage',
    ],
    [
      'anonymous group without members',
      (s: Record<string, unknown>) => (s.actor = { objectType: 'Group' }),
      '$.actor.member',
    ],
    [
      'group member is a group',
      (s: Record<string, unknown>) =>
        (s.actor = { objectType: 'Group', member: [{ objectType: 'Group', mbox: 'mailto:a@b.fr' }] }),
      '$.actor.member[0].objectType',
    ],
    [
      'agent object without objectType',
      (s: Record<string, unknown>) => (s.object = { mbox: 'mailto:a@b.fr' }),
      '$.object.id',
    ],
    [
      'unknown objectType',
      (s: Record<string, unknown>) => (s.object = { objectType: 'Thing', id: 'http://a.b' }),
      '$.object.objectType',
    ],
    [
      'StatementRef without UUID',
      (s: Record<string, unknown>) => (s.object = { objectType: 'StatementRef', id: 'x' }),
      '$.object.id',
    ],
    [
      'nested SubStatement',
      (s: Record<string, unknown>) =>
        (s.object = { objectType: 'SubStatement', ...base(), object: { objectType: 'SubStatement', ...base() } }),
      '$.object.object.objectType',
    ],
    [
      'SubStatement with id',
      (s: Record<string, unknown>) =>
        (s.object = { objectType: 'SubStatement', ...base(), id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0' }),
      '$.object.id',
    ],
    [
      'scaled above 1',
      (s: Record<string, unknown>) => (s.result = { score: { scaled: 1.5 } }),
      '$.result.score.scaled',
    ],
    [
      'raw above max',
      (s: Record<string, unknown>) => (s.result = { score: { raw: 11, max: 10 } }),
      '$.result.score.raw',
    ],
    [
      'min not below max',
      (s: Record<string, unknown>) => (s.result = { score: { min: 5, max: 5 } }),
      '$.result.score.max',
    ],
    ['success not boolean', (s: Record<string, unknown>) => (s.result = { success: 'yes' }), '$.result.success'],
    ['bad duration', (s: Record<string, unknown>) => (s.result = { duration: '90 seconds' }), '$.result.duration'],
    [
      'fraction in a non-final duration part',
      (s: Record<string, unknown>) => (s.result = { duration: 'PT1.5H30M' }),
      '$.result.duration',
    ],
    [
      'bad registration',
      (s: Record<string, unknown>) => (s.context = { registration: 'nope' }),
      '$.context.registration',
    ],
    [
      'platform on agent object',
      (s: Record<string, unknown>) => {
        s.object = { objectType: 'Agent', mbox: 'mailto:a@b.fr' };
        s.context = { platform: 'ENT' };
      },
      '$.context.platform',
    ],
    [
      'revision on agent object',
      (s: Record<string, unknown>) => {
        s.object = { objectType: 'Agent', mbox: 'mailto:a@b.fr' };
        s.context = { revision: '2' };
      },
      '$.context.revision',
    ],
    ['bad language', (s: Record<string, unknown>) => (s.context = { language: 'français' }), '$.context.language'],
    [
      'team not a group',
      (s: Record<string, unknown>) => (s.context = { team: { mbox: 'mailto:a@b.fr' } }),
      '$.context.team.objectType',
    ],
    [
      'unknown contextActivities key',
      (s: Record<string, unknown>) => (s.context = { contextActivities: { cousin: [] } }),
      '$.context.contextActivities.cousin',
    ],
    [
      'extension key not an IRI',
      (s: Record<string, unknown>) => (s.context = { extensions: { uai: '0350001A' } }),
      '$.context.extensions.uai',
    ],
    [
      'contextAgents in 1.0.3',
      (s: Record<string, unknown>) => (s.context = { contextAgents: [] }),
      '$.context.contextAgents',
    ],
    ['timestamp not ISO', (s: Record<string, unknown>) => (s.timestamp = '05/01/2026'), '$.timestamp'],
    ['timestamp on 30 February', (s: Record<string, unknown>) => (s.timestamp = '2026-02-30T10:00:00Z'), '$.timestamp'],
    [
      'timestamp with -00:00',
      (s: Record<string, unknown>) => (s.timestamp = '2026-01-05T10:00:00-00:00'),
      '$.timestamp',
    ],
    ['a leap second', (s: Record<string, unknown>) => (s.timestamp = '2026-06-30T23:59:60Z'), '$.timestamp'],
    ['offset +99:00', (s: Record<string, unknown>) => (s.timestamp = '2026-01-05T10:00:00+99:00'), '$.timestamp'],
    ['offset +05:99', (s: Record<string, unknown>) => (s.timestamp = '2026-01-05T10:00:00+05:99'), '$.timestamp'],
    ['version 0.95', (s: Record<string, unknown>) => (s.version = '0.95'), '$.version'],
    [
      'interaction components not allowed',
      (s: Record<string, unknown>) =>
        (s.object = { id: 'http://a.b/q', definition: { interactionType: 'true-false', choices: [] } }),
      '$.object.definition.choices',
    ],
    [
      'duplicate component ids',
      (s: Record<string, unknown>) =>
        (s.object = {
          id: 'http://a.b/q',
          definition: { interactionType: 'choice', choices: [{ id: 'a' }, { id: 'a' }] },
        }),
      '$.object.definition.choices[1].id',
    ],
    [
      'unknown interactionType',
      (s: Record<string, unknown>) => (s.object = { id: 'http://a.b/q', definition: { interactionType: 'quiz' } }),
      '$.object.definition.interactionType',
    ],
    [
      'moreInfo not IRL',
      (s: Record<string, unknown>) => (s.object = { id: 'http://a.b/q', definition: { moreInfo: 'info' } }),
      '$.object.definition.moreInfo',
    ],
    [
      'voiding a non-StatementRef',
      (s: Record<string, unknown>) => (s.verb = { id: 'http://adlnet.gov/expapi/verbs/voided' }),
      '$.object',
    ],
    [
      'attachment without sha2',
      (s: Record<string, unknown>) =>
        (s.attachments = [{ usageType: 'http://a.b/u', display: { fr: 'x' }, contentType: 'text/plain', length: 1 }]),
      '$.attachments[0].sha2',
    ],
    [
      'attachment with negative length',
      (s: Record<string, unknown>) =>
        (s.attachments = [
          {
            usageType: 'http://a.b/u',
            display: { fr: 'x' },
            contentType: 'text/plain',
            length: -1,
            sha2: 'a'.repeat(64),
          },
        ]),
      '$.attachments[0].length',
    ],
  ])('rejects %s at its path', (_name, mutate, path) => {
    const s = base();
    mutate(s);
    expect(paths(s)).toContain(path);
  });

  describe('authority (Data 2.4.9: an Agent, or in 3-legged OAuth a Group of two Agents)', () => {
    const consumer = { account: { homePage: 'https://lrs.example.fr/oauth/token', name: 'consumer-key' } };
    const user = { mbox: 'mailto:enseignant@example.fr' };

    it.each([v103, v200])('accepts an Agent and the OAuth consumer and user pair (%o)', (opts) => {
      expect(paths({ ...base(), authority: { objectType: 'Agent', ...user } }, opts)).toEqual([]);
      expect(paths({ ...base(), authority: { objectType: 'Group', member: [consumer, user] } }, opts)).toEqual([]);
    });

    it.each([v103, v200])('refuses any other Group as authority (%o)', (opts) => {
      const group = (extra: Record<string, unknown>) => ({ ...base(), authority: { objectType: 'Group', ...extra } });
      // More than two Agents.
      expect(paths(group({ member: [consumer, user, { mbox: 'mailto:c@example.fr' }] }), opts)).toEqual([
        '$.authority.member',
      ]);
      // One Agent only.
      expect(paths(group({ member: [consumer] }), opts)).toEqual(['$.authority.member']);
      // Two Agents, neither of them an OAuth consumer (identified by account).
      expect(paths(group({ member: [user, { mbox: 'mailto:b@example.fr' }] }), opts)).toEqual(['$.authority.member']);
      // An identified Group, even of two Agents.
      expect(paths(group({ mbox: 'mailto:groupe@example.fr', member: [consumer, user] }), opts)).toEqual([
        '$.authority',
      ]);
      // An identified Group without members.
      expect(paths(group({ mbox: 'mailto:groupe@example.fr' }), opts)).toEqual(['$.authority']);
    });

    it('refuses an authority that is neither an Agent nor a Group', () => {
      expect(paths({ ...base(), authority: { objectType: 'Activity', id: 'https://x.fr/a' } })).toContain(
        '$.authority.objectType',
      );
    });
  });

  it('reports every problem at once, not only the first', () => {
    const s = { actor: { mbox: 'nope' }, verb: { id: 'x' }, object: { id: 'y' }, result: { success: 1 } };
    expect(paths(s)).toEqual(['$.actor.mbox', '$.verb.id', '$.object.id', '$.result.success']);
  });

  it('rejects a statement that is not an object', () => {
    expect(validateStatement('hello', v103)).toEqual([
      { path: '$', message: 'must be a Statement (a JSON object), got string "hello"' },
    ]);
  });

  it('accepts in 1.0.3 a version starting with 1.0 only (Data 2.4.10, XAPI-00101)', () => {
    for (const version of ['1.0', '1.0.0', '1.0.9']) expect(paths({ ...base(), version })).toEqual([]);
    for (const version of ['0.9.9', '1.1.0', '2.0.0']) expect(paths({ ...base(), version })).toEqual(['$.version']);
  });

  describe('xAPI 2.0.0 differences', () => {
    it('accepts contextAgents and contextGroups', () => {
      const s = {
        ...base(),
        timestamp: '2026-01-05T08:30:00Z',
        context: {
          contextAgents: [
            { objectType: 'contextAgent', agent: { mbox: 'mailto:p@b.fr' }, relevantTypes: ['https://x.fr/parent'] },
          ],
          contextGroups: [
            { objectType: 'contextGroup', group: { objectType: 'Group', member: [{ mbox: 'mailto:a@b.fr' }] } },
          ],
        },
      };
      expect(validateStatement(s, v200)).toEqual([]);
    });

    it('requires a time zone on timestamps', () => {
      expect(paths({ ...base(), timestamp: '2026-01-05T08:30:00' }, v200)).toEqual(['$.timestamp']);
      expect(paths({ ...base(), timestamp: '2026-01-05T08:30:00' }, v103)).toEqual([]);
    });

    it('accepts a version starting with 1.0 or 2.0, and refuses any other (Data 2.4.10, XAPI-00101)', () => {
      for (const version of ['1.0', '1.0.0', '1.0.3', '1.0.9', '2.0', '2.0.0']) {
        expect(paths({ ...base(), version }, v200)).toEqual([]);
      }
      for (const version of ['should fail', '0.9.9', '1.1.0', '2.1.0', '2', '1.0.x']) {
        expect(paths({ ...base(), version }, v200)).toEqual(['$.version']);
      }
    });

    it('rejects an empty relevantTypes list', () => {
      const s = {
        ...base(),
        context: {
          contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:p@b.fr' }, relevantTypes: [] }],
        },
      };
      expect(paths(s, v200)).toEqual(['$.context.contextAgents[0].relevantTypes']);
    });
  });
});

describe('validateStatements', () => {
  it('locates problems by index in a batch', () => {
    const problems = validateStatements([base(), { ...base(), verb: {} }], v103);
    expect(problems.map((p) => p.path)).toEqual(['$[1].verb.id']);
  });

  it('rejects two statements with the same id in one batch', () => {
    const id = 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0';
    const problems = validateStatements(
      [
        { ...base(), id },
        { ...base(), id: id.toUpperCase() },
      ],
      v103,
    );
    expect(problems.map((p) => p.path)).toEqual(['$[1].id']);
  });

  it('rejects an empty batch', () => {
    expect(validateStatements([], v103).map((p) => p.path)).toEqual(['$']);
  });
});
