import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { navigate } from '@ent-observatory/web';
import { useEffect, useState } from 'react';
import { frDate, frHours } from '../labels';

interface Attestation {
  code: string;
  learnerName: string;
  courseTitle: string;
  sessionName: string;
  hours: number;
  startedOn: string | null;
  completedOn: string;
  issuedAt: string;
}

type State = { kind: 'idle' } | { kind: 'checking' } | { kind: 'valid'; a: Attestation } | { kind: 'unknown' };

/** The public page that checks an attestation by its verification code (no sign-in needed). */
export default function VerifyPage({ code }: { code: string }) {
  const [input, setInput] = useState(code);
  // App keys this page by its code: a new code is a new page, starting in "checking".
  const [state, setState] = useState<State>(code ? { kind: 'checking' } : { kind: 'idle' });
  useEffect(() => {
    if (!code) return;
    fetch(`/formation/api/attestations/${encodeURIComponent(code)}`)
      .then(async (res) =>
        setState(res.ok ? { kind: 'valid', a: (await res.json()) as Attestation } : { kind: 'unknown' }),
      )
      .catch(() => setState({ kind: 'unknown' }));
  }, [code]);
  return (
    <>
      <h1>Vérifier une attestation de formation</h1>
      <form
        className="fr-mb-4w"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`/formation/verifier/${input.trim()}`);
        }}
      >
        <Input
          label="Code de vérification"
          hintText="Il figure en bas de l’attestation, par exemple ABCD-EFGH-JKLM."
          nativeInputProps={{ value: input, onChange: (e) => setInput(e.target.value) }}
        />
        <Button type="submit">Vérifier</Button>
      </form>
      {state.kind === 'checking' && <p aria-live="polite">Vérification…</p>}
      {state.kind === 'unknown' && (
        <Alert
          severity="error"
          title="Attestation inconnue"
          description={`Aucune attestation ne porte le code ${code}. Vérifiez la saisie.`}
        />
      )}
      {state.kind === 'valid' && (
        <Alert
          severity="success"
          title="Attestation authentique"
          description={
            <>
              <p>
                <strong>{state.a.learnerName}</strong> a terminé le parcours « {state.a.courseTitle} » (session «{' '}
                {state.a.sessionName} ») le {frDate(state.a.completedOn)}.
              </p>
              <p>
                Durée attestée : {frHours(state.a.hours)}. Attestation {state.a.code} délivrée le{' '}
                {frDate(state.a.issuedAt)}.
              </p>
            </>
          }
        />
      )}
    </>
  );
}
