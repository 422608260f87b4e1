/**
 * The accessibility statement (déclaration d'accessibilité) both apps publish, as RGAA 4.1 asks: the conformance
 * level, what is not accessible and why, when it was established, how to report a problem and the legal remedies.
 * docs/accessibility.md records what was checked, how and when; keep the two in step.
 */
export const ACCESSIBILITY_STATEMENT_DATE = '5 décembre 2026';
/** Where users report an accessibility problem; an operator deploying the product sets its own (docs/accessibility.md). */
export const ACCESSIBILITY_CONTACT = 'accessibilite@ent-observatoire.fr';

export function AccessibilityStatement() {
  return (
    <article className="fr-col-lg-9">
      <h1>Déclaration d’accessibilité</h1>
      <p>
        Le ministère de l’Éducation nationale s’engage à rendre ses services numériques accessibles, conformément à
        l’article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration s’applique à l’Observatoire des ENT et
        à l’espace de formation à distance.
      </p>

      <h2>État de conformité</h2>
      <p>
        L’Observatoire des ENT et l’espace de formation sont <strong>partiellement conformes</strong> avec le
        référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1, en raison des non-conformités et des
        dérogations énumérées ci-dessous.
      </p>

      <h2>Résultats des tests</h2>
      <p>
        Aucun audit complet des 106 critères du RGAA n’a encore été réalisé par un auditeur indépendant : le taux de
        conformité n’est donc pas publié. Les vérifications faites sont les suivantes.
      </p>
      <ul>
        <li>
          Un contrôle automatique (axe-core, règles WCAG 2.1 niveaux A et AA) de chaque page et de chaque état que les
          tests du produit parcourent dans un navigateur : vues de l’observatoire avec et sans données, carte, filtres,
          annuaire, administration, connexion, espace de formation. Il ne relève aucune non-conformité et il est rejoué
          à chaque modification du code.
        </li>
        <li>
          Des vérifications manuelles : navigation au clavier seul (focus visible, ordre logique, pas de piège, liens
          d’évitement), alternatives textuelles et tableaux des graphiques, carte utilisable sans souris, couleur jamais
          seule porteuse d’information, contrastes, zoom à 200 % et largeur de 320 pixels, langue et titres des pages,
          erreurs de formulaire reliées à leur champ.
        </li>
      </ul>

      <h2>Contenus non accessibles</h2>
      <h3>Non-conformités</h3>
      <ul>
        <li>
          Les attestations de formation au format PDF ne sont pas balisées (critère 13.3) : leur contenu (parcours,
          dates, heures, code de vérification) est aussi affiché sur la page de vérification, qui est accessible.
        </li>
        <li>
          Les graphiques sont masqués aux technologies d’assistance et doublés d’un tableau de données (« Voir le
          tableau ») et d’un export CSV ; les infobulles des graphiques ne sont pas atteignables au clavier.
        </li>
        <li>
          Les erreurs des formulaires d’administration et de l’espace de formation sont affichées dans un message près
          du formulaire, mais pas reliées au champ concerné (critère 11.10) ; celles de la connexion le sont.
        </li>
        <li>La compatibilité avec les lecteurs d’écran (NVDA, JAWS, VoiceOver) n’a pas encore été vérifiée.</li>
      </ul>
      <h3>Contenus non soumis à l’obligation d’accessibilité</h3>
      <ul>
        <li>
          Les modules de formation cmi5 importés et les vidéos ou documents liés par les formateurs : ils sont produits
          par des tiers, et leur accessibilité relève de leurs auteurs.
        </li>
      </ul>

      <h2>Établissement de cette déclaration</h2>
      <p>Cette déclaration a été établie le {ACCESSIBILITY_STATEMENT_DATE}.</p>
      <p>
        Technologies utilisées : HTML5, CSS, JavaScript (React), WAI-ARIA, Système de design de l’État (DSFR).
        Environnement de test : Chromium 156 sous Linux, au clavier, à 200 % de zoom et à 320 pixels de large ; outil :
        axe-core.
      </p>

      <h2>Retour d’information et contact</h2>
      <p>
        Si vous n’arrivez pas à accéder à un contenu ou à un service, écrivez-nous à{' '}
        <a href={`mailto:${ACCESSIBILITY_CONTACT}`}>{ACCESSIBILITY_CONTACT}</a> en indiquant la page et le problème
        rencontré : nous vous proposerons une alternative accessible ou l’information sous une autre forme.
      </p>

      <h2>Voies de recours</h2>
      <p>
        Si vous nous avez signalé un défaut d’accessibilité qui vous empêche d’accéder à un contenu ou à un service et
        que vous n’avez pas obtenu de réponse satisfaisante, vous pouvez saisir le Défenseur des droits :
      </p>
      <ul>
        <li>
          par le formulaire en ligne du site{' '}
          <a href="https://formulaire.defenseurdesdroits.fr/" rel="noopener">
            formulaire.defenseurdesdroits.fr
          </a>
          ;
        </li>
        <li>en contactant le délégué du Défenseur des droits dans votre région ;</li>
        <li>par téléphone au 09 69 39 00 00 ;</li>
        <li>
          par courrier (gratuit, sans affranchissement) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX
          07.
        </li>
      </ul>
    </article>
  );
}
