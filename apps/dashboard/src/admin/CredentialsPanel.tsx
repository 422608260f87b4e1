import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { graphql, useQuery } from '@ent-observatory/web';
import { type FormEvent, useState } from 'react';

interface Credential {
  key: string;
  label: string;
  scopes: string[];
  enabled: boolean;
}

const LIST = '{ lrsCredentials { key label scopes enabled } }';

const SCOPES: { scope: string; hint: string }[] = [
  { scope: 'statements/write', hint: 'envoyer des traces (plateforme ENT, contenu)' },
  { scope: 'statements/read', hint: 'lire toutes les traces' },
  { scope: 'statements/read/mine', hint: 'relire ses propres traces' },
  { scope: 'state', hint: 'états d’activité (reprise d’un contenu)' },
  { scope: 'profile', hint: 'profils d’activité et d’agent' },
  { scope: 'define', hint: 'définitions d’activités' },
  { scope: 'all/read', hint: 'tout lire' },
  { scope: 'all', hint: 'tout' },
];

/** LRS credentials: the secret is shown once, at creation; only its hash is kept. */
export function CredentialsPanel() {
  const { state, reload } = useQuery<{ lrsCredentials: Credential[] }>(LIST);
  const [label, setLabel] = useState('');
  const [scopes, setScopes] = useState<string[]>(['statements/write']);
  const [created, setCreated] = useState<{ key: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await graphql<{ createLrsCredential: { credential: { key: string }; secret: string } }>(
        'mutation($l: String!, $s: [String!]!) { createLrsCredential(label: $l, scopes: $s) { credential { key } secret } }',
        { l: label, s: scopes },
      );
      setCreated({ key: r.createLrsCredential.credential.key, secret: r.createLrsCredential.secret });
      setLabel('');
      reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const revoke = async (key: string) => {
    try {
      await graphql('mutation($k: String!) { revokeLrsCredential(key: $k) { key } }', { k: key });
      reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <>
      <h2>Identifiants LRS</h2>
      <p>
        Les plateformes ENT et les contenus s’authentifient auprès du LRS (/xapi) avec une clé et un secret (HTTP
        Basic).
      </p>
      {created && (
        <Alert
          severity="success"
          title="Identifiant créé : copiez le secret maintenant"
          description={
            <>
              Clé : <code data-testid="new-key">{created.key}</code>
              <br />
              Secret : <code data-testid="new-secret">{created.secret}</code>
              <br />
              Le secret ne sera plus jamais affiché : seule son empreinte est conservée.
            </>
          }
          className="fr-mb-3w"
          closable
          onClose={() => setCreated(null)}
        />
      )}
      {error && <Alert severity="error" title="L’opération a échoué" description={error} className="fr-mb-3w" />}
      {state.kind === 'loading' && <p aria-live="polite">Chargement…</p>}
      {state.kind === 'error' && (
        <Alert severity="error" title="Identifiants indisponibles" description={state.message} />
      )}
      {state.kind === 'ready' && (
        <div className="fr-table fr-table--no-caption">
          <table>
            <caption>Identifiants LRS</caption>
            <thead>
              <tr>
                <th scope="col">Clé</th>
                <th scope="col">Utilisé par</th>
                <th scope="col">Droits</th>
                <th scope="col">État</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {state.data.lrsCredentials.map((c) => (
                <tr key={c.key}>
                  <td>
                    <code>{c.key}</code>
                  </td>
                  <td>{c.label}</td>
                  <td>{c.scopes.join(', ')}</td>
                  <td>
                    <Badge severity={c.enabled ? 'success' : 'error'} small>
                      {c.enabled ? 'Actif' : 'Révoqué'}
                    </Badge>
                  </td>
                  <td>
                    {c.enabled && (
                      <Button priority="secondary" size="small" onClick={() => void revoke(c.key)}>
                        Révoquer
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={(e) => void create(e)} aria-labelledby="new-credential-title">
        <h3 id="new-credential-title">Créer un identifiant</h3>
        <Input
          label="Utilisé par"
          hintText="La plateforme ou le contenu qui s’en servira, ex. ENT Toutatice"
          nativeInputProps={{ value: label, required: true, onChange: (e) => setLabel(e.target.value) }}
        />
        <Checkbox
          legend="Droits"
          options={SCOPES.map(({ scope, hint }) => ({
            label: scope,
            hintText: hint,
            nativeInputProps: {
              value: scope,
              checked: scopes.includes(scope),
              onChange: (e) => setScopes((s) => (e.target.checked ? [...s, scope] : s.filter((x) => x !== scope))),
            },
          }))}
        />
        <Button type="submit" disabled={!label.trim() || scopes.length === 0}>
          Créer l’identifiant
        </Button>
      </form>
    </>
  );
}
