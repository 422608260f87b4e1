import type { Population, SimEstablishment } from './population.js';
import { type PlatformInfo, accountName } from './statements.js';

/**
 * The rosters of the simulated classes at the end of the simulation, in the directory's roster format with the
 * follow-up columns (libs/directory roster.ts): `nom` (a made-up name: the simulator knows no real pupil),
 * `personne` (the `person` id its statements carry, from which the follow-up computes the pupil's pseudonym) and
 * `compte` (`<homePage>|<account>` on the platform). Teachers are listed without name or identity.
 */
export function rosterCsv(population: Population, platformOf: (e: SimEstablishment) => PlatformInfo): string {
  const lines = ['uai;classe;niveau;annee_scolaire;membre;role;type;nom;personne;compte'];
  const year = population.schoolYear;
  for (const e of population.establishments) {
    const platform = platformOf(e);
    const home = platform.homepage;
    for (const cls of e.classes) {
      const name = cls.id.slice(cls.id.lastIndexOf(':') + 1);
      const head = `${e.facts.uai};${name};${cls.level};${year}`;
      for (const t of new Set(cls.teachers)) lines.push(`${head};ens-${t.personId};enseignant;classe;;;`);
      for (const p of cls.pupils) {
        lines.push(
          `${head};el-${p.personId};eleve;classe;${displayName(p.n)};${p.personId};${home}|${accountName(p, platform)}`,
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The pupils the simulation made drift away, and the day (YYYY-MM-DD): the ground truth the alert benchmark
 * compares the follow-up's alerts with (bench/follow-up-alerts.mjs).
 */
export function driftCsv(population: Population): string {
  const lines = ['personne;uai;classe;decrochage'];
  for (const e of population.establishments) {
    for (const p of e.pupils) {
      if (p.driftDay < 0 || !p.cls) continue;
      lines.push(
        `${p.personId};${e.facts.uai};${p.cls.id};${new Date(p.driftDay * 86_400_000).toISOString().slice(0, 10)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const FIRST_NAMES = [
  'Léa',
  'Hugo',
  'Chloé',
  'Louis',
  'Emma',
  'Gabriel',
  'Jade',
  'Raphaël',
  'Louise',
  'Arthur',
  'Alice',
  'Jules',
  'Lina',
  'Adam',
  'Mila',
  'Lucas',
  'Rose',
  'Nathan',
  'Anna',
  'Léo',
  'Inès',
  'Paul',
  'Ambre',
  'Maël',
  'Julia',
  'Sacha',
  'Zoé',
  'Noah',
  'Lou',
  'Tom',
  'Agathe',
  'Ethan',
  'Nina',
  'Aaron',
  'Iris',
  'Timéo',
  'Manon',
  'Yanis',
  'Camille',
  'Malo',
];
const LAST_NAMES = [
  'Martin',
  'Bernard',
  'Thomas',
  'Petit',
  'Robert',
  'Richard',
  'Durand',
  'Dubois',
  'Moreau',
  'Laurent',
  'Simon',
  'Michel',
  'Lefebvre',
  'Leroy',
  'Roux',
  'David',
  'Bertrand',
  'Morel',
  'Fournier',
  'Girard',
  'Bonnet',
  'Dupont',
  'Lambert',
  'Fontaine',
  'Rousseau',
  'Vincent',
  'Muller',
  'Lefèvre',
  'Faure',
  'André',
  'Mercier',
  'Blanc',
  'Guérin',
  'Boyer',
  'Garnier',
  'Chevalier',
  'François',
  'Legrand',
  'Gauthier',
  'Le Gall',
];

/** A made-up French name for person number n (deterministic). */
export function displayName(n: number): string {
  const h = Math.imul(n, 2654435761) >>> 0;
  return `${FIRST_NAMES[h % FIRST_NAMES.length]} ${LAST_NAMES[(h >>> 8) % LAST_NAMES.length]}`;
}
