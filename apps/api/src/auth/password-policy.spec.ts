import { passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it.each([
    ['            ', /at least 12|not only spaces/],
    ['aaaaaaaaaaaa', /too easy to guess \(it repeats characters\)/],
    ['password1234', /too easy to guess \(it is a common password/],
    ['azertyuiop12', /too easy to guess/],
    ['motdepasse2026', /too easy to guess/],
    ['short', /at least 12 characters/],
  ])('refuses %j', async (password, message) => {
    expect(await passwordProblem(password)).toMatch(message);
  });

  it("refuses a password made of the account's own name", async () => {
    expect(await passwordProblem('durand.camille2026', { email: 'camille.durand@ac-rennes.fr' })).toMatch(/too easy/);
  });

  it.each(['correct horse battery staple', 'Vélo-Nuage-Tartine-42', 'k7#Qm2!vR9pL'])('accepts %j', async (password) => {
    expect(await passwordProblem(password, { email: 'x@ac-rennes.fr', displayName: 'X' })).toBeUndefined();
  });
});
