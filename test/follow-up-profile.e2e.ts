import { randomUUID } from 'node:crypto';
import { TABLES, queryRows } from '@ent-observatory/warehouse';
import {
  ENT_CONTEXT_EXTENSIONS as CX,
  ENT_RESULT_EXTENSIONS as RX,
  FOLLOW_UP_RULES,
  type Statement,
  followUpProblem,
} from '@ent-observatory/xapi';
import { PROFILE_DOC_KEY, readProfileDocExamples } from './support/profile-doc.js';
import { type TestServer, scrapeMetrics, startServer, xapiHeaders } from './support/server.js';

type Json = Record<string, unknown>;
const examples = readProfileDocExamples();
const example = (name: string): Json => structuredClone(examples.find((e) => e.name === name)!.statement);
const ext = (s: Json): Json => (s.context as { extensions: Json }).extensions;
const resultExt = (s: Json): Json => (s.result as { extensions: Json }).extensions;

/** Each rule broken once (or twice, in two ways), from the doc's valid examples, and a few valid edge cases. */
function variants(): { name: string; statement: Json }[] {
  const v: { name: string; statement: Json }[] = [];
  const add = (name: string, base: string, change: (s: Json) => void) => {
    const s = example(base);
    change(s);
    v.push({ name, statement: s });
  };
  add('assigned without class', 'homework-assigned', (s) => delete ext(s)[CX.class]);
  add('assigned without due', 'homework-assigned', (s) => delete ext(s)[CX.due]);
  add('submitted with a due that is no date', 'homework-submitted-late', (s) => (ext(s)[CX.due] = 'jeudi'));
  add('submitted without on-time', 'homework-submitted-late', (s) => delete resultExt(s)[RX.onTime]);
  add('assessment of a teacher', 'assessment-scored', (s) => (ext(s)[CX.profile] = 'enseignant'));
  add('assessment without score', 'assessment-scored', (s) => (s.result = { success: true }));
  add('negative score', 'assessment-scored', (s) => (s.result = { score: { scaled: -0.5 } }));
  add('level 2.5', 'socle-positioning', (s) => (resultExt(s)[RX.competenceLevel] = 2.5));
  add('level as text', 'socle-positioning', (s) => (resultExt(s)[RX.competenceLevel] = '3'));
  add(
    'unknown component',
    'socle-positioning',
    (s) => (s.object = { ...(s.object as Json), id: 'https://ent-observatory.fr/xapi/socle/CPD_XXX' }),
  );
  add('no cycle', 'socle-positioning', (s) => delete ext(s)[CX.cycle]);
  add('cycle as text', 'socle-positioning', (s) => (ext(s)[CX.cycle] = '3'));
  add('dispensé (valid)', 'socle-positioning', (s) => (resultExt(s)[RX.competenceLevel] = 0));
  add('raw without scaled (valid)', 'assessment-scored', (s) => (s.result = { score: { raw: 8, max: 10 } }));
  return v;
}

describe('follow-up statements that break the profile', () => {
  let server: TestServer;
  const sent = [...examples.map((e) => ({ name: e.name, statement: e.statement })), ...variants()].map((x) => ({
    ...x,
    statement: { ...x.statement, id: randomUUID() },
  }));

  beforeAll(async () => {
    server = await startServer({ PSEUDONYMIZATION_KEY: PROFILE_DOC_KEY });
    const res = await fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders(),
      body: JSON.stringify(sent.map((s) => s.statement)),
    });
    expect(res.status).toBe(200);
    await server.settle();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('breaks every rule at least once in this test', () => {
    const broken = new Set(sent.map((s) => followUpProblem(s.statement as unknown as Statement)));
    expect(FOLLOW_UP_RULES.filter((r) => !broken.has(r))).toEqual([]);
  });

  it('are stored all the same, and queryable through the LRS', async () => {
    for (const s of sent.filter((x) => followUpProblem(x.statement as unknown as Statement) !== '')) {
      const res = await fetch(`${server.url}/xapi/statements?statementId=${s.statement.id as string}`, {
        headers: xapiHeaders(),
      });
      expect([s.name, res.status]).toEqual([s.name, 200]);
    }
  });

  it('are counted in /metrics by rule', async () => {
    const text = await scrapeMetrics(server.url);
    for (const rule of FOLLOW_UP_RULES) {
      const expected = sent.filter((s) => followUpProblem(s.statement as unknown as Statement) === rule).length;
      const got = Number(
        new RegExp(`^ent_statements_profile_violations_total\\{rule="${rule}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0,
      );
      expect([rule, got]).toEqual([rule, expected]);
    }
  });

  it('are flagged with the same rule by ClickHouse (050_follow_up.sql) as by followUpProblem', async () => {
    const rows = await queryRows<{ id: string; problem: string }>(
      server.warehouse.client,
      `SELECT toString(id) AS id, problem FROM ${TABLES.followUpPupilEvents}
       UNION ALL SELECT toString(id) AS id, problem FROM ${TABLES.followUpHomework}`,
    );
    const flagged = new Map(rows.map((r) => [r.id, r.problem]));
    for (const s of sent) {
      const expected = followUpProblem(s.statement as unknown as Statement);
      const got = flagged.get(s.statement.id) ?? (expected === '' ? '' : 'absent');
      expect([s.name, got]).toEqual([s.name, expected]);
    }
  });

  it('leave the follow-up figures: only valid marks and levels are read, raw scores scaled', async () => {
    const rows = await queryRows<{ id: string; score: number | null; level: number | null }>(
      server.warehouse.client,
      `SELECT toString(id) AS id, score, level FROM ${TABLES.followUpPupilEvents}
       WHERE problem = '' AND kind IN ('scored', 'positioned')`,
    );
    const byName = new Map(sent.map((s) => [s.statement.id as string, s.name]));
    const got = Object.fromEntries(rows.map((r) => [byName.get(r.id), r.score ?? Number(r.level)]));
    expect(got).toEqual({
      'homework-marked': 0.7,
      'assessment-scored': 0.675,
      'raw without scaled (valid)': 0.8,
      'competence-evaluated': 3,
      'socle-positioning': 3,
      'dispensé (valid)': 0,
    });
  });
});
