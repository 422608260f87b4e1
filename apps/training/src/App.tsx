import { Card } from '@codegouvfr/react-dsfr/Card';
import { AppShell, SignInPage, useSession } from '@ent-observatory/web';

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
  const { state } = useSession();
  return (
    <AppShell
      serviceTitle="Formation à distance"
      serviceTagline="Se former avec l’ENT, où que l’on soit"
      homeHref="/formation/"
      otherApp={{ text: 'Observatoire des ENT', href: '/', iconId: 'fr-icon-line-chart-line' }}
      footerDescription="L’espace de formation à distance de l’observatoire des ENT."
    >
      {state.kind === 'loading' && <p aria-live="polite">Chargement…</p>}
      {state.kind === 'anonymous' && <SignInPage serviceTitle="l’espace de formation" />}
      {state.kind === 'signed-in' && <Home name={state.user.displayName} />}
    </AppShell>
  );
}

function Home({ name }: { name: string }) {
  return (
    <>
      <h1>Espace de formation à distance</h1>
      <p className="fr-text--lead">
        Bonjour {name}. Cet espace accueillera bientôt les parcours de formation des enseignants et des élèves. Chaque
        activité y sera enregistrée dans le LRS de l’observatoire (xAPI, cmi5) pour un suivi interactif.
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
    </>
  );
}
