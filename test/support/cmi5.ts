import { randomUUID } from 'node:crypto';
import { basicAuth } from './server.js';

export const CMI5 = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
export const MOVEON = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
export const EXT = 'https://w3id.org/xapi/cmi5/context/extensions/';
export const ADL = 'http://adlnet.gov/expapi/verbs/';

/** A statement read back from the LRS, typed as far as the tests look into it. */
export interface ReadStatement {
  id: string;
  verb: { id: string };
  actor: { account: { name: string; homePage: string } };
  object: { id: string; definition: { type: string } };
  context: {
    registration: string;
    extensions: Record<string, unknown>;
    contextActivities: { grouping: { id: string }[]; category: { id: string }[] };
  };
  result: { duration: string } & Record<string, unknown>;
  authority: unknown;
}

interface Context {
  registration?: string;
  contextActivities: Record<string, unknown>;
  extensions: Record<string, unknown>;
}

export interface Launch {
  url: string;
  registration: string;
  sessionId: string;
}

/** Calls the integration API with the test LRS key (scope `all`: an administrator's credential). */
export async function api(base: string, path: string, body: unknown, contentType = 'application/json') {
  const res = await fetch(`${base}/formation/api/${path}`, {
    method: 'POST',
    headers: { Authorization: basicAuth(), 'Content-Type': contentType },
    body: Buffer.isBuffer(body) ? new Uint8Array(body) : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function importPackage(base: string, pkg: Buffer | string, type = 'text/xml'): Promise<string> {
  const res = await api(base, 'packages', pkg, type);
  if (res.status !== 201) throw new Error(`import answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.courseId as string;
}

export async function launch(base: string, body: Record<string, unknown>): Promise<Launch> {
  const res = await api(base, 'launches', body);
  if (res.status !== 200) throw new Error(`launch answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as unknown as Launch;
}

/** A conformant AU over HTTP, as a browser would run one: reads its launch URL, fetches its token, talks xAPI. */
export class TestAu {
  readonly endpoint: string;
  readonly fetchUrl: string;
  readonly actor: Record<string, unknown>;
  readonly registration: string;
  readonly activityId: string;
  token = '';
  launchData: Record<string, unknown> = {};

  constructor(launchUrl: string) {
    const q = new URL(launchUrl).searchParams;
    this.endpoint = q.get('endpoint')!;
    this.fetchUrl = q.get('fetch')!;
    this.actor = JSON.parse(q.get('actor')!) as Record<string, unknown>;
    this.registration = q.get('registration')!;
    this.activityId = q.get('activityId')!;
  }

  async fetchToken(): Promise<Record<string, string>> {
    const res = await fetch(this.fetchUrl, { method: 'POST' });
    const body = (await res.json()) as Record<string, string>;
    if (body['auth-token']) this.token = body['auth-token'];
    return body;
  }

  xapi(method: string, resource: string, params: Record<string, string> = {}, body?: unknown): Promise<Response> {
    const url = new URL(resource, this.endpoint);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return fetch(url, {
      method,
      headers: {
        Authorization: `Basic ${this.token}`,
        'X-Experience-API-Version': '1.0.3',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** Fetch, LMS.LaunchData, learner preferences: what an AU does before its first statement. */
  async start(): Promise<this> {
    await this.fetchToken();
    const state = await this.xapi('GET', 'activities/state', {
      stateId: 'LMS.LaunchData',
      activityId: this.activityId,
      agent: JSON.stringify(this.actor),
      registration: this.registration,
    });
    if (state.status !== 200) throw new Error(`LMS.LaunchData answered ${state.status}: ${await state.text()}`);
    this.launchData = (await state.json()) as Record<string, unknown>;
    await this.xapi('GET', 'agents/profile', {
      agent: JSON.stringify(this.actor),
      profileId: 'cmi5LearnerPreferences',
    });
    return this;
  }

  statement(
    verb: string,
    options: {
      moveon?: boolean;
      result?: Record<string, unknown>;
      ext?: Record<string, unknown>;
      defined?: boolean;
    } = {},
  ): Record<string, unknown> {
    const ctx = structuredClone(this.launchData.contextTemplate) as Context;
    ctx.registration = this.registration;
    if (options.defined ?? true) {
      ctx.contextActivities.category = [{ id: CMI5 }, ...(options.moveon ? [{ id: MOVEON }] : [])];
    }
    ctx.extensions = { ...(options.ext ?? {}), ...ctx.extensions };
    const st: Record<string, unknown> = {
      id: randomUUID(),
      actor: this.actor,
      verb: { id: verb.startsWith('http') ? verb : ADL + verb, display: { 'en-US': verb } },
      object: { objectType: 'Activity', id: this.activityId },
      context: ctx,
      timestamp: new Date().toISOString(),
    };
    if (options.result) st.result = options.result;
    return st;
  }

  send(st: unknown): Promise<Response> {
    return this.xapi('POST', 'statements', {}, st);
  }
}

/** Every statement of a registration, oldest first, read with the LRS key that sees every learner. */
export async function statementsOf(base: string, registration: string): Promise<ReadStatement[]> {
  const url = `${base}/xapi/statements?registration=${registration}&ascending=true&limit=500`;
  const res = await fetch(url, { headers: { Authorization: basicAuth(), 'X-Experience-API-Version': '1.0.3' } });
  if (res.status !== 200) throw new Error(`statements answered ${res.status}`);
  return ((await res.json()) as { statements: ReadStatement[] }).statements;
}

export const verbsOf = (statements: ReadStatement[]) => statements.map((s) => s.verb.id.split('/').pop());
