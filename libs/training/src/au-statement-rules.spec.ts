import { randomUUID } from 'node:crypto';
import { Cmi5RuleViolation, type SessionFacts, type SessionProgress, checkAuStatements } from './au-statement-rules.js';
import type { CourseStructure } from './course-structure.js';
import { auSatisfied, evaluateMoveOn } from './move-on.js';
import { CATEGORY_CMI5, CATEGORY_MOVEON, EXT, VERB } from './vocabulary.js';

const actor = { objectType: 'Agent' as const, account: { homePage: 'https://ent.test', name: 'u1' } };
const facts: SessionFacts = {
  sessionId: 'session-1',
  registration: '11111111-1111-4111-8111-111111111111',
  actor,
  activityId: 'https://lms.test/au/0',
  launchMode: 'Normal',
  masteryScore: 0.7,
  contextTemplate: {
    contextActivities: { grouping: [{ id: 'https://publisher.test/au' }] },
    extensions: { [EXT.sessionId]: 'session-1' },
  },
};
const fresh: SessionProgress = {
  initialized: false,
  terminated: false,
  abandoned: false,
  completed: false,
  passed: false,
  failed: false,
  registrationCompleted: false,
  registrationPassed: false,
  acceptedIds: new Set(),
};
const started = { ...fresh, initialized: true };

function st(verb: string, opts: { result?: object; moveon?: boolean; defined?: boolean; ext?: object } = {}) {
  return {
    id: randomUUID(),
    actor,
    verb: { id: verb in VERB ? VERB[verb as keyof typeof VERB] : verb },
    object: { id: facts.activityId },
    timestamp: '2026-12-01T10:00:00.000Z',
    context: {
      registration: facts.registration,
      contextActivities: {
        grouping: [{ id: 'https://publisher.test/au' }],
        category: [
          ...((opts.defined ?? true) ? [{ id: CATEGORY_CMI5 }] : []),
          ...(opts.moveon ? [{ id: CATEGORY_MOVEON }] : []),
        ],
      },
      extensions: { [EXT.sessionId]: 'session-1', ...opts.ext },
    },
    ...(opts.result ? { result: opts.result } : {}),
  };
}

function rule(statements: object[], progress: SessionProgress = started): string {
  try {
    checkAuStatements(statements as Record<string, unknown>[], facts, progress);
  } catch (e) {
    if (e instanceof Cmi5RuleViolation) return e.rule;
    throw e;
  }
  return 'accepted';
}

const passed = (scaled: number, extra: object = {}) =>
  st('passed', {
    moveon: true,
    ext: { [EXT.masteryScore]: 0.7 },
    result: { success: true, score: { scaled }, duration: 'PT1M', ...extra },
  });

describe('the cmi5 statement rules an AU must follow', () => {
  it('accepts a conformant session, in one request or several', () => {
    const session = [
      st('initialized'),
      st('http://adlnet.gov/expapi/verbs/experienced', { defined: false }),
      st('completed', { moveon: true, result: { completion: true, duration: 'PT2M' } }),
      passed(0.8),
      st('terminated', { result: { duration: 'PT3M' } }),
    ];
    const { effects, progress } = checkAuStatements(session, facts, fresh);
    expect(effects.map((e) => e.verb)).toEqual(['initialized', undefined, 'completed', 'passed', 'terminated']);
    expect(effects[3]).toMatchObject({ scaled: 0.8, durationMs: 60_000 });
    expect(progress).toMatchObject({ initialized: true, completed: true, passed: true, terminated: true });
  });

  it.each([
    [
      'a statement before initialized',
      [st('completed', { moveon: true, result: { completion: true, duration: 'PT1S' } })],
      fresh,
      '§9.3',
    ],
    [
      'anything after terminated',
      [st('terminated', { result: { duration: 'PT1S' } }), st('x', { defined: false })],
      started,
      '§9.3.8',
    ],
    ['a duplicated verb', [st('initialized')], started, '§9.3'],
    ['passed and failed in one session', [passed(0.9)], { ...started, failed: true }, '§9.3'],
    [
      'a second completed in the registration',
      [st('completed', { moveon: true, result: { completion: true, duration: 'PT1S' } })],
      { ...started, registrationCompleted: true },
      '§9.3.3',
    ],
    [
      'failed after passed',
      [st('failed', { moveon: true, result: { success: false, duration: 'PT1S' } })],
      { ...started, registrationPassed: true },
      '§9.3',
    ],
    ['passed below the mastery score', [passed(0.5)], started, '§9.3.4'],
    [
      'a scored passed without the masteryScore extension',
      [
        {
          ...passed(0.9),
          context: {
            ...st('x').context,
            contextActivities: {
              grouping: [{ id: 'https://publisher.test/au' }],
              category: [{ id: CATEGORY_CMI5 }, { id: CATEGORY_MOVEON }],
            },
          },
        },
      ],
      started,
      '§9.6.3.2',
    ],
    [
      'completed without completion true',
      [st('completed', { moveon: true, result: { duration: 'PT1S' } })],
      started,
      '§9.5.3',
    ],
    [
      'completed without duration',
      [st('completed', { moveon: true, result: { completion: true } })],
      started,
      '§9.5.4.1',
    ],
    ['success on a terminated', [st('terminated', { result: { success: true, duration: 'PT1S' } })], started, '§9.5.2'],
    [
      'the moveOn category on a cmi5 allowed statement',
      [st('x', { defined: false, moveon: true })],
      started,
      '§9.6.2.2',
    ],
    [
      'a score on completed',
      [st('completed', { moveon: true, result: { completion: true, duration: 'PT1S', score: { scaled: 1 } } })],
      started,
      '§9.5.1',
    ],
    ['an LMS verb from the AU', [st('satisfied')], started, '§9.3'],
    ['voiding', [st('voided', { defined: false })], started, '§6.3'],
  ])('refuses %s', (_name, statements, progress, expected) => {
    expect(rule(statements, progress)).toBe(expected);
  });

  it('refuses statements of another actor, registration or session, or without the template', () => {
    const other = st('initialized');
    other.actor = { objectType: 'Agent', account: { homePage: 'https://ent.test', name: 'u2' } };
    expect(rule([other], fresh)).toBe('§8.1.3');
    const registration = st('initialized');
    registration.context.registration = randomUUID();
    expect(rule([registration], fresh)).toBe('§9.6.1');
    expect(rule([st('initialized', { ext: { [EXT.sessionId]: 'another' } })], fresh)).toBe('§9.6.3.1');
    const noGrouping = st('initialized');
    noGrouping.context.contextActivities.grouping = [];
    expect(rule([noGrouping], fresh)).toBe('§10.2.1');
    const { timestamp: _t, ...untimed } = st('initialized');
    expect(rule([untimed], fresh)).toBe('§9.7');
  });

  it('in Browse mode accepts only initialized and terminated', () => {
    const browse = { ...facts, launchMode: 'Browse' as const };
    expect(() =>
      checkAuStatements(
        [st('completed', { moveon: true, result: { completion: true, duration: 'PT1S' } })],
        browse,
        started,
      ),
    ).toThrow(/§10\.2\.2/);
  });

  it('does not count twice a statement re-posted with the same id', () => {
    const first = st('initialized');
    const { progress } = checkAuStatements([first], facts, fresh);
    const again = checkAuStatements([first], facts, progress);
    expect(again.effects[0]?.replay).toBe(true);
  });
});

describe('moveOn', () => {
  const au = (index: number, moveOn: string) => ({ kind: 'au', index, lmsId: `au${index}`, moveOn }) as never;
  const structure = {
    course: { lmsId: 'course' },
    children: [
      {
        kind: 'block',
        lmsId: 'outer',
        children: [{ kind: 'block', lmsId: 'inner', children: [au(0, 'Passed')] }, au(1, 'CompletedOrPassed')],
      },
      au(2, 'NotApplicable'),
    ],
  } as unknown as CourseStructure;

  it('satisfies each AU by its criterion, and a waived AU always', () => {
    const o = (completed: boolean, passed: boolean, waived = false) => ({ completed, passed, waived });
    expect([
      auSatisfied('Passed', o(true, false)),
      auSatisfied('CompletedAndPassed', o(true, true)),
      auSatisfied('Completed', o(false, false, true)),
    ]).toEqual([false, true, true]);
  });

  it('satisfies inner blocks before outer ones, then the course, once', () => {
    const outcomes = new Map([
      [0, { completed: false, passed: true, waived: false }],
      [1, { completed: true, passed: false, waived: false }],
    ]);
    const first = evaluateMoveOn(structure, outcomes, { blocks: new Set(), course: false });
    expect(first.blocks.map((b) => b.lmsId)).toEqual(['inner', 'outer']);
    expect(first.course).toBe(true);
    expect(evaluateMoveOn(structure, outcomes, { blocks: new Set(['inner', 'outer']), course: true })).toEqual({
      blocks: [],
      course: false,
    });
    expect(evaluateMoveOn(structure, new Map(), { blocks: new Set(), course: false })).toEqual({
      blocks: [],
      course: false,
    });
  });
});
