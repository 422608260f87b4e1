import { Card } from '@codegouvfr/react-dsfr/Card';
import { type SessionUser, hasRole } from '@ent-observatory/web';

/** Where everyone lands on /formation: a learner's trainings, a trainer's sessions and parcours, the figures. */
export function HomePage({ user }: { user: SessionUser }) {
  const cards: { title: string; desc: string; href: string }[] = [];
  if (hasRole(user, 'admin', 'trainer')) {
    cards.push(
      {
        title: 'Suivi des sessions',
        desc: 'La grille de vos apprenants, les relances, les dispenses et les échanges de chaque session.',
        href: '/formation/sessions',
      },
      {
        title: 'Mes parcours',
        desc: 'Construire un parcours (pages, quiz, dépôts), importer un module cmi5, ouvrir une session.',
        href: '/formation/parcours',
      },
    );
  }
  if (hasRole(user, 'teacher')) {
    cards.push({
      title: 'Devoirs de mes classes',
      desc: 'Donner un parcours ou une activité à votre classe pour une date, voir qui l’a fait et les scores.',
      href: '/formation/devoirs',
    });
  }
  cards.push(
    {
      title: hasRole(user, 'pupil') ? 'Mes formations et devoirs' : 'Mes formations',
      desc: 'Reprendre là où vous vous êtes arrêté, voir vos résultats, télécharger vos attestations.',
      href: '/formation/mes-formations',
    },
    {
      title: 'Catalogue',
      desc: 'Les parcours ouverts : rechercher, filtrer, s’inscrire aux sessions en autoformation.',
      href: '/formation/catalogue',
    },
  );
  if (hasRole(user, 'admin', 'national', 'academy')) {
    cards.push({
      title: 'Indicateurs de formation',
      desc: 'Inscriptions, achèvements et heures par académie, public et parcours.',
      href: '/formation/indicateurs',
    });
  }
  return (
    <>
      <h1>Espace de formation à distance</h1>
      <p className="fr-text--lead">Bonjour {user.displayName}.</p>
      <div className="fr-grid-row fr-grid-row--gutters">
        {cards.map((c) => (
          <div key={c.href} className="fr-col-12 fr-col-md-6">
            <Card title={c.title} desc={c.desc} titleAs="h2" linkProps={{ href: c.href }} enlargeLink />
          </div>
        ))}
      </div>
    </>
  );
}
