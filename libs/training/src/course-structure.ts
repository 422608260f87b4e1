import type { LaunchMethod, MoveOn } from './vocabulary.js';

/** A langstring list (§13.1): one text per language, whitespace trimmed. */
export interface LangString {
  lang: string;
  text: string;
}

export interface Objective {
  id: string;
  title: LangString[];
  description: LangString[];
}

/** Launch metadata of an AU (§13.1.4), whitespace trimmed, defaults applied. */
export interface AuNode {
  kind: 'au';
  /** The AU's id in the course structure (its publisher id). */
  publisherId: string;
  /** The activity id the LMS generated for it (§8.1.5): the object of every cmi5 defined statement. */
  lmsId: string;
  /** Position among the course's AUs in document order, from 0: the `auIndex` of the integration API. */
  index: number;
  title: LangString[];
  description: LangString[];
  objectives: string[];
  url: string;
  launchMethod: LaunchMethod;
  moveOn: MoveOn;
  masteryScore?: number | undefined;
  launchParameters?: string | undefined;
  entitlementKey?: string | undefined;
  activityType?: string | undefined;
  /** An activity written in the training space (page, quiz, dépôt), served as an AU by the training space. */
  native?: NativeActivity | undefined;
}

/** Rich text of native activities: a small Markdown (paragraphs, **bold**, *italic*, lists, links, ## titles). */
export type NativeActivity =
  | { kind: 'page'; body: string; videoUrl?: string | undefined; documentUrl?: string | undefined }
  | { kind: 'quiz'; intro: string; questions: QuizQuestion[] }
  | { kind: 'depot'; instructions: string };

export interface QuizQuestion {
  id: string;
  kind: 'single' | 'multiple' | 'truefalse' | 'short';
  prompt: string;
  /** Choices of single and multiple questions (true/false has its own two). */
  choices: string[];
  /** Indexes of the right choices; for true/false [0] = true, [1] = false. */
  correct: number[];
  /** Accepted answers of a short-answer question (compared without case, accents or surrounding spaces). */
  accepted: string[];
  feedbackRight: string;
  feedbackWrong: string;
}

export interface BlockNode {
  kind: 'block';
  publisherId: string;
  /** The block object of "satisfied" statements (§9.4): generated, never the publisher id. */
  lmsId: string;
  title: LangString[];
  description: LangString[];
  objectives: string[];
  children: CourseNode[];
}

export type CourseNode = AuNode | BlockNode;

export interface CourseStructure {
  course: { publisherId: string; lmsId: string; title: LangString[]; description: LangString[] };
  objectives: Objective[];
  children: CourseNode[];
}

/** Every AU in document order (their `index`). */
export function ausOf(structure: Pick<CourseStructure, 'children'>): AuNode[] {
  const out: AuNode[] = [];
  const walk = (nodes: CourseNode[]) => {
    for (const n of nodes) {
      if (n.kind === 'au') out.push(n);
      else walk(n.children);
    }
  };
  walk(structure.children);
  return out;
}

/**
 * The AU with this index. Indexes are document order for imported courses; a parcours built in the training space
 * numbers its activities in creation order, so that adding one never renumbers the others (registrations keep
 * their AUs by index).
 */
export function auAt(structure: Pick<CourseStructure, 'children'>, index: number): AuNode | undefined {
  return ausOf(structure).find((a) => a.index === index);
}

/** Every block in document order, each with its AUs at any depth. */
export function blocksOf(structure: Pick<CourseStructure, 'children'>): { block: BlockNode; auIndexes: number[] }[] {
  const out: { block: BlockNode; auIndexes: number[] }[] = [];
  const walk = (nodes: CourseNode[]) => {
    for (const n of nodes) {
      if (n.kind === 'block') {
        out.push({ block: n, auIndexes: ausOf(n).map((a) => a.index) });
        walk(n.children);
      }
    }
  };
  walk(structure.children);
  return out;
}

/** The blocks containing an AU, innermost first: the blocks whose satisfaction it can change. */
export function ancestorBlocks(structure: CourseStructure, auIndex: number): BlockNode[] {
  const path: BlockNode[] = [];
  const walk = (nodes: CourseNode[]): boolean => {
    for (const n of nodes) {
      if (n.kind === 'au' && n.index === auIndex) return true;
      if (n.kind === 'block') {
        path.push(n);
        if (walk(n.children)) return true;
        path.pop();
      }
    }
    return false;
  };
  walk(structure.children);
  return path.reverse();
}

/** The text of a langstring list in the preferred language (French first), else the first one. */
export function textOf(list: LangString[], preferred = 'fr'): string {
  const hit = list.find((l) => l.lang.toLowerCase().startsWith(preferred)) ?? list[0];
  return hit?.text ?? '';
}
