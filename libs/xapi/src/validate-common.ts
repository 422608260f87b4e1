import { isIri, isIrl, isLanguageTag, isMailto, isSha1Hex } from './formats.js';
import { type Json, Problems, isObject } from './problems.js';

/** Options that change what is valid: the version negotiated by the request's X-Experience-API-Version. */
export interface ValidationOptions {
  version: '1.0.3' | '2.0.0';
}

export function checkIri(p: Problems, v: unknown, path: string): void {
  if (p.string(v, path) && !isIri(v)) p.add(path, `must be an absolute IRI (scheme:...), got "${v}"`);
}

export function checkIrl(p: Problems, v: unknown, path: string): void {
  if (p.string(v, path) && !isIrl(v)) p.add(path, `must be an http(s) IRL, got "${v}"`);
}

export function checkLanguageMap(p: Problems, v: unknown, path: string): void {
  if (!p.object(v, path, 'a language map')) return;
  for (const tag in v) {
    if (!isLanguageTag(tag)) p.add(`${path}.${tag}`, `"${tag}" is not an RFC 5646 language tag`);
    p.string(v[tag], `${path}.${tag}`);
  }
}

export function checkExtensions(p: Problems, v: unknown, path: string): void {
  if (!p.object(v, path, 'an extensions map')) return;
  for (const key in v) {
    if (!isIri(key)) p.add(`${path}.${key}`, `extension keys must be IRIs, got "${key}"`);
  }
}

const AGENT_KEYS = new Set(['objectType', 'name', 'mbox', 'mbox_sha1sum', 'openid', 'account']);
const GROUP_KEYS = new Set([...AGENT_KEYS, 'member']);
const ACCOUNT_KEYS = new Set(['homePage', 'name']);
export const IFI_KEYS = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;

/** Checks the Inverse Functional Identifier properties present and returns how many there are. */
function checkIfis(p: Problems, v: Json, path: string): number {
  let count = 0;
  for (const key of IFI_KEYS) {
    const value = v[key];
    if (value === undefined) continue;
    count += 1;
    const at = `${path}.${key}`;
    if (key === 'mbox') {
      if (p.string(value, at) && !isMailto(value)) p.add(at, `must be a "mailto:" IRI, got "${value}"`);
    } else if (key === 'mbox_sha1sum') {
      if (p.string(value, at) && !isSha1Hex(value)) p.add(at, 'must be the hex SHA-1 of a mailto IRI');
    } else if (key === 'openid') {
      checkIri(p, value, at);
    } else if (p.object(value, at, 'an account')) {
      p.onlyKnown(value, at, ACCOUNT_KEYS, 'an account');
      if (value.homePage === undefined) p.add(`${at}.homePage`, 'is required');
      else checkIrl(p, value.homePage, `${at}.homePage`);
      if (value.name === undefined) p.add(`${at}.name`, 'is required');
      else p.string(value.name, `${at}.name`);
    }
  }
  return count;
}

/** An Agent: exactly one IFI. `objectTypeRequired` when the agent is a statement's object. */
export function checkAgent(p: Problems, v: unknown, path: string, objectTypeRequired = false): void {
  if (!p.object(v, path, 'an Agent')) return;
  p.onlyKnown(v, path, AGENT_KEYS, 'an Agent');
  if (v.objectType !== undefined && v.objectType !== 'Agent') {
    p.add(`${path}.objectType`, `must be "Agent", got ${JSON.stringify(v.objectType)}`);
  } else if (objectTypeRequired && v.objectType === undefined) {
    p.add(`${path}.objectType`, 'is required when an Agent is the object of a statement');
  }
  if (v.name !== undefined) p.string(v.name, `${path}.name`);
  const ifis = checkIfis(p, v, path);
  if (ifis !== 1) {
    p.add(path, `an Agent must have exactly one identifier (mbox, mbox_sha1sum, openid or account), found ${ifis}`);
  }
}

/** A Group: identified (one IFI, members optional) or anonymous (no IFI, members required). */
export function checkGroup(p: Problems, v: Json, path: string): void {
  p.onlyKnown(v, path, GROUP_KEYS, 'a Group');
  if (v.name !== undefined) p.string(v.name, `${path}.name`);
  const ifis = checkIfis(p, v, path);
  if (ifis > 1) p.add(path, `a Group may have at most one identifier, found ${ifis}`);
  if (v.member === undefined) {
    if (ifis === 0) p.add(`${path}.member`, 'is required for an anonymous Group (one without identifier)');
    return;
  }
  if (!p.array(v.member, `${path}.member`)) return;
  if (ifis === 0 && v.member.length === 0) p.add(`${path}.member`, 'an anonymous Group needs at least one member');
  v.member.forEach((m, i) => {
    const at = `${path}.member[${i}]`;
    if (isObject(m) && m.objectType === 'Group') p.add(`${at}.objectType`, 'a Group member must be an Agent');
    else checkAgent(p, m, at);
  });
}

/** An actor: an Agent, or a Group when objectType says so. */
export function checkActor(p: Problems, v: unknown, path: string): void {
  if (isObject(v) && v.objectType === 'Group') checkGroup(p, v, path);
  else checkAgent(p, v, path);
}

/** A Group where only a Group is allowed (context.team, contextGroups). */
export function checkGroupOnly(p: Problems, v: unknown, path: string): void {
  if (!p.object(v, path, 'a Group')) return;
  if (v.objectType !== 'Group') p.add(`${path}.objectType`, 'must be "Group"');
  checkGroup(p, v, path);
}
