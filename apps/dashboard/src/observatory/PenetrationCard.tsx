import { displayValue } from './cells';
import { ChartCard } from './ChartCard';
import type { Column } from './csv';
import type { Penetration } from './fragments';

interface Row {
  label: string;
  value: number | null;
  kind: 'count' | 'percent' | 'decimal';
  suppressed: boolean;
}

/** Active pupils and parents against the pupils enrolled in the directory (the figure DNMA cannot give). */
export function PenetrationCard({ penetration: p, title }: { penetration: Penetration; title?: string }) {
  const rows: Row[] = [
    {
      label: 'Établissements mesurés (activité reçue cette année scolaire)',
      value: p.measuredEstablishments,
      kind: 'count',
      suppressed: false,
    },
    {
      label: 'dont avec effectifs connus (base des taux)',
      value: p.ratedEstablishments,
      kind: 'count',
      suppressed: false,
    },
    {
      label: 'Élèves inscrits de ces établissements (effectifs les plus récents)',
      value: p.enrolledPupils,
      kind: 'count',
      suppressed: false,
    },
    { label: 'Élèves actifs sur la période', value: p.activePupils, kind: 'count', suppressed: p.suppressed },
    { label: 'Taux de pénétration élèves', value: p.pupilRate, kind: 'percent', suppressed: p.suppressed },
    { label: 'Parents actifs sur la période', value: p.activeParents, kind: 'count', suppressed: p.parentsSuppressed },
    {
      label: 'Parents actifs par élève inscrit',
      value: p.parentsPerPupil,
      kind: 'decimal',
      suppressed: p.parentsSuppressed,
    },
  ];
  const columns: Column<Row>[] = [
    { key: 'label', label: 'Indicateur', kind: 'text', value: (r) => r.label },
    {
      key: 'value',
      label: 'Valeur',
      kind: 'count',
      value: (r) =>
        r.value === null && r.kind !== 'count' && !r.suppressed && p.ratedEstablishments === 0
          ? 'effectifs non disponibles'
          : r.value === null || r.kind === 'count'
            ? r.value
            : displayValue(r.value, r.kind),
      suppressed: (r) => r.suppressed,
    },
  ];
  return (
    <ChartCard
      title={title ?? 'Pénétration : utilisateurs actifs rapportés aux élèves inscrits'}
      unit="nombre d’élèves, pourcentage des élèves inscrits"
      columns={columns}
      rows={rows}
      testId="penetration"
    />
  );
}
