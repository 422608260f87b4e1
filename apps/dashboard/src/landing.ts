import type { SessionUser } from '@ent-observatory/web';

/** The training space: another application of the same site (apps/training), left with a full page load. */
export const TRAINING_HOME = '/formation/';

const has = (user: SessionUser, ...roles: string[]) => user.roles.some((g) => roles.includes(g.role));
const scopes = (user: SessionUser, role: string) => user.roles.filter((g) => g.role === role).map((g) => g.scope);

/**
 * Where a user lands after signing in: a page made for their role. The ministry opens the national overview, an
 * académie its own overview, a head of school their establishment, a teacher their class, a parent their child, a
 * pupil themself; trainers and learners, who have no page in the observatory, the training space (they
 * landed on « Page introuvable »).
 */
export function landingPath(user: SessionUser): string {
  if (has(user, 'admin', 'national')) return '/observatoire';
  const academie = scopes(user, 'academy')[0];
  if (academie) return `/observatoire?academie=${academie}`;
  const uai = scopes(user, 'establishment')[0];
  if (uai) return `/observatoire/etablissement?uai=${uai}`;
  // The follow-up: a teacher their class (« Ma classe »), a parent their child's page, a pupil their own, or the
  // follow-up's list when they have several.
  const classes = scopes(user, 'teacher');
  if (classes.length === 1) return `/suivi/classe?id=${encodeURIComponent(classes[0]!)}`;
  const pupils = [...scopes(user, 'parent'), ...scopes(user, 'pupil')];
  if (pupils.length === 1) return `/suivi/eleve?id=${encodeURIComponent(pupils[0]!)}`;
  if (classes.length > 0 || pupils.length > 0) return '/suivi';
  return TRAINING_HOME;
}

/** Whether a landing path is in the other application (a full page load, not the dashboard's router). */
export const isOtherApp = (path: string): boolean => path.startsWith(TRAINING_HOME);
