import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CourseMeta } from './course-repository.js';
import type { NewActivity } from './parcours.js';
import { zipOf } from './test-packages.js';

/**
 * « Prendre en main l'ENT »: the training space's own demo parcours, written for teachers in French. Each module
 * is a page and a quiz; the quizzes' answers are in the pages.
 */
export const DEMO_PARCOURS: CourseMeta = {
  title: "Prendre en main l'ENT",
  description:
    "Un parcours court pour utiliser l'espace numérique de travail au quotidien : le cahier de textes, la messagerie, le partage de documents avec les familles et les règles de protection des données.",
  objectives:
    "Renseigner le cahier de textes et donner du travail à faire ; écrire aux familles et aux collègues ; partager un document avec les parents ; appliquer les règles de base du RGPD dans l'ENT.",
  audience: 'Enseignants du premier et du second degré',
  hoursRemote: 3,
  hoursOnsite: 0,
  mode: 'autoformation',
  origin: 'national',
  originAcademie: '',
  published: true,
};

type Q = NonNullable<Extract<NewActivity['activity'], { kind: 'quiz' }>['questions']>[number];

const q = (kind: Q['kind'], prompt: string, opts: Partial<Q>): Q => ({
  id: '',
  kind,
  prompt,
  choices: [],
  correct: [],
  accepted: [],
  feedbackRight: '',
  feedbackWrong: '',
  ...opts,
});

export const DEMO_MODULES: { title: string; activities: NewActivity[] }[] = [
  {
    title: 'Le cahier de textes',
    activities: [
      {
        title: 'Renseigner le cahier de textes',
        activity: {
          kind: 'page',
          body: `## À quoi sert le cahier de textes numérique ?
Le cahier de textes de l'ENT est le **document de référence** de la classe : il retrace ce qui a été fait en séance et ce qui est à faire pour les séances suivantes. Les élèves et leurs familles le consultent depuis l'ENT, sur ordinateur comme sur téléphone.

## Les bons gestes
- Renseignez le **contenu de la séance** le jour même : les absents savent ce qu'ils ont manqué.
- Donnez le **travail à faire** avec une date d'échéance réaliste et une durée estimée.
- Joignez les documents utiles (énoncé, fiche) plutôt que de renvoyer vers une clé USB.
- Évitez d'ajouter du travail la veille pour le lendemain : les familles planifient la semaine.

Le cahier de textes est consultable par l'inspection : il fait foi de la progression de la classe.`,
          videoUrl: 'https://www.education.gouv.fr/les-espaces-numeriques-de-travail-ent-6433',
        },
      },
      {
        title: 'Quiz : le cahier de textes',
        masteryScore: 0.7,
        activity: {
          kind: 'quiz',
          intro: 'Trois questions pour vérifier vos acquis. Il faut deux bonnes réponses sur trois.',
          questions: [
            q('single', 'Quand renseigner le contenu de la séance ?', {
              choices: ['Le jour même', 'En fin de trimestre', "Seulement quand l'inspection est annoncée"],
              correct: [0],
              feedbackRight: 'Oui : les élèves absents savent ainsi ce qu’ils ont manqué.',
              feedbackWrong: 'Le jour même : le cahier de textes sert d’abord aux élèves et aux familles.',
            }),
            q('truefalse', 'Le travail à faire doit indiquer une date d’échéance.', {
              correct: [0],
              feedbackRight: 'Exact : les familles planifient la semaine avec.',
              feedbackWrong: 'Si : sans échéance, les familles ne peuvent pas organiser le travail.',
            }),
            q('multiple', 'Que peut-on joindre à un travail à faire ?', {
              choices: ['Un énoncé', 'Une fiche de révision', 'Les notes des autres élèves'],
              correct: [0, 1],
              feedbackRight: 'Bien vu : les documents de travail, jamais de données d’autres élèves.',
              feedbackWrong: 'Les documents de travail oui ; les notes des autres élèves, jamais.',
            }),
          ],
        },
      },
    ],
  },
  {
    title: 'La messagerie',
    activities: [
      {
        title: 'Écrire aux familles et aux collègues',
        activity: {
          kind: 'page',
          body: `## Une messagerie professionnelle
La messagerie de l'ENT relie les personnels, les élèves et les responsables légaux **au sein de l'établissement**. Elle remplace avantageusement les échanges par courriel personnel : les adresses ne circulent pas, les messages restent dans un cadre institutionnel.

## Écrire à une famille
- Adressez-vous aux **responsables légaux** de l'élève, tous ensemble quand l'information les concerne tous.
- Restez factuel et bienveillant ; proposez un rendez-vous pour les sujets délicats.
- Vous n'êtes pas tenu de répondre le soir ou le week-end : le **droit à la déconnexion** s'applique.

## Listes de diffusion
Utilisez les listes (la classe, l'équipe pédagogique) plutôt que de sélectionner les destinataires un par un.`,
        },
      },
      {
        title: 'Quiz : la messagerie',
        masteryScore: 0.7,
        activity: {
          kind: 'quiz',
          intro: 'Deux bonnes réponses sur trois pour valider.',
          questions: [
            q('single', 'À qui écrire pour informer d’une absence de travail répétée ?', {
              choices: [
                'Aux responsables légaux de l’élève',
                'À toute la classe',
                'À l’élève seulement, sur son courriel personnel',
              ],
              correct: [0],
              feedbackRight: 'Oui, aux responsables légaux, dans la messagerie de l’ENT.',
              feedbackWrong: 'Ce sont les responsables légaux qu’il faut informer.',
            }),
            q('truefalse', 'La messagerie de l’ENT impose de répondre le soir même.', {
              correct: [1],
              feedbackRight: 'Exact : le droit à la déconnexion s’applique.',
              feedbackWrong: 'Non : le droit à la déconnexion s’applique aussi dans l’ENT.',
            }),
            q('short', 'Comment s’appelle le droit de ne pas répondre hors temps de travail ? (droit à la …)', {
              accepted: ['déconnexion', 'deconnexion', 'la déconnexion'],
              feedbackRight: 'C’est bien le droit à la déconnexion.',
              feedbackWrong: 'Il s’agit du droit à la déconnexion.',
            }),
          ],
        },
      },
    ],
  },
  {
    title: 'Partager des documents avec les parents',
    activities: [
      {
        title: 'Partager sans perdre la main',
        activity: {
          kind: 'page',
          body: `## Les espaces de partage
L'ENT offre un **espace documentaire** par classe et par groupe. Déposez-y les documents destinés aux familles (règlement, sortie scolaire, progression) et réglez qui peut les lire : élèves, parents, ou les deux.

## Avant de partager
- Vérifiez que le document **ne contient pas de données personnelles** d'autres élèves (listes nominatives, photos, notes).
- Préférez le format PDF : il s'ouvre sur tous les appareils.
- Donnez un titre explicite et datez les versions.

## Après
Les statistiques de l'espace indiquent si les familles ont consulté le document ; relancez par la messagerie si besoin.`,
          documentUrl: 'https://www.education.gouv.fr/bo/',
        },
      },
      {
        title: 'Déposer un document type',
        activity: {
          kind: 'depot',
          instructions:
            'Déposez un document que vous partageriez avec les parents de votre classe (une fiche de présentation de l’année, par exemple), **sans donnée personnelle d’élève**. Votre formateur vous fera un retour dans la discussion de la session.',
        },
      },
    ],
  },
  {
    title: 'RGPD : les bases',
    activities: [
      {
        title: 'Les données personnelles dans l’ENT',
        activity: {
          kind: 'page',
          body: `## Ce que dit le RGPD
Le règlement général sur la protection des données s'applique à l'école : nom, photo, notes, absences, traces de connexion sont des **données personnelles**. L'établissement en est responsable ; chaque personnel doit en faire un usage **limité à sa mission**.

## Les réflexes
- Ne sortez pas de données de l'ENT vers des services non validés (réseaux sociaux, messageries grand public, sites de quiz qui demandent les noms des élèves).
- Une photo d'élève ne se publie qu'avec l'**autorisation** des responsables légaux.
- En cas de doute, demandez au **délégué à la protection des données** (DPD) de l'académie.

## Les traces d'usage
L'ENT enregistre des traces pour les statistiques. Dans l'observatoire, elles sont **pseudonymisées** et aucun chiffre n'est publié sur moins de cinq personnes.`,
        },
      },
      {
        title: 'Quiz : RGPD',
        masteryScore: 0.7,
        activity: {
          kind: 'quiz',
          intro: 'Le RGPD en trois questions.',
          questions: [
            q('multiple', 'Lesquelles sont des données personnelles ?', {
              choices: ['Les notes d’un élève', 'La photo de classe', 'Le programme de mathématiques de 6e'],
              correct: [0, 1],
              feedbackRight: 'Oui : notes et photos identifient des élèves.',
              feedbackWrong: 'Les notes et les photos sont des données personnelles ; le programme, non.',
            }),
            q('single', 'Qui conseiller en cas de doute sur un traitement de données ?', {
              choices: [
                'Le délégué à la protection des données (DPD)',
                'Un parent d’élève',
                'Personne, ce n’est pas nécessaire',
              ],
              correct: [0],
              feedbackRight: 'Oui, le DPD de l’académie.',
              feedbackWrong: 'C’est le rôle du délégué à la protection des données de l’académie.',
            }),
            q('truefalse', 'On peut publier la photo d’un élève sans autorisation si elle est réussie.', {
              correct: [1],
              feedbackRight: 'Exact : l’autorisation des responsables légaux est nécessaire.',
              feedbackWrong: 'Non : il faut l’autorisation des responsables légaux.',
            }),
          ],
        },
      },
    ],
  },
];

/** Zips a built package folder (apps/training/dist-package: cmi5.xml at its root) as an LMS receives it. */
export async function zipFolder(dir: string, zip64 = false): Promise<Buffer> {
  const files: Record<string, Buffer> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path).split('\\').join('/')] = readFileSync(path);
    }
  };
  walk(dir);
  return zipOf(files, zip64);
}
