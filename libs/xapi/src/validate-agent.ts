import { type Problem, Problems } from './problems.js';
import { checkAgent } from './validate-common.js';

/** An Agent given on its own, such as the `agent` parameter of the document and Agents resources. */
export function validateAgent(input: unknown, path = 'agent'): Problem[] {
  const p = new Problems();
  checkAgent(p, input, path);
  return p.list;
}
