import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { PasswordInput } from '@codegouvfr/react-dsfr/blocks/PasswordInput';
import { type FormEvent, useState } from 'react';
import { SignInError, useSession } from './session';

const ERROR_ID = 'erreur-connexion';

/** The sign-in form of both apps (DSFR "connexion" pattern), with errors that say what to do. */
export function SignInPage({ serviceTitle }: { serviceTitle: string }) {
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
    } catch (err) {
      setError(err instanceof SignInError ? err.message : 'La connexion a échoué. Réessayez plus tard.');
    } finally {
      setBusy(false);
    }
  };

  // The error concerns the pair of fields: both are marked invalid and described by it (RGAA 11.10).
  const invalid = error ? { 'aria-invalid': true, 'aria-describedby': ERROR_ID } : {};
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>Connexion à {serviceTitle}</h1>
        <p>Connectez-vous avec le compte que votre administrateur vous a remis.</p>
        {error && (
          <div id={ERROR_ID} role="alert">
            <Alert severity="error" title="Connexion impossible" description={error} className="fr-mb-3w" />
          </div>
        )}
        <form onSubmit={(e) => void submit(e)} aria-label="Se connecter" noValidate>
          <fieldset className="fr-fieldset">
            <legend className="fr-fieldset__legend">Vos identifiants</legend>
            <div className="fr-fieldset__element">
              <Input
                label="Adresse électronique"
                hintText="L’adresse électronique de votre compte, telle que votre administrateur vous l’a remise"
                nativeInputProps={{
                  type: 'email',
                  name: 'email',
                  autoComplete: 'username',
                  required: true,
                  ...invalid,
                  value: email,
                  onChange: (e) => setEmail(e.target.value),
                }}
              />
            </div>
            <div className="fr-fieldset__element">
              <PasswordInput
                label="Mot de passe"
                nativeInputProps={{
                  name: 'password',
                  autoComplete: 'current-password',
                  required: true,
                  ...invalid,
                  value: password,
                  onChange: (e) => setPassword(e.target.value),
                }}
              />
            </div>
          </fieldset>
          <Button type="submit" disabled={busy || !email || !password}>
            {busy ? 'Connexion…' : 'Se connecter'}
          </Button>
        </form>
      </div>
    </div>
  );
}
