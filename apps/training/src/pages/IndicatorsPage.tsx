import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { SegmentedControl } from '@codegouvfr/react-dsfr/SegmentedControl';
import { useQuery } from '@ent-observatory/web';
import { useState } from 'react';

interface Cell {
  key: string;
  label: string;
  learners: number | null;
  completed: number | null;
  hours: number | null;
  suppressed: boolean;
}

const DIMENSIONS = { academie: 'Académie', audience: 'Public', parcours: 'Parcours' } as const;

const fmt = (n: number | null, suffix = '') => (n === null ? '< 5' : `${n.toLocaleString('fr-FR')}${suffix}`);

/** The observatory's training figures, for the ministry (all académies) and an académie (its own). */
export default function IndicatorsPage() {
  const [dimension, setDimension] = useState<keyof typeof DIMENSIONS>('academie');
  const { state } = useQuery<{ trainingIndicators: Cell[] }>(
    'query($d: String!) { trainingIndicators(dimension: $d) { key label learners completed hours suppressed } }',
    { d: dimension },
  );
  const segment = (d: keyof typeof DIMENSIONS) => ({
    label: DIMENSIONS[d],
    nativeInputProps: { checked: dimension === d, onChange: () => setDimension(d) },
  });
  return (
    <>
      <h1>Indicateurs de formation</h1>
      <p>
        Inscriptions, parcours terminés et heures de formation attestables. Aucun chiffre n’est publié sur moins de 5
        personnes (secret statistique).
      </p>
      <SegmentedControl
        legend="Répartition par"
        segments={[segment('academie'), segment('audience'), segment('parcours')]}
      />
      {state.kind === 'loading' && <p aria-live="polite">Chargement…</p>}
      {state.kind === 'error' && (
        <Alert severity="error" title="Indicateurs indisponibles" description={state.message} />
      )}
      {state.kind === 'ready' && (
        <div className="fr-table fr-mt-3w">
          <table>
            <caption>Formation à distance par {DIMENSIONS[dimension].toLowerCase()}</caption>
            <thead>
              <tr>
                <th scope="col">{DIMENSIONS[dimension]}</th>
                <th scope="col">Apprenants inscrits</th>
                <th scope="col">Parcours terminés</th>
                <th scope="col">Taux d’achèvement</th>
                <th scope="col">Heures de formation</th>
              </tr>
            </thead>
            <tbody>
              {state.data.trainingIndicators.map((c) => (
                <tr key={c.key}>
                  <td>{c.label}</td>
                  <td>{fmt(c.learners)}</td>
                  <td>{fmt(c.completed)}</td>
                  <td>
                    {c.learners && c.completed !== null
                      ? `${Math.round((c.completed / c.learners) * 100)} %`
                      : c.suppressed
                        ? 'secret statistique'
                        : '—'}
                  </td>
                  <td>{fmt(c.hours, ' h')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
