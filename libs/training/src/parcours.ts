import { randomUUID } from 'node:crypto';
import {
  type AuNode,
  type BlockNode,
  type CourseStructure,
  type NativeActivity,
  type QuizQuestion,
  auAt,
  ausOf,
} from './course-structure.js';
import { type Course, type CourseMeta, type CourseRepository, lmsIdsFor } from './course-repository.js';
import { TrainingErrorCode, TrainingException } from './training.exception.js';
import type { MoveOn } from './vocabulary.js';

/** The page of the training space that serves native activities as AUs: /formation/activite/<course>/<index>. */
export const NATIVE_AU_PATH = '/formation/activite/';

export interface NewActivity {
  title: string;
  description?: string;
  activity: NativeActivity;
  /** Quizzes: the scaled score that passes (0–1). */
  masteryScore?: number | undefined;
}

const fr = (text: string) => [{ lang: 'fr-FR', text }];

function invalid(message: string): TrainingException {
  return new TrainingException(TrainingErrorCode.InvalidInput, message);
}

/** Checks the catalogue description of a parcours; returns it trimmed. */
export function checkMeta(meta: CourseMeta): CourseMeta {
  const title = meta.title.trim();
  if (!title) throw invalid('le titre du parcours est obligatoire');
  for (const [name, v] of [
    ['hoursRemote', meta.hoursRemote],
    ['hoursOnsite', meta.hoursOnsite],
  ] as const) {
    if (!Number.isFinite(v) || v < 0 || v > 1000) throw invalid(`${name} must be a number of hours between 0 and 1000`);
  }
  if (meta.origin === 'academie' && !/^\d{2}$/.test(meta.originAcademie)) {
    throw invalid('an academic parcours names its académie (code, e.g. 14 for Rennes)');
  }
  return { ...meta, title, originAcademie: meta.origin === 'academie' ? meta.originAcademie : '' };
}

/**
 * Parcours written in the training space: modules (cmi5 blocks) of native activities (AUs served by the training
 * space itself), so that progress has one mechanism whatever the content.
 */
export class ParcoursBuilder {
  constructor(private readonly courses: CourseRepository) {}

  async create(meta: CourseMeta, createdBy: string | null, id: string = randomUUID()): Promise<string> {
    const checked = checkMeta(meta);
    const structure: CourseStructure = {
      course: {
        publisherId: `https://ent-observatory.fr/formation/parcours/${id}`,
        lmsId: lmsIdsFor(id).course,
        title: fr(checked.title),
        description: fr(checked.description),
      },
      objectives: [],
      children: [],
    };
    await this.courses.insert({
      id,
      kind: 'native',
      structure,
      xml: '',
      files: [],
      createdBy,
      ...checked,
      published: false,
    });
    return id;
  }

  async addModule(courseId: string, title: string): Promise<string> {
    const course = await this.native(courseId);
    if (!title.trim()) throw invalid('le titre du module est obligatoire');
    const key = `m${course.structure.children.length + 1}-${randomUUID().slice(0, 8)}`;
    const block: BlockNode = {
      kind: 'block',
      publisherId: `${course.structure.course.publisherId}/modules/${key}`,
      lmsId: lmsIdsFor(courseId).block(key),
      title: fr(title.trim()),
      description: fr(title.trim()),
      objectives: [],
      children: [],
    };
    await this.save(course, { ...course.structure, children: [...course.structure.children, block] });
    return key;
  }

  /** Appends an activity to a module; its index is the next free one (existing indexes never move). */
  async addActivity(courseId: string, moduleLmsId: string, input: NewActivity): Promise<number> {
    const course = await this.native(courseId);
    const block = course.structure.children.find((b): b is BlockNode => b.kind === 'block' && b.lmsId === moduleLmsId);
    if (!block)
      throw new TrainingException(TrainingErrorCode.NotFound, `no module ${moduleLmsId} in parcours ${courseId}`);
    const activity = checkActivity(input);
    const index = Math.max(-1, ...ausOf(course.structure).map((a) => a.index)) + 1;
    const au: AuNode = {
      kind: 'au',
      publisherId: `${course.structure.course.publisherId}/activites/${index}`,
      lmsId: lmsIdsFor(courseId).au(index),
      index,
      title: fr(input.title.trim()),
      description: fr((input.description ?? '').trim() || input.title.trim()),
      objectives: [],
      url: `${NATIVE_AU_PATH}${encodeURIComponent(courseId)}/${index}`,
      launchMethod: 'AnyWindow',
      moveOn: moveOnOf(activity),
      masteryScore: activity.kind === 'quiz' ? (input.masteryScore ?? 0.8) : undefined,
      native: activity,
    };
    if (au.masteryScore !== undefined && !(au.masteryScore >= 0 && au.masteryScore <= 1)) {
      throw invalid('le score de réussite est une proportion entre 0 et 1 (par exemple 0,8)');
    }
    const children = course.structure.children.map((n) =>
      n === block ? { ...block, children: [...block.children, au] } : n,
    );
    await this.save(course, { ...course.structure, children });
    return index;
  }

  async updateMeta(courseId: string, meta: CourseMeta): Promise<void> {
    const course = await this.existing(courseId);
    const checked = checkMeta(meta);
    if (checked.published && ausOf(course.structure).length === 0) {
      throw invalid('un parcours sans activité ne peut pas être publié : ajoutez au moins une activité');
    }
    const structure =
      course.kind === 'native'
        ? {
            ...course.structure,
            course: { ...course.structure.course, title: fr(checked.title), description: fr(checked.description) },
          }
        : undefined;
    await this.courses.update(courseId, checked, structure);
  }

  private async save(course: Course, structure: CourseStructure): Promise<void> {
    await this.courses.update(course.id, course, structure);
  }

  private async existing(courseId: string): Promise<Course> {
    const course = await this.courses.find(courseId);
    if (!course) throw new TrainingException(TrainingErrorCode.NotFound, `no parcours ${courseId}`);
    return course;
  }

  private async native(courseId: string): Promise<Course> {
    const course = await this.existing(courseId);
    if (course.kind !== 'native')
      throw invalid(`parcours ${courseId} was imported: its structure comes from its package`);
    return course;
  }
}

function moveOnOf(activity: NativeActivity): MoveOn {
  return activity.kind === 'quiz' ? 'Passed' : 'Completed';
}

function checkActivity(input: NewActivity): NativeActivity {
  if (!input.title.trim()) throw invalid("le titre de l'activité est obligatoire");
  const a = input.activity;
  switch (a.kind) {
    case 'page':
      if (!a.body.trim() && !a.videoUrl && !a.documentUrl)
        throw invalid('une page contient un texte, une vidéo ou un document');
      for (const url of [a.videoUrl, a.documentUrl]) {
        if (url && !/^https?:\/\/\S+$/.test(url)) throw invalid(`le lien « ${url} » doit commencer par https://`);
      }
      return a;
    case 'quiz':
      if (a.questions.length === 0) throw invalid('un quiz a au moins une question');
      return { ...a, questions: a.questions.map(checkQuestion) };
    case 'depot':
      if (!a.instructions.trim()) throw invalid('un dépôt explique ce qu’il faut déposer');
      return a;
  }
}

function checkQuestion(q: QuizQuestion, i: number): QuizQuestion {
  const n = i + 1;
  if (!q.prompt.trim()) throw invalid(`question ${n} : l'énoncé est obligatoire`);
  const id = q.id || `q${n}`;
  switch (q.kind) {
    case 'single':
    case 'multiple': {
      const choices = q.choices.map((c) => c.trim()).filter(Boolean);
      if (choices.length < 2) throw invalid(`question ${n} : au moins deux choix`);
      if (q.correct.length === 0 || q.correct.some((c) => c < 0 || c >= choices.length)) {
        throw invalid(`question ${n} : indiquez la ou les bonnes réponses`);
      }
      if (q.kind === 'single' && q.correct.length !== 1) throw invalid(`question ${n} : une seule bonne réponse`);
      return { ...q, id, choices };
    }
    case 'truefalse':
      if (q.correct.length !== 1 || (q.correct[0] !== 0 && q.correct[0] !== 1))
        throw invalid(`question ${n} : vrai ou faux ?`);
      return { ...q, id, choices: ['Vrai', 'Faux'] };
    case 'short':
      if (q.accepted.map((a) => a.trim()).filter(Boolean).length === 0)
        throw invalid(`question ${n} : au moins une réponse acceptée`);
      return { ...q, id, choices: [], accepted: q.accepted.map((a) => a.trim()).filter(Boolean) };
  }
}

/** A quiz as the learner sees it: no right answers, no feedback. */
export function quizForLearner(activity: Extract<NativeActivity, { kind: 'quiz' }>) {
  return {
    kind: 'quiz' as const,
    intro: activity.intro,
    questions: activity.questions.map((q) => ({ id: q.id, kind: q.kind, prompt: q.prompt, choices: q.choices })),
  };
}

const normalise = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .trim()
    .toLowerCase();

export interface QuizGrade {
  scaled: number;
  passed: boolean;
  questions: { id: string; correct: boolean; feedback: string }[];
}

/** Grades answers (choice indexes, or the text of a short answer) against a quiz and its mastery score. */
export function gradeQuiz(
  activity: Extract<NativeActivity, { kind: 'quiz' }>,
  masteryScore: number,
  answers: Record<string, number[] | string>,
): QuizGrade {
  const questions = activity.questions.map((q) => {
    const given = answers[q.id];
    const correct =
      q.kind === 'short'
        ? typeof given === 'string' && q.accepted.some((a) => normalise(a) === normalise(given))
        : Array.isArray(given) &&
          given.length === q.correct.length &&
          [...given].sort().every((g, i) => g === [...q.correct].sort()[i]);
    return { id: q.id, correct, feedback: correct ? q.feedbackRight : q.feedbackWrong };
  });
  const scaled = Math.round((questions.filter((q) => q.correct).length / questions.length) * 10000) / 10000;
  return { scaled, passed: scaled >= masteryScore, questions };
}

export { auAt };
