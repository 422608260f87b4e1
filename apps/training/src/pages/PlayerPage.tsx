import { Button } from '@codegouvfr/react-dsfr/Button';
import { navigate, useLocation } from '@ent-observatory/web';

/**
 * The player: an AU whose launchMethod is AnyWindow runs framed here (cmi5 §8.1). When it ends it goes to its
 * return URL, a page of ours, which leaves the frame (App's useLeaveFrame).
 */
export default function PlayerPage() {
  const { query } = useLocation();
  const url = query.get('url') ?? '';
  const back = query.get('retour') ?? '/formation/mes-formations';
  const allowed = /^https?:\/\//.test(url);
  return (
    <>
      <div className="fr-grid-row fr-grid-row--middle fr-mb-2w">
        <h1 className="fr-h4 fr-mb-0 fr-col">Activité en cours</h1>
        <Button priority="secondary" size="small" iconId="fr-icon-arrow-left-line" onClick={() => navigate(back)}>
          Quitter l’activité
        </Button>
      </div>
      {allowed ? (
        <iframe
          title="Activité de formation"
          src={url}
          style={{ width: '100%', height: '75vh', border: '1px solid var(--border-default-grey)' }}
        />
      ) : (
        <p>Adresse d’activité invalide.</p>
      )}
    </>
  );
}
