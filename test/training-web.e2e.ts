/// <reference lib="dom" />
import { fileURLToPath } from 'node:url';
import { UserRepository } from '@ent-observatory/store';
import { zipFolder } from '@ent-observatory/training';
import type { Browser, Page } from 'playwright-core';
import { artifactPath, launchBrowser, signInThroughForm } from './support/browser.js';
import { look } from './support/accessibility.js';
import { importPackage, statementsOf, verbsOf } from './support/cmi5.js';
import { type TestServer, startServer } from './support/server.js';
import { gql, signIn } from './support/session.js';

const PACKAGE_DIR = fileURLToPath(new URL('../apps/training/dist-package/', import.meta.url));
const TRAINER = { email: 'formatrice@web.test', password: 'formatrice-pass-1' };
const LEARNER = { email: 'enseignant@web.test', password: 'enseignant-pass-1' };

describe('the training space in a real browser', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const users = new UserRepository(server.store.db);
    await users.ensure({
      ...TRAINER,
      displayName: 'Claire Formatrice',
      roles: [{ role: 'trainer', scope: 'parcours-demo' }],
    });
    await users.ensure({ ...LEARNER, displayName: 'Paul Enseignant', roles: [{ role: 'learner', scope: '' }] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const newPage = async (who: { email: string; password: string }): Promise<Page> => {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
    });
    await page.goto(`${server.url}/formation/`);
    await signInThroughForm(page, who.email, who.password);
    await page.getByRole('heading', { level: 1, name: 'Espace de formation à distance' }).waitFor();
    return page;
  };

  it('a trainer builds a parcours, a learner completes it in the browser and downloads the attestation', async () => {
    const trainer = await newPage(TRAINER);
    await look(trainer, 'formation-accueil-formateur');
    await trainer.getByRole('link', { name: 'Mes parcours' }).first().click();
    await trainer.getByLabel('Titre du parcours').fill('Découvrir le cahier de textes');
    await trainer.getByRole('button', { name: 'Créer le parcours' }).click();
    await trainer.getByRole('heading', { level: 1, name: 'Découvrir le cahier de textes' }).waitFor();
    await trainer.getByLabel('Heures à distance').fill('1.5');
    await trainer.getByLabel('Public visé').fill('Enseignants');
    await trainer.getByLabel('Nouveau module').fill('Premiers pas');
    await trainer.getByRole('button', { name: 'Ajouter le module' }).click();
    await trainer.getByRole('heading', { name: 'Ajouter une activité' }).waitFor();

    await trainer.getByLabel('Titre de l’activité').fill('Ce que voient les familles');
    await trainer
      .getByLabel(/Texte de la page/)
      .fill('Le **cahier de textes** est lu par les familles.\n\n- le travail à faire\n- les documents joints');
    await trainer.getByRole('button', { name: 'Ajouter l’activité' }).click();
    await trainer.getByText('Activité « Ce que voient les familles » ajoutée.').waitFor();

    await trainer.getByLabel('Type d’activité').selectOption('quiz');
    await trainer.getByLabel('Titre de l’activité').fill('Vérifier ses acquis');
    await trainer.getByLabel('Score de réussite (%)').fill('100');
    await trainer.getByLabel('Énoncé de la question 1').fill('Qui lit le cahier de textes ?');
    await trainer.getByLabel('Choix de la question 1 (un par ligne)').fill('Les élèves et les familles\nPersonne');
    await trainer.getByLabel('Bonne(s) réponse(s) de la question 1').fill('1');
    await trainer.getByLabel('Commentaire si faux').fill('Les élèves et leurs familles le consultent.');
    await trainer.getByRole('button', { name: 'Ajouter l’activité' }).click();
    await trainer.getByText('Activité « Vérifier ses acquis » ajoutée.').waitFor();
    await trainer.getByRole('button', { name: 'Publier dans le catalogue' }).click();
    await trainer.getByRole('button', { name: 'Retirer du catalogue' }).waitFor();
    await look(trainer, 'formation-parcours-construction');

    await trainer.getByLabel('Nom de la session').fill('Session de décembre');
    await trainer.getByLabel('Début').fill('2026-12-01');
    await trainer.getByLabel('Fin').fill('2027-01-31');
    await trainer.getByRole('button', { name: 'Ouvrir la session' }).click();
    await trainer.getByRole('heading', { level: 1, name: 'Session de décembre' }).waitFor();
    await trainer
      .getByLabel('Liste CSV des apprenants')
      .fill(`email;nom;uai\n${LEARNER.email};Paul Enseignant;0350122T\nnina@web.test;Nina Nouvelle;\n`);
    await trainer.getByRole('button', { name: 'Inscrire' }).click();
    await trainer.getByText('2 apprenant(s) inscrit(s)').waitFor();
    await trainer.getByText('Comptes créés : nina@web.test').waitFor();
    const sessionUrl = trainer.url();

    // The learner takes it: the page, then the quiz (a wrong answer first), in the player's frame.
    const learner = await newPage(LEARNER);
    await learner.getByRole('link', { name: 'Mes formations' }).first().click();
    await learner.getByRole('link', { name: /Découvrir le cahier de textes/ }).click();
    await learner.getByRole('button', { name: 'Commencer' }).click();
    const frame = learner.frameLocator('iframe[title="Activité de formation"]');
    await frame.getByRole('heading', { name: 'Ce que voient les familles' }).waitFor();
    await look(learner, 'formation-activite-page');
    await frame.getByRole('button', { name: 'J’ai terminé cette page' }).click();
    await learner.getByRole('heading', { level: 1, name: 'Découvrir le cahier de textes' }).waitFor();
    await learner.getByRole('button', { name: 'Reprendre où je me suis arrêté' }).click();
    await frame.getByText('Qui lit le cahier de textes ?').waitFor();
    await frame.locator('label', { hasText: 'Personne' }).click(); // DSFR draws the radio on its label
    await frame.getByRole('button', { name: 'Valider mes réponses' }).click();
    await frame.getByText('Quiz non réussi').waitFor();
    await frame.getByText('Les élèves et leurs familles le consultent.').waitFor();
    await look(learner, 'formation-quiz-retour');
    await frame.getByRole('button', { name: 'Terminer et revenir à ma formation' }).click();
    await learner.getByRole('heading', { level: 1, name: 'Découvrir le cahier de textes' }).waitFor();
    await learner.getByRole('button', { name: 'Reprendre où je me suis arrêté' }).click();
    await frame.locator('label', { hasText: 'Les élèves et les familles' }).click();
    await frame.getByRole('button', { name: 'Valider mes réponses' }).click();
    await frame.getByText('Quiz réussi').waitFor();
    await frame.getByRole('button', { name: 'Terminer et revenir à ma formation' }).click();
    await learner.getByText(/Parcours terminé le/).waitFor();
    await learner.getByText(/Session de décembre · Du 1 déc\. 2026 au 31 janv\. 2027 · 1,5 h/).waitFor();
    await learner.getByRole('button', { name: 'Obtenir mon attestation' }).click();
    const link = learner.getByRole('link', { name: 'Télécharger l’attestation (PDF)' });
    await link.waitFor();
    await look(learner, 'formation-mes-formations-termine');
    const [download] = await Promise.all([learner.waitForEvent('download'), link.click()]);
    const pdfPath = artifactPath('attestation.pdf');
    await download.saveAs(pdfPath);
    const code = (await learner
      .locator('strong')
      .filter({ hasText: /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/ })
      .textContent())!;

    // Anyone checks it on the public page.
    const visitor = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });
    await visitor.goto(`${server.url}/formation/verifier/${code}`);
    await visitor.getByText('Attestation authentique').waitFor();
    await visitor.getByText(/Paul Enseignant.*a terminé le parcours « Découvrir le cahier de textes »/).waitFor();
    await look(visitor, 'formation-verification');

    // The trainer's grid shows it; the reminder goes to the one who has not started.
    await trainer.goto(sessionUrl);
    await trainer.getByRole('rowheader', { name: /Paul Enseignant/ }).waitFor();
    const paul = trainer.getByRole('row', { name: /Paul Enseignant/ });
    await paul.getByText('Réussi').waitFor();
    await trainer.getByRole('button', { name: 'Relancer les apprenants qui n’ont pas commencé' }).click();
    await trainer.getByRole('status').filter({ hasText: '1 relance ajoutée à la boîte d’envoi.' }).waitFor();
    await trainer.getByRole('cell', { name: 'nina@web.test' }).waitFor();
    await look(trainer, 'formation-session-grille');
    await Promise.all([trainer.close(), learner.close(), visitor.close()]);
  });

  it('an imported cmi5 package launches and completes with its real AU (written with @xapi/cmi5)', async () => {
    const courseId = await importPackage(server.url, await zipFolder(PACKAGE_DIR), 'application/zip');
    const admin = await signIn(server.url);
    const create = await gql<{ createTrainingSession: string }>(
      server.url,
      admin,
      'mutation($i: TrainingSessionInput!) { createTrainingSession(input: $i) }',
      { i: { courseId, name: 'Sécurité des comptes', selfEnrolment: true } },
    );
    const sessionId = create.data!.createTrainingSession;
    const enrolled = await gql(
      server.url,
      admin,
      'mutation($s: ID!, $e: [String!]!) { enrolLearners(sessionId: $s, emails: $e) { enrolled } }',
      {
        s: sessionId,
        e: [LEARNER.email],
      },
    );
    expect(enrolled.errors).toBeUndefined();

    const learner = await newPage(LEARNER);
    await learner.goto(`${server.url}/formation/mes-formations/${sessionId}`);
    await learner.getByRole('button', { name: 'Commencer' }).click();
    const au = learner.frameLocator('iframe[title="Activité de formation"]');
    await au.getByRole('heading', { name: 'Un mot de passe solide' }).waitFor();
    await look(learner, 'formation-module-cmi5');
    for (let i = 0; i < 3; i += 1) await au.getByRole('button', { name: /Écran suivant|Passer aux questions/ }).click();
    await au.getByLabel('12 caractères').check();
    await au.getByLabel('Je ne réponds pas et je le signale').check();
    await au.getByLabel('Non, un mot de passe par service').check();
    await au.getByRole('button', { name: 'Valider mes réponses' }).click();
    await learner.getByText(/Parcours terminé le/).waitFor({ timeout: 20_000 });

    const registration = (
      await server.store.query<{ registration: string }>(
        'SELECT registration FROM training_enrolments WHERE session_id = $1',
        [sessionId],
      )
    )[0]!.registration;
    const verbs = verbsOf(await statementsOf(server.url, registration));
    expect(verbs).toEqual(
      expect.arrayContaining([
        'launched',
        'initialized',
        'progressed',
        'answered',
        'completed',
        'passed',
        'satisfied',
        'terminated',
      ]),
    );
    expect(verbs.indexOf('satisfied')).toBeGreaterThan(verbs.indexOf('passed'));
    await learner.close();
  });
});
