import { Card } from '@codegouvfr/react-dsfr/Card';
import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { Header } from '@codegouvfr/react-dsfr/Header';

/** What the training space will offer; each card becomes a page as its issue lands. */
const SECTIONS = [
  {
    title: 'Parcours de formation',
    desc: 'Des modules courts, à suivre à son rythme, pour les enseignants et les élèves.',
  },
  { title: 'Quiz et exercices', desc: 'Des questionnaires corrigés immédiatement, pour vérifier ses acquis.' },
  { title: 'Cohortes et tutorat', desc: 'Se former ensemble, avec un tuteur qui suit la progression de chacun.' },
  { title: 'Attestations', desc: 'Les heures de formation suivies, attestées et téléchargeables.' },
];

export function App() {
  return (
    <>
      <Header
        brandTop={
          <>
            Ministère
            <br />
            de l’Éducation
            <br />
            nationale
          </>
        }
        serviceTitle="Formation à distance"
        serviceTagline="Se former avec l’ENT, où que l’on soit"
        homeLinkProps={{ href: '/formation/', title: 'Accueil – Formation à distance' }}
        quickAccessItems={[
          { iconId: 'fr-icon-line-chart-line', linkProps: { href: '/' }, text: 'Observatoire des ENT' },
        ]}
      />
      <main id="contenu" className="fr-container fr-py-6w" tabIndex={-1}>
        <h1>Espace de formation à distance</h1>
        <p className="fr-text--lead">
          Cet espace accueillera bientôt les parcours de formation des enseignants et des élèves. Chaque activité y sera
          enregistrée dans le LRS de l’observatoire (xAPI, cmi5) pour un suivi interactif.
        </p>
        <div className="fr-grid-row fr-grid-row--gutters">
          {SECTIONS.map((s) => (
            <div key={s.title} className="fr-col-12 fr-col-md-6">
              <Card
                title={s.title}
                desc={s.desc}
                titleAs="h2"
                start={
                  <ul className="fr-badges-group">
                    <li>
                      <p className="fr-badge fr-badge--new">Bientôt</p>
                    </li>
                  </ul>
                }
              />
            </div>
          ))}
        </div>
      </main>
      <Footer
        accessibility="non compliant"
        contentDescription="L’espace de formation à distance de l’observatoire des ENT."
      />
    </>
  );
}
