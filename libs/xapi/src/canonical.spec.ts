import { copyOf, durationToHundredths, isSameStatement, normaliseStatement } from './canonical.js';
import { durationToMillis, statementToRow } from './analytics.js';
import { prepareStatement } from './prepare.js';
import type { Json } from './problems.js';

const statement = () => ({
  id: 'FD41C918-B88B-4B20-A0A5-A4C32391AAA0',
  actor: { objectType: 'Group', member: [{ mbox: 'mailto:a@ENT.fr' }, { mbox: 'mailto:b@ent.fr' }] },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { fr: 'a terminé' } },
  object: { id: 'https://ent.example.fr/Cours/1', definition: { name: { fr: 'Cours' } } },
  context: { contextActivities: { parent: { id: 'https://ent.example.fr/parcours' } } },
  result: { duration: 'PT1M' },
  timestamp: '2026-01-05T09:30:00+01:00',
});

describe('isSameStatement', () => {
  it('ignores what the LRS assigns, verb display, definitions, member order, case of UUIDs and mail domains', () => {
    const stored = prepareStatement(statement(), {
      authority: { account: { homePage: 'https://lrs.example.fr', name: 'key' } },
      stored: new Date('2026-01-05T10:00:00Z'),
      version: '1.0.3',
    });
    const again = statement();
    again.id = again.id.toLowerCase();
    again.actor.member.reverse();
    again.actor.member[1] = { mbox: 'mailto:a@ent.FR' };
    again.verb.display = { fr: 'terminé' };
    again.object.definition = { name: { fr: 'Autre nom' } };
    again.timestamp = '2026-01-05T08:30:00.000Z';
    expect(isSameStatement(stored as unknown as Record<string, unknown>, again)).toBe(true);
  });

  it('sees a different result, activity id case, or timestamp instant as a different statement', () => {
    const stored = statement();
    expect(isSameStatement(stored, { ...statement(), result: { duration: 'PT60S' } })).toBe(false);
    expect(isSameStatement(stored, { ...statement(), object: { id: 'https://ent.example.fr/cours/1' } })).toBe(false);
    expect(isSameStatement(stored, { ...statement(), timestamp: '2026-01-05T09:30:00Z' })).toBe(false);
  });

  it('compares extension values exactly, whatever their keys are called', () => {
    // JSON.parse, as the LRS reads bodies: "__proto__" is then an own property like any other.
    const withExtension = (key: string, value: unknown) =>
      JSON.parse(
        JSON.stringify({ ...statement(), context: { extensions: { 'https://ent.example.fr/x': { k: 1 } } } }).replace(
          '{"k":1}',
          `{${JSON.stringify(key)}:${JSON.stringify(value)}}`,
        ),
      ) as Record<string, unknown>;
    for (const key of ['__proto__', 'definition', 'objectType', 'display', 'member', 'constructor', 'id']) {
      const stored = withExtension(key, { a: 1 });
      expect(isSameStatement(stored, withExtension(key, { a: 1 }))).toBe(true);
      expect(isSameStatement(stored, withExtension(key, { a: 2 }))).toBe(false);
      expect(isSameStatement(stored, withExtension(key, 'Activity'))).toBe(false);
    }
    // Inside an extension, case and order are the sender's: no UUID or mail folding, no member sorting.
    const uuid = 'FD41C918-B88B-4B20-A0A5-A4C32391AAA0';
    expect(isSameStatement(withExtension('id', uuid), withExtension('id', uuid.toLowerCase()))).toBe(false);
    expect(isSameStatement(withExtension('member', [1, 2]), withExtension('member', [2, 1]))).toBe(false);
    const result = (ext: string) =>
      JSON.parse(`{"actor":{"mbox":"mailto:a@b.fr"},"verb":{"id":"http://x.fr/v"},"object":{"id":"http://x.fr/o"},
        "result":{"extensions":{"http://x.fr/e":${ext}}}}`) as Record<string, unknown>;
    expect(isSameStatement(result('{"__proto__":{"x":1}}'), result('{"__proto__":{"x":2}}'))).toBe(false);
    expect(isSameStatement(result('{"__proto__":{"x":1}}'), result('{}'))).toBe(false);
  });

  it('compares durations to the hundredth of a second, truncated, and otherwise as strings (Data 4.6)', () => {
    const withDuration = (duration: string) => ({ ...statement(), result: { duration } });
    const same = (a: string, b: string) => isSameStatement(withDuration(a), withDuration(b));
    expect(same('P1DT12H36M0.1237S', 'P1DT12H36M0.12S')).toBe(true);
    expect(same('PT1.2399S', 'PT1.23S')).toBe(true);
    expect(same('PT1.2S', 'PT1.20S')).toBe(true);
    expect(same('PT1.009S', 'PT1S')).toBe(true);
    expect(same('PT1,25S', 'PT1.25S')).toBe(true);
    // Truncated, not rounded; and units are not converted.
    expect(same('P1DT12H36M0.12567S', 'P1DT12H36M0.13S')).toBe(false);
    expect(same('PT1.24S', 'PT1.23S')).toBe(false);
    expect(same('PT60S', 'PT1M')).toBe(false);
    expect(durationToHundredths('P1DT12H36M0.12567S')).toBe('P1DT12H36M0.12S');
    expect(durationToHundredths('P3Y')).toBe('P3Y');
  });

  it('treats a resent statement without timestamp as the same when the LRS had assigned one', () => {
    const { timestamp: _omitted, ...withoutTimestamp } = statement();
    expect(isSameStatement(statement(), withoutTimestamp)).toBe(true);
  });
});

describe('normaliseStatement', () => {
  it('turns a single context activity into an array without touching the input', () => {
    const input = statement();
    const out = normaliseStatement(input) as ReturnType<typeof statement> & {
      context: { contextActivities: { parent: unknown } };
    };
    expect(out.context.contextActivities.parent).toEqual([{ id: 'https://ent.example.fr/parcours' }]);
    expect(Array.isArray(input.context.contextActivities.parent)).toBe(false);
  });
});

describe('prepareStatement and statementToRow', () => {
  const authority = { account: { homePage: 'https://lrs.example.fr', name: 'key' } };

  it('assigns id, stored, UTC timestamp, authority and version 1.0.0', () => {
    const { id: _id, ...noId } = statement();
    const s = prepareStatement(
      { ...noId, authority: { mbox: 'mailto:forged@x.fr' } },
      {
        authority,
        stored: new Date('2026-01-05T10:00:00.000Z'),
        version: '1.0.3',
      },
    );
    expect(s.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.stored).toBe('2026-01-05T10:00:00.000Z');
    expect(s.timestamp).toBe('2026-01-05T08:30:00.000Z');
    expect(s.authority).toEqual(authority);
    expect(s.version).toBe('1.0.0');
  });

  it('stores the properties in the order sent, the ones the LRS adds after, and leaves the input as it was', () => {
    const sent = JSON.parse(
      '{"timestamp":"2026-01-05T09:30:00+01:00","actor":{"mbox":"mailto:a@b.fr"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},' +
        '"object":{"id":"https://ent.example.fr/Cours/1"},"context":{"contextActivities":{"parent":{"id":"https://ent.example.fr/c"}}}}',
    ) as Json;
    const before = JSON.stringify(sent);
    const s = prepareStatement(sent, { authority, stored: new Date('2026-01-05T10:00:00Z'), version: '1.0.3' });
    expect(Object.keys(s)).toEqual([
      'timestamp',
      'actor',
      'verb',
      'object',
      'context',
      'id',
      'stored',
      'authority',
      'version',
    ]);
    expect(s.timestamp).toBe('2026-01-05T08:30:00.000Z');
    expect(s.context?.contextActivities?.parent).toEqual([{ id: 'https://ent.example.fr/c' }]);
    expect(JSON.stringify(sent)).toBe(before);
  });

  it('copies a "__proto__" key as a key (JSON.parse makes it one), never as the prototype', () => {
    const sent = JSON.parse('{"__proto__":{"polluted":true},"actor":{"mbox":"mailto:a@b.fr"}}') as Json;
    const copy = copyOf(sent);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(sent));
  });

  it('flattens a statement into typed analytics columns', () => {
    const s = prepareStatement(statement(), { authority, stored: new Date('2026-01-05T10:00:00Z'), version: '2.0.0' });
    const row = statementToRow(s);
    expect(row).toMatchObject({
      id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0',
      stored: '2026-01-05 10:00:00.000',
      timestamp: '2026-01-05 08:30:00.000',
      actor_ifi: 'anonymous-group',
      actor_type: 'Group',
      verb_id: 'http://adlnet.gov/expapi/verbs/completed',
      object_id: 'https://ent.example.fr/Cours/1',
      object_type: 'Activity',
      result_duration_ms: 60_000,
      version: '2.0.0',
    });
    expect(JSON.parse(row.raw).id).toBe(row.id);
  });

  it.each([
    ['PT1H30M', 5_400_000],
    ['PT4.5S', 4500],
    ['P1D', 86_400_000],
    ['P1W', 604_800_000],
    ['P1M', 2_592_000_000],
  ])('reads duration %s as %d ms', (d, ms) => {
    expect(durationToMillis(d)).toBe(ms);
  });
});

describe('review fixes', () => {
  it('ignores attachments when comparing statements', () => {
    const attachment = {
      usageType: 'http://a.fr/u',
      display: { fr: 'x' },
      contentType: 'text/plain',
      length: 1,
      sha2: 'a'.repeat(64),
    };
    expect(isSameStatement(statement(), { ...statement(), attachments: [attachment] })).toBe(true);
  });

  it('keeps the local part of an mbox case-sensitive in analytics identifiers', () => {
    const authority = { account: { homePage: 'https://lrs.example.fr', name: 'key' } };
    const row = (mbox: string) =>
      statementToRow(
        prepareStatement({ ...statement(), actor: { mbox } }, { authority, stored: new Date(), version: '1.0.3' }),
      );
    expect(row('mailto:Jean@ENT.fr').actor_ifi).toBe('mbox:mailto:Jean@ent.fr');
    expect(row('mailto:jean@ent.fr').actor_ifi).not.toBe(row('mailto:Jean@ent.fr').actor_ifi);
  });

  it('leaves out a duration too long to count in milliseconds', () => {
    const authority = { account: { homePage: 'https://lrs.example.fr', name: 'key' } };
    const s = prepareStatement(
      { ...statement(), result: { duration: 'P99999999999Y' } },
      { authority, stored: new Date(), version: '1.0.3' },
    );
    expect(statementToRow(s).result_duration_ms).toBeNull();
  });
});
