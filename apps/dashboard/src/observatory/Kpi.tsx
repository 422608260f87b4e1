import type { ReactNode } from 'react';
import type { Kind } from './cells';
import { Measure } from './Measure';

/** A key figure: value (or "< k"), what it is, and an optional comparison line. */
export function Kpi(props: {
  label: string;
  value: number | string | null | undefined;
  kind: Kind;
  suppressed?: boolean;
  detail?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="fr-col-12 fr-col-sm-6 fr-col-lg-3">
      <div className="obs-kpi">
        <p className="obs-kpi__value" data-testid={props.testId}>
          <Measure value={props.value} kind={props.kind} suppressed={props.suppressed} />
        </p>
        <p className="obs-kpi__label">{props.label}</p>
        {props.detail && <p className="obs-kpi__detail">{props.detail}</p>}
      </div>
    </div>
  );
}
