import type { TestServer } from './server.js';
import { type Session, gql, signedInAs } from './session.js';

/** An activity of a parcours, as the ActivityInput of the GraphQL API takes it. */
export type ActivitySpec = Record<string, unknown> & { title: string; kind: string };

/**
 * A trainer builds and publishes a one-module parcours through the GraphQL API, as in the training space: what
 * the teachers' assignment tests give their classes.
 */
export async function publishParcours(
  server: TestServer,
  title: string,
  activities: ActivitySpec[],
): Promise<{ courseId: string; trainer: Session }> {
  const trainer = await signedInAs(server, {
    email: 'formatrice@devoirs.test',
    displayName: 'Claire Formatrice',
    password: 'trainer-pass-1',
    roles: [{ role: 'trainer', scope: 'autre' }],
  });
  const q = async <T>(query: string, variables: Record<string, unknown>) => {
    const r = await gql<T>(server.url, trainer, query, variables);
    if (r.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(r.errors)}`);
    return r.data as T;
  };
  const meta = { title, hoursRemote: 0.5, audience: 'Élèves de 6e' };
  const { createParcours: courseId } = await q<{ createParcours: string }>(
    'mutation($i: ParcoursInput!) { createParcours(input: $i) }',
    { i: meta },
  );
  const { addParcoursModule: moduleId } = await q<{ addParcoursModule: string }>(
    'mutation($c: ID!) { addParcoursModule(courseId: $c, title: "Module 1") }',
    { c: courseId },
  );
  for (const a of activities) {
    await q(
      'mutation($c: ID!, $m: ID!, $a: ActivityInput!) { addParcoursActivity(courseId: $c, moduleId: $m, input: $a) }',
      { c: courseId, m: moduleId, a },
    );
  }
  await q('mutation($c: ID!, $i: ParcoursInput!) { updateParcours(id: $c, input: $i) }', {
    c: courseId,
    i: { ...meta, published: true },
  });
  return { courseId, trainer };
}
