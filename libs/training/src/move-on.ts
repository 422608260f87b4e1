import { type BlockNode, type CourseStructure, ausOf, blocksOf } from './course-structure.js';
import type { MoveOn } from './vocabulary.js';

/** What moveOn needs to know of one AU in one registration. */
export interface AuOutcome {
  completed: boolean;
  passed: boolean;
  waived: boolean;
}

/** Whether an AU meets its moveOn criterion (§13.1.4); a waived AU always does (§9.3.9). */
export function auSatisfied(moveOn: MoveOn, o: AuOutcome): boolean {
  if (o.waived) return true;
  switch (moveOn) {
    case 'NotApplicable':
      return true;
    case 'Passed':
      return o.passed;
    case 'Completed':
      return o.completed;
    case 'CompletedAndPassed':
      return o.completed && o.passed;
    case 'CompletedOrPassed':
      return o.completed || o.passed;
  }
}

export interface MoveOnResult {
  /** Blocks newly satisfied, innermost first (the order of their "satisfied" statements). */
  blocks: BlockNode[];
  /** Whether the course became satisfied now. */
  course: boolean;
}

/**
 * Which blocks and whether the course become satisfied given every AU's outcome (§9.3.9, §13.1.4 usage): a block
 * when all its AUs (at any depth) are satisfied, the course when all of them are. What was already satisfied in
 * this registration is not satisfied again ("SHOULD NOT issue multiple statements with Satisfied").
 */
export function evaluateMoveOn(
  structure: CourseStructure,
  outcomes: ReadonlyMap<number, AuOutcome>,
  already: { blocks: ReadonlySet<string>; course: boolean },
): MoveOnResult {
  const none: AuOutcome = { completed: false, passed: false, waived: false };
  const satisfied = new Set(
    ausOf(structure)
      .filter((au) => auSatisfied(au.moveOn, outcomes.get(au.index) ?? none))
      .map((au) => au.index),
  );
  const blocks = blocksOf(structure)
    .filter(({ block, auIndexes }) => !already.blocks.has(block.lmsId) && auIndexes.every((i) => satisfied.has(i)))
    .map(({ block }) => block)
    .reverse();
  const all = ausOf(structure).every((au) => satisfied.has(au.index));
  return { blocks, course: all && !already.course };
}
