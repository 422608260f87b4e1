import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { navigate, useLocation } from '@ent-observatory/web';
import { useState } from 'react';

/** The period of a follow-up page, kept in the address (du, au) so that a page can be bookmarked and shared. */
export function PeriodForm({ from, to }: { from: string; to: string }) {
  const { path, query } = useLocation();
  const [du, setDu] = useState(from);
  const [au, setAu] = useState(to);
  const apply = () => {
    const q = new URLSearchParams(query);
    q.set('du', du);
    q.set('au', au);
    navigate(`${path}?${q.toString()}`);
  };
  return (
    <form
      className="fr-grid-row fr-grid-row--gutters fr-mb-2w suivi-no-print"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <div className="fr-col-6 fr-col-md-3">
        <Input label="Du" nativeInputProps={{ type: 'date', value: du, onChange: (e) => setDu(e.target.value) }} />
      </div>
      <div className="fr-col-6 fr-col-md-3">
        <Input label="Au" nativeInputProps={{ type: 'date', value: au, onChange: (e) => setAu(e.target.value) }} />
      </div>
      <div className="fr-col-12 fr-col-md-3 fr-mt-md-4w">
        <Button type="submit" priority="secondary">
          Changer la période
        </Button>
      </div>
    </form>
  );
}
