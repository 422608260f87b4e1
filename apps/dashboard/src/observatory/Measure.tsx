import { createContext, useContext } from 'react';
import { type Kind, displayValue, secrecyNote } from './cells';

/** The k of k-anonymity the API applies (K_ANONYMITY), for the "< k" display. */
export const KContext = createContext(5);
export const useK = () => useContext(KContext);

/**
 * One value on screen. A suppressed value reads "< k" with its explanation as a tooltip and for screen readers —
 * never zero, which would be a false figure.
 */
export function Measure(props: { value: number | string | null | undefined; kind: Kind; suppressed?: boolean }) {
  const k = useK();
  if (props.suppressed) {
    return (
      <abbr title={secrecyNote(k)} className="obs-secret" data-suppressed="true">
        {displayValue(null, props.kind, true, k)}
        <span className="fr-sr-only"> ({secrecyNote(k)})</span>
      </abbr>
    );
  }
  return <>{displayValue(props.value, props.kind)}</>;
}

/** The footnote under a table or chart that contains at least one suppressed value. */
export function SecrecyFootnote() {
  const k = useK();
  return (
    <p className="fr-text--xs fr-mb-0 obs-footnote">
      « &lt; {k} » : {secrecyNote(k)} — la valeur n’est pas publiée pour protéger les personnes.
    </p>
  );
}
