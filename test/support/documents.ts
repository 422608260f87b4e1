import { xapiHeaders } from './server.js';

export const ACTIVITY = 'https://ent.example.fr/activites/quiz-fractions';
export const AGENT = { objectType: 'Agent', mbox: 'mailto:eleve.un@ent.example.fr' };
export const OTHER_AGENT = { account: { homePage: 'https://ent.example.fr', name: 'eleve-2' } };

/** A query string from parameters, JSON-encoding objects (the `agent` parameter). */
export function qs(params: Record<string, unknown>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined);
  return new URLSearchParams(
    entries.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]),
  ).toString();
}

/** One request to a document resource with well-formed xAPI headers (overridable). */
export function docRequest(
  base: string,
  path: string,
  method: string,
  params: Record<string, unknown>,
  options: { body?: string | Uint8Array<ArrayBuffer>; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${base}${path}?${qs(params)}`, {
    method,
    headers: xapiHeaders(options.headers),
    body: options.body,
  });
}
