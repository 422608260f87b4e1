import { prepareStatement } from './prepare.js';
import { QUERY_KEY, statementQueryKeys } from './query-keys.js';
import type { Json } from './problems.js';

const stored = (s: Json) =>
  prepareStatement(s, {
    authority: { objectType: 'Agent', account: { homePage: 'https://lrs.example', name: 'key' } },
    stored: new Date('2026-01-05T08:00:00Z'),
    version: '1.0.3',
  });

const pupil = { mbox: 'mailto:Eleve@ENT.example.fr' };
const teacher = { account: { homePage: 'https://ent.example.fr', name: 'prof' } };

describe('statement query keys', () => {
  it('keys the actor, Group members, verb, Activity object, registration, authority and attachments', () => {
    const keys = statementQueryKeys(
      stored({
        actor: { objectType: 'Group', name: 'classe', member: [pupil] },
        verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
        object: { id: 'https://ent.example.fr/quiz' },
        context: { registration: 'AAAAAAAA-0000-4000-8000-000000000000', instructor: teacher },
        attachments: [
          {
            usageType: 'https://x.fr/u',
            display: { fr: 'copie' },
            contentType: 'text/plain',
            length: 1,
            sha2: 'AB'.repeat(32),
          },
        ],
      }),
    );
    expect(keys).toEqual(
      expect.arrayContaining([
        `${QUERY_KEY.agent}mbox:mailto:Eleve@ent.example.fr`,
        `${QUERY_KEY.verb}http://adlnet.gov/expapi/verbs/completed`,
        `${QUERY_KEY.activity}https://ent.example.fr/quiz`,
        `${QUERY_KEY.registration}aaaaaaaa-0000-4000-8000-000000000000`,
        `${QUERY_KEY.relatedAgent}account:https://ent.example.fr|prof`,
        `${QUERY_KEY.authority}account:https://lrs.example|key`,
        `${QUERY_KEY.attachment}${'ab'.repeat(32)}`,
      ]),
    );
    expect(keys).not.toContain(`${QUERY_KEY.agent}account:https://ent.example.fr|prof`);
  });

  it('keys a SubStatement and context activities only as related, and an Agent object as agent', () => {
    const sub = statementQueryKeys(
      stored({
        actor: pupil,
        verb: { id: 'http://adlnet.gov/expapi/verbs/planned' },
        object: {
          objectType: 'SubStatement',
          actor: teacher,
          verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
          object: { id: 'https://ent.example.fr/cours' },
          context: { contextActivities: { parent: { id: 'https://ent.example.fr/parent' } } },
        },
      }),
    );
    expect(sub).toEqual(
      expect.arrayContaining([
        `${QUERY_KEY.relatedAgent}account:https://ent.example.fr|prof`,
        `${QUERY_KEY.relatedActivity}https://ent.example.fr/cours`,
        `${QUERY_KEY.relatedActivity}https://ent.example.fr/parent`,
      ]),
    );
    expect(sub.some((k) => k.startsWith(QUERY_KEY.activity))).toBe(false);
    const asObject = statementQueryKeys(
      stored({
        actor: teacher,
        verb: { id: 'http://adlnet.gov/expapi/verbs/mentored' },
        object: { objectType: 'Agent', ...pupil },
      }),
    );
    expect(asObject).toContain(`${QUERY_KEY.agent}mbox:mailto:Eleve@ent.example.fr`);
  });
});
