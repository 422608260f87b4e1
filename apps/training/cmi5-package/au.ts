import Cmi5 from '@xapi/cmi5';

/**
 * A real cmi5 AU, written against a cmi5 AU library (@xapi/cmi5) as an outside publisher would: it knows nothing
 * of the training space but the launch parameters, the fetch URL and the LRS. Three lesson screens (a "progressed"
 * statement each), three questions (cmi5 allowed "answered" interactions), then "completed", "passed" or
 * "failed" against LMS.LaunchData's masteryScore, "terminated", and back to the returnURL.
 */
const SCREENS = [
  {
    title: 'Un mot de passe solide',
    text: 'Un bon mot de passe est long (12 caractères au moins), ne sert que pour l’ENT et ne contient ni votre nom ni votre date de naissance. Une phrase de passe de quatre mots au hasard est plus sûre et plus facile à retenir qu’un mot compliqué.',
  },
  {
    title: 'La double authentification',
    text: 'Quand l’ENT la propose, activez la double authentification : même si votre mot de passe est volé, un code reçu sur votre téléphone reste nécessaire pour entrer.',
  },
  {
    title: 'Reconnaître l’hameçonnage',
    text: 'L’administration ne vous demande jamais votre mot de passe par courriel. Méfiez-vous des messages urgents, des liens dont l’adresse ne correspond pas à celle de votre ENT, et signalez-les à votre établissement.',
  },
];

const QUESTIONS = [
  {
    id: 'longueur',
    prompt: 'Quelle longueur minimale recommander pour un mot de passe ?',
    choices: ['6 caractères', '8 caractères', '12 caractères'],
    correct: 2,
  },
  {
    id: 'courriel',
    prompt: 'Un courriel de « l’assistance ENT » vous demande votre mot de passe. Que faites-vous ?',
    choices: [
      'Je réponds vite pour ne pas perdre mon compte',
      'Je ne réponds pas et je le signale',
      'Je clique sur le lien pour vérifier',
    ],
    correct: 1,
  },
  {
    id: 'reutilisation',
    prompt: 'Peut-on utiliser le même mot de passe pour l’ENT et sa messagerie personnelle ?',
    choices: ['Oui, c’est plus simple', 'Non, un mot de passe par service'],
    correct: 1,
  },
];

const root = document.getElementById('au')!;
const status = (text: string) => {
  root.innerHTML = '';
  const p = document.createElement('p');
  p.id = 'etat';
  p.setAttribute('aria-live', 'polite');
  p.textContent = text;
  root.append(p);
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs: Record<string, string> = {}) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

async function main() {
  if (!Cmi5.isCmiAvailable) {
    status('Ce module doit être lancé depuis une plateforme de formation (cmi5).');
    return;
  }
  const cmi5 = Cmi5.instance;
  await cmi5.initialize();
  const data = cmi5.getLaunchData();
  const normal = data.launchMode === 'Normal';
  const mastery = data.masteryScore ?? 0.66;
  await showScreens(cmi5, normal);
  const score = await askQuestions(cmi5, normal);
  if (normal) {
    await cmi5.complete();
    if (score >= mastery) await cmi5.pass(score);
    else await cmi5.fail(score);
  }
  await cmi5.terminate();
  const passed = score >= mastery;
  status(
    passed
      ? `Module réussi : ${Math.round(score * 100)} % de bonnes réponses.`
      : `Module terminé : ${Math.round(score * 100)} % de bonnes réponses (réussite à ${Math.round(mastery * 100)} %). Vous pourrez le refaire.`,
  );
  if (data.returnURL) setTimeout(() => window.location.assign(data.returnURL!), 1500);
}

function showScreens(cmi5: Cmi5, normal: boolean): Promise<void> {
  return new Promise((resolve) => {
    let i = 0;
    const render = () => {
      const screen = SCREENS[i]!;
      root.innerHTML = '';
      root.append(
        el('p', `Écran ${i + 1} sur ${SCREENS.length}`, { class: 'progression' }),
        el('h1', screen.title),
        el('p', screen.text),
      );
      const next = el('button', i < SCREENS.length - 1 ? 'Écran suivant' : 'Passer aux questions', { type: 'button' });
      next.addEventListener('click', () => {
        next.setAttribute('disabled', '');
        const progress = Math.round(((i + 1) / (SCREENS.length + 1)) * 100);
        void (normal ? cmi5.progress(progress) : Promise.resolve()).then(() => {
          i += 1;
          if (i < SCREENS.length) render();
          else resolve();
        });
      });
      root.append(next);
    };
    render();
  });
}

function askQuestions(cmi5: Cmi5, normal: boolean): Promise<number> {
  return new Promise((resolve) => {
    root.innerHTML = '';
    const form = el('form');
    form.append(el('h1', 'Vérifiez vos acquis'));
    QUESTIONS.forEach((q, n) => {
      const fieldset = el('fieldset');
      fieldset.append(el('legend', `Question ${n + 1} : ${q.prompt}`));
      q.choices.forEach((choice, c) => {
        const id = `${q.id}-${c}`;
        const label = el('label', ` ${choice}`, { for: id });
        const input = el('input', undefined, { type: 'radio', name: q.id, id, value: String(c), required: '' });
        const line = el('div');
        line.append(input, label);
        fieldset.append(line);
      });
      form.append(fieldset);
    });
    form.append(el('button', 'Valider mes réponses', { type: 'submit' }));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const answers = QUESTIONS.map((q) => Number(new FormData(form).get(q.id)));
      const right = QUESTIONS.filter((q, n) => answers[n] === q.correct).length;
      const interactions = QUESTIONS.map((q, n) =>
        normal
          ? cmi5.interactionChoice('verification', q.id, [String(answers[n])], [String(q.correct)], undefined, {
              'fr-FR': q.prompt,
            })
          : Promise.resolve(),
      );
      void Promise.all(interactions).then(() => resolve(Math.round((right / QUESTIONS.length) * 10000) / 10000));
    });
    root.append(form);
  });
}

main().catch((e: Error) => status(`Le module n’a pas pu communiquer avec la plateforme : ${e.message}`));
