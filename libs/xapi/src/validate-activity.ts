import { type Json, Problems, isObject } from './problems.js';
import { checkExtensions, checkIri, checkIrl, checkLanguageMap } from './validate-common.js';

const ACTIVITY_KEYS = new Set(['objectType', 'id', 'definition']);
const DEFINITION_KEYS = new Set([
  'name',
  'description',
  'type',
  'moreInfo',
  'extensions',
  'interactionType',
  'correctResponsesPattern',
  'choices',
  'scale',
  'source',
  'target',
  'steps',
]);
const COMPONENT_KEYS = new Set(['id', 'description']);
const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const;

/** Which interaction component lists each interactionType may carry (Data 2.4.4.1, Interaction Components). */
const COMPONENTS_BY_INTERACTION: Record<string, readonly string[]> = {
  'true-false': [],
  choice: ['choices'],
  'fill-in': [],
  'long-fill-in': [],
  matching: ['source', 'target'],
  performance: ['steps'],
  sequencing: ['choices'],
  likert: ['scale'],
  numeric: [],
  other: [],
};

export function checkActivity(p: Problems, v: unknown, path: string): void {
  if (!p.object(v, path, 'an Activity')) return;
  p.onlyKnown(v, path, ACTIVITY_KEYS, 'an Activity');
  if (v.objectType !== undefined && v.objectType !== 'Activity') {
    p.add(`${path}.objectType`, `must be "Activity", got ${JSON.stringify(v.objectType)}`);
  }
  if (v.id === undefined) p.add(`${path}.id`, 'is required');
  else checkIri(p, v.id, `${path}.id`);
  if (v.definition !== undefined) checkDefinition(p, v.definition, `${path}.definition`);
}

function checkDefinition(p: Problems, v: unknown, path: string): void {
  if (!p.object(v, path, 'an Activity Definition')) return;
  p.onlyKnown(v, path, DEFINITION_KEYS, 'an Activity Definition');
  if (v.name !== undefined) checkLanguageMap(p, v.name, `${path}.name`);
  if (v.description !== undefined) checkLanguageMap(p, v.description, `${path}.description`);
  if (v.type !== undefined) checkIri(p, v.type, `${path}.type`);
  if (v.moreInfo !== undefined) checkIrl(p, v.moreInfo, `${path}.moreInfo`);
  if (v.extensions !== undefined) checkExtensions(p, v.extensions, `${path}.extensions`);
  checkInteraction(p, v, path);
}

function checkInteraction(p: Problems, v: Json, path: string): void {
  const type = v.interactionType;
  let allowed: readonly string[] = [];
  if (type !== undefined) {
    const known = typeof type === 'string' ? COMPONENTS_BY_INTERACTION[type] : undefined;
    if (known === undefined) {
      p.add(`${path}.interactionType`, `must be one of ${Object.keys(COMPONENTS_BY_INTERACTION).join(', ')}`);
    } else {
      allowed = known;
    }
  }
  if (v.correctResponsesPattern !== undefined) {
    const at = `${path}.correctResponsesPattern`;
    if (type === undefined) p.add(at, 'requires an interactionType');
    if (p.array(v.correctResponsesPattern, at)) v.correctResponsesPattern.forEach((r, i) => p.string(r, `${at}[${i}]`));
  }
  for (const list of COMPONENT_LISTS) {
    const components = v[list];
    if (components === undefined) continue;
    const at = `${path}.${list}`;
    if (type === undefined) p.add(at, 'requires an interactionType');
    // "other" interactions may describe themselves with any component list.
    else if (type !== 'other' && isKnown(type) && !allowed.includes(list)) {
      p.add(at, `is not allowed for interactionType "${type as string}"`);
    }
    if (p.array(components, at)) checkComponents(p, components, at);
  }
}

function isKnown(type: unknown): boolean {
  return typeof type === 'string' && type in COMPONENTS_BY_INTERACTION;
}

function checkComponents(p: Problems, list: unknown[], path: string): void {
  const seen = new Set<string>();
  list.forEach((c, i) => {
    const at = `${path}[${i}]`;
    if (!p.object(c, at, 'an interaction component')) return;
    p.onlyKnown(c, at, COMPONENT_KEYS, 'an interaction component');
    if (c.id === undefined) p.add(`${at}.id`, 'is required');
    else if (p.string(c.id, `${at}.id`)) {
      if (seen.has(c.id)) p.add(`${at}.id`, `"${c.id}" is used twice in ${path}`);
      seen.add(c.id);
    }
    if (c.description !== undefined) checkLanguageMap(p, c.description, `${at}.description`);
  });
}

/** contextActivities values: one Activity or an array of them (the LRS stores arrays, see normalise). */
export function checkActivityList(p: Problems, v: unknown, path: string): void {
  if (Array.isArray(v)) v.forEach((a, i) => checkActivity(p, a, `${path}[${i}]`));
  else if (isObject(v)) checkActivity(p, v, path);
  else p.add(path, 'must be an Activity or an array of Activities');
}
