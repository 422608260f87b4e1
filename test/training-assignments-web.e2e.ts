/// <reference lib="dom" />
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { look } from './support/accessibility.js';
import { artifactPath, launchBrowser, signInThroughForm } from './support/browser.js';
import { ACCOUNTS, CLASS, PUPILS, seedFollowUp } from './support/follow-up.js';
import { publishParcours } from './support/parcours.js';
import { type TestServer, startServer } from './support/server.js';

const SCREENSHOTS = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const QUIZ = {
  title: 'Quiz : comparer des fractions',
  kind: 'quiz',
  masteryScore: 0.5,
  questions: [
    {
      kind: 'single',
      prompt: 'Quelle fraction est la plus grande ?',
      choices: ['3/4', '1/4'],
      correct: [0],
      feedbackRight: 'Oui : trois quarts, c’est plus qu’un quart.',
    },
  ],
};
const PAGE = { title: 'Les fractions en images', kind: 'page', body: 'Une **fraction** partage une unité.' };

/** Screenshots for a person to look at (test-artifacts/) and for the README (docs/screenshots/), each state audited. */
async function shoot(page: Page, name: string): Promise<void> {
  await look(page, name);
  copyFileSync(artifactPath(`${name}.png`), `${SCREENSHOTS}${name}.png`);
}

describe('teachers → pupils in a real browser', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    await seedFollowUp(server);
    // PostgreSQL outlives a test server (server mode): assignments and the pupil account of an earlier run go.
    await server.store.query('DELETE FROM training_sessions WHERE class_id = $1', [CLASS]);
    await server.store.query(`DELETE FROM users WHERE email = 'chloe@devoirs.test'`);
    await publishParcours(server, 'Les fractions en 6e', [PAGE, QUIZ]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signedIn = async (path: string, who: { email: string; password: string }): Promise<Page> => {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 900 },
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
    });
    await page.goto(`${server.url}${path}`);
    await signInThroughForm(page, who.email, who.password);
    return page;
  };

  it('a teacher assigns an activity to a class, a pupil does it, the teacher sees the results', async () => {
    // The teacher gives the quiz to 6e A, due in a week.
    const teacher = await signedIn('/formation/', ACCOUNTS.teacher!);
    await teacher.getByRole('heading', { level: 1, name: 'Espace de formation à distance' }).waitFor();
    await teacher.getByRole('link', { name: 'Devoirs de mes classes' }).first().click();
    await teacher.getByRole('heading', { level: 1, name: 'Devoirs de mes classes' }).waitFor();
    await teacher.getByText('Aucun devoir donné à la classe 6e A').waitFor();
    await teacher.getByLabel('Parcours', { exact: true }).selectOption({ label: 'Les fractions en 6e' });
    await teacher.getByLabel(/^Activité/).selectOption({ label: `Module 1 — ${QUIZ.title} (Quiz)` });
    await teacher.getByLabel('Matière').selectOption({ label: 'Mathématiques' });
    await teacher.getByRole('button', { name: 'Donner à la classe' }).click();
    await teacher.getByText(`l’activité « ${QUIZ.title} » est donné à la classe 6e A`).waitFor();
    const table = teacher.locator('table', { hasText: 'Devoirs donnés à la classe 6e A' });
    // Devoir, Matière, À rendre le, Élèves inscrits, Commencé, Rendu, Score moyen, Suivi.
    const cells = () =>
      table
        .getByRole('row', { name: new RegExp(QUIZ.title) })
        .getByRole('cell')
        .allTextContents();
    await table.getByRole('row', { name: new RegExp(QUIZ.title) }).waitFor();
    const before = await cells();
    expect([before[1], before[4], before[5], before[6]]).toEqual([
      'Mathématiques',
      '0',
      expect.stringMatching(/^0 \/ \d+$/),
      '—',
    ]);
    await shoot(teacher, 'formation-devoirs-classe');

    // Hugo finds it « à faire », takes the quiz in the player's frame, and hands it in.
    const hugo = await signedIn('/formation/mes-formations', ACCOUNTS.pupil!);
    await hugo.getByRole('heading', { level: 2, name: 'À faire pour la classe' }).waitFor();
    await hugo.getByText(/Devoir donné par votre professeur · à rendre pour le/).waitFor();
    await shoot(hugo, 'formation-devoirs-eleve');
    await hugo.getByRole('link', { name: new RegExp(QUIZ.title) }).click();
    await hugo.getByRole('heading', { level: 1, name: QUIZ.title }).waitFor();
    await expect(hugo.getByRole('button', { name: /^Ouvrir/ }).count()).resolves.toBe(1);
    await hugo.getByRole('button', { name: 'Commencer' }).click();
    const frame = hugo.frameLocator('iframe[title="Activité de formation"]');
    await frame.getByText('Quelle fraction est la plus grande ?').waitFor();
    await frame.locator('label', { hasText: '3/4' }).click();
    await frame.getByRole('button', { name: 'Valider mes réponses' }).click();
    await frame.getByText('Quiz réussi').waitFor();
    await frame.getByRole('button', { name: 'Terminer et revenir à ma formation' }).click();
    await hugo.getByText(/Devoir rendu le/).waitFor();
    await server.settle();

    // The teacher's list counts it; the class follow-up shows Hugo's homework done and marked.
    await teacher.reload();
    await table.getByRole('row', { name: new RegExp(QUIZ.title) }).waitFor();
    const after = await cells();
    expect([after[4], after[5], after[6]]).toEqual(['1', expect.stringMatching(/^1 \/ \d+$/), '100 %']);
    await teacher.getByRole('link', { name: `Voir le suivi de « ${QUIZ.title} »` }).click();
    await teacher.getByRole('heading', { level: 1, name: /Ma classe : 6e A/ }).waitFor();
    const hugoRow = teacher.locator('#tableau-classe table').getByRole('row', { name: new RegExp(PUPILS.hugo.name) });
    await expect(hugoRow.textContent()).resolves.toMatch(/1 \/ 1.*Mathématiques 20/);
    await shoot(teacher, 'suivi-classe-devoir-formation');
    await hugoRow.getByRole('link', { name: PUPILS.hugo.name }).click();
    await teacher.getByRole('heading', { level: 1, name: `Fiche élève : ${PUPILS.hugo.name}` }).waitFor();
    const homework = teacher.locator('table', { hasText: QUIZ.title }).first();
    await expect(
      homework
        .getByRole('row', { name: new RegExp(QUIZ.title) })
        .first()
        .textContent(),
    ).resolves.toMatch(/Mathématiques.*Rendu.*20/);
    // The quiz's own statements are named as the training space's, not « autre ».
    const timeline = teacher.getByRole('list', { name: 'Activité de l’élève sur la période' });
    await expect(timeline.textContent()).resolves.toMatch(/Consultation : Espace de formation : /);
    await shoot(teacher, 'suivi-fiche-eleve-devoir-formation');
  });
});
