import { describe, expect, it } from '@jest/globals';
import type { SessionUser } from '@ent-observatory/web';
import { renderToString } from 'react-dom/server';
import { SignInPage } from '../../../libs/web/src/SignInPage';
import { SessionProvider } from '../../../libs/web/src/session';
import { TRAINING_HOME, isOtherApp, landingPath } from './landing';

const user = (role: string, scope = ''): SessionUser => ({
  id: role,
  email: `${role}@demo.ent-observatoire.fr`,
  displayName: role,
  roles: [{ role, scope } as SessionUser['roles'][number]],
});

describe('where each demo account lands after signing in', () => {
  it('sends every role to a page made for it, trainers and learners to the training space', () => {
    expect(landingPath(user('admin'))).toBe('/observatoire');
    expect(landingPath(user('national'))).toBe('/observatoire');
    expect(landingPath(user('academy', '14'))).toBe('/observatoire?academie=14');
    expect(landingPath(user('establishment', '0352167R'))).toBe('/observatoire/etablissement?uai=0352167R');
    expect(landingPath(user('teacher', '0350122T:2025-2026:CM1-CM2 A'))).toBe(
      '/suivi/classe?id=0350122T%3A2025-2026%3ACM1-CM2%20A',
    );
    expect(landingPath(user('parent', 'p-1'))).toBe('/suivi/eleve?id=p-1');
    // They landed on « Page introuvable »: the dashboard has no page for them.
    for (const role of ['trainer', 'learner']) {
      const path = landingPath(user(role, role === 'trainer' ? 'decouverte-ent' : ''));
      expect(path).toBe(TRAINING_HOME);
      expect(isOtherApp(path)).toBe(true);
    }
  });
});

describe('the sign-in form', () => {
  it('does not announce an address format the accounts do not have', () => {
    const html = renderToString(
      <SessionProvider>
        <SignInPage serviceTitle="l’Observatoire des ENT" />
      </SessionProvider>,
    );
    expect(html).not.toContain('ac-academie.fr');
    expect(html).toContain('votre administrateur');
  });
});
