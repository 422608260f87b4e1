import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { Header } from '@codegouvfr/react-dsfr/Header';
import { StatementActivityView } from './StatementActivityView';

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
        serviceTitle="Observatoire des ENT"
        serviceTagline="Usages des espaces numériques de travail"
        homeLinkProps={{ href: '/', title: 'Accueil – Observatoire des ENT' }}
        quickAccessItems={[
          { iconId: 'fr-icon-book-2-line', linkProps: { href: '/formation/' }, text: 'Espace de formation' },
        ]}
      />
      <main id="contenu" className="fr-container fr-py-6w" tabIndex={-1}>
        <StatementActivityView />
      </main>
      <Footer
        accessibility="non compliant"
        contentDescription="L’observatoire mesure l’usage des ENT à partir des traces xAPI que les plateformes lui envoient. Les données des élèves sont pseudonymisées."
      />
    </>
  );
}
