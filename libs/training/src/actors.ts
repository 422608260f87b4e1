import type { Actor } from '@ent-observatory/xapi';

/** The account homePage of the training space's learners in xAPI: their actor names no personal data (§8.1.3). */
export const TRAINING_ACTOR_HOME_PAGE = 'https://ent-observatory.fr/formation';

export function actorOfUser(userId: string): Actor {
  return { objectType: 'Agent', account: { homePage: TRAINING_ACTOR_HOME_PAGE, name: userId } };
}
