import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Link, graphql, hasRole, useQuery, useUser } from '@ent-observatory/web';
import { useMemo, useState } from 'react';
import { ALERT_LABELS, csvOf, download, formatDate, formatDateTime, formatMark, subjectLabel } from './labels';
import { PeriodForm } from './PeriodForm';
import { SocleGrid, SocleLegend, Sparkline } from './Socle';
import './follow-up.css';

interface PupilRow {
  pupilId: string;
  displayName: string;
  lastActivityAt: string | null;
  visits: number;
  visitsPerWeek: { week: string; visits: number }[];
  homework: { assigned: number; done: number; late: number; missing: number; pending: number };
  scores: { subject: string; mean: number; count: number }[];
  socle: { component: string; level: number }[];
  alerts: { code: string; since: string; reason: string; acknowledged: boolean; note: string }[];
}
interface ClassData {
  classFollowUp: {
    class: { id: string; name: string; level: string; schoolYear: string; establishmentName: string };
    pupils: PupilRow[];
    workload: { day: string; subject: string; count: number; minutes: number }[];
  };
}

const QUERY = `query ClassFollowUp($classId: String!, $from: String!, $to: String!) {
  classFollowUp(classId: $classId, from: $from, to: $to) {
    class { id name level schoolYear establishmentName }
    pupils {
      pupilId displayName lastActivityAt visits visitsPerWeek { week visits }
      homework { assigned done late missing pending }
      scores { subject mean count }
      socle { component level }
      alerts { code since reason acknowledged note }
    }
    workload { day subject count minutes }
  }
}`;

const LSU_QUERY = `query Lsu($classId: String!, $from: String!, $to: String!) {
  classLsuExport(classId: $classId, from: $from, to: $to) { xml exported skipped { displayName } }
}`;

type SortKey = 'name' | 'last' | 'visits' | 'missing' | 'late' | 'mean' | 'alerts';
const mean = (p: PupilRow) => {
  const n = p.scores.reduce((a, s) => a + s.count, 0);
  return n === 0 ? null : p.scores.reduce((a, s) => a + s.mean * s.count, 0) / n;
};
const SORTS: Record<SortKey, (p: PupilRow) => string | number> = {
  name: (p) => p.displayName,
  last: (p) => p.lastActivityAt ?? '',
  visits: (p) => p.visits,
  missing: (p) => p.homework.missing,
  late: (p) => p.homework.late,
  mean: (p) => mean(p) ?? -1,
  alerts: (p) => p.alerts.filter((a) => !a.acknowledged).length,
};

/** « Ma classe »: the roster with each pupil's figures, sortable and filterable, and the class's workload. */
export default function ClassPage({ classId, from, to }: { classId: string; from: string; to: string }) {
  const { state } = useQuery<ClassData>(QUERY, { classId, from, to });
  const user = useUser();
  const [filter, setFilter] = useState('');
  const [alertsOnly, setAlertsOnly] = useState(false);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'name', desc: false });
  const [lsuNote, setLsuNote] = useState('');
  const rows = useMemo(() => {
    if (state.kind !== 'ready') return [];
    const f = filter.trim().toLowerCase();
    const list = state.data.classFollowUp.pupils.filter(
      (p) => (!f || p.displayName.toLowerCase().includes(f)) && (!alertsOnly || p.alerts.length > 0),
    );
    const by = SORTS[sort.key];
    return [...list].sort((a, b) => {
      const x = by(a);
      const y = by(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'fr');
      return sort.desc ? -c : c;
    });
  }, [state, filter, alertsOnly, sort]);
  if (state.kind === 'loading') return <p aria-live="polite">Chargement de la classe…</p>;
  if (state.kind === 'error') return <Alert severity="error" title="Classe inaccessible" description={state.message} />;
  const { class: cls, pupils, workload } = state.data.classFollowUp;
  const pupilHref = (id: string) => `/suivi/eleve?id=${encodeURIComponent(id)}&du=${from}&au=${to}`;
  const header = (key: SortKey, label: string) => (
    <th scope="col" aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" onClick={() => setSort({ key, desc: sort.key === key ? !sort.desc : key !== 'name' })}>
        {label}
      </button>
    </th>
  );
  const exportCsv = () =>
    download(
      `suivi-${cls.name.replace(/\s+/g, '-')}-${from}-${to}.csv`,
      csvOf(
        [
          'Élève',
          'Dernière activité',
          'Visites',
          'Devoirs donnés',
          'Rendus',
          'En retard',
          'Non rendus',
          'Moyenne /20',
          'Alertes',
        ],
        rows.map((p) => {
          const m = mean(p);
          return [
            p.displayName,
            p.lastActivityAt ? formatDateTime(p.lastActivityAt) : '',
            p.visits,
            p.homework.assigned,
            p.homework.done,
            p.homework.late,
            p.homework.missing,
            m === null ? null : Math.round(10 * m) / 10,
            p.alerts.map((a) => `${ALERT_LABELS[a.code]} : ${a.reason}`).join(' | '),
          ];
        }),
      ),
    );
  const exportLsu = () =>
    graphql<{ classLsuExport: { xml: string; exported: number; skipped: { displayName: string }[] } }>(LSU_QUERY, {
      classId,
      from,
      to,
    })
      .then(({ classLsuExport: x }) => {
        download(`lsu-socle-${cls.name.replace(/\s+/g, '-')}.xml`, x.xml, 'application/xml;charset=utf-8');
        setLsuNote(
          `${x.exported} bilan(s) exporté(s)${x.skipped.length ? ` ; non exportés (composantes non positionnées) : ${x.skipped.map((s) => s.displayName).join(', ')}` : ''}.`,
        );
      })
      .catch((e: Error) => setLsuNote(e.message));
  const withAlerts = pupils.filter((p) => p.alerts.some((a) => !a.acknowledged)).length;
  const teacher = hasRole(user, 'teacher');
  return (
    <>
      <p className="fr-text--sm fr-mb-1w suivi-no-print">
        <Link href="/suivi">Suivi des élèves</Link> › {cls.establishmentName}
      </p>
      <h1>
        Ma classe : {cls.name} <span className="fr-text--lg">({cls.schoolYear})</span>
      </h1>
      <p>
        {cls.establishmentName} — {pupils.length} élèves — du {formatDate(from)} au {formatDate(to)}.{' '}
        {withAlerts > 0 ? (
          <Badge severity="warning">{withAlerts} élève(s) à surveiller</Badge>
        ) : (
          <Badge severity="success">Aucune alerte en cours</Badge>
        )}
      </p>
      {teacher && (
        <p className="suivi-no-print">
          {/* The training space is another app: a plain link, not the dashboard's router. */}
          <a href={`/formation/devoirs?classe=${encodeURIComponent(cls.id)}`}>
            Donner à la classe une activité de l’espace de formation
          </a>
        </p>
      )}
      <PeriodForm from={from} to={to} />
      <div className="fr-grid-row fr-grid-row--gutters fr-mb-2w suivi-no-print">
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label="Filtrer par nom"
            nativeInputProps={{ value: filter, onChange: (e) => setFilter(e.target.value) }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4 fr-mt-md-4w">
          <div className="fr-checkbox-group">
            <input
              id="alertes-seules"
              type="checkbox"
              checked={alertsOnly}
              onChange={(e) => setAlertsOnly(e.target.checked)}
            />
            <label className="fr-label" htmlFor="alertes-seules">
              Seulement les élèves avec une alerte
            </label>
          </div>
        </div>
        <div className="fr-col-12 fr-col-md-4 fr-mt-md-4w">
          <Button priority="secondary" iconId="fr-icon-download-line" onClick={exportCsv}>
            Exporter en CSV
          </Button>{' '}
          <Button priority="tertiary" iconId="fr-icon-download-line" onClick={() => void exportLsu()}>
            Socle au format LSU
          </Button>
          {lsuNote && (
            <p className="fr-text--xs" role="status">
              {lsuNote}
            </p>
          )}
        </div>
      </div>
      <SocleLegend />
      <div className="fr-table fr-table--no-caption suivi-table" id="tableau-classe">
        <table>
          <caption>Élèves de la classe</caption>
          <thead>
            <tr>
              {header('name', 'Élève')}
              {header('last', 'Dernière activité')}
              {header('visits', 'Visites / semaine')}
              <th scope="col">Devoirs rendus</th>
              {header('late', 'En retard')}
              {header('missing', 'Non rendus')}
              {header('mean', 'Moyennes par matière')}
              <th scope="col">Socle commun</th>
              {header('alerts', 'Alertes')}
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.pupilId}>
                <th scope="row">
                  <Link href={pupilHref(p.pupilId)}>{p.displayName}</Link>
                </th>
                <td>{p.lastActivityAt ? formatDateTime(p.lastActivityAt) : 'aucune'}</td>
                <td>
                  <Sparkline weeks={p.visitsPerWeek} /> {p.visits}
                </td>
                <td>
                  {p.homework.done + p.homework.late} / {p.homework.assigned - p.homework.pending}
                </td>
                <td>{p.homework.late}</td>
                <td>{p.homework.missing}</td>
                <td>
                  {p.scores.length === 0
                    ? '—'
                    : p.scores.map((s) => `${subjectLabel(s.subject)} ${formatMark(s.mean)}`).join(' · ')}
                </td>
                <td>
                  <SocleGrid socle={p.socle} />
                </td>
                <td>
                  {p.alerts.length === 0 ? (
                    '—'
                  ) : (
                    <ul className="suivi-alert-list">
                      {p.alerts.map((a) => (
                        <li key={a.code} title={a.reason}>
                          <Badge severity={a.acknowledged ? 'info' : 'warning'} small>
                            {ALERT_LABELS[a.code] ?? a.code}
                          </Badge>{' '}
                          <span className="fr-text--xs">depuis le {formatDate(a.since)}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Workload workload={workload} />
    </>
  );
}

/** « Charge de travail »: homework due per day and subject; the heavy evenings stand out. */
function Workload({ workload }: { workload: ClassData['classFollowUp']['workload'] }) {
  const days = [...new Set(workload.map((w) => w.day))];
  return (
    <section className="fr-mt-4w">
      <h2>Charge de travail</h2>
      <p className="fr-text--sm">
        Devoirs à rendre par jour et par matière, avec le temps prévu. Les jours où trois devoirs ou plus tombent
        ensemble sont surlignés.
      </p>
      {days.length === 0 ? (
        <p>Aucun devoir à rendre sur la période.</p>
      ) : (
        <div className="fr-table fr-table--no-caption">
          <table>
            <caption>Charge de travail</caption>
            <thead>
              <tr>
                <th scope="col">Jour</th>
                <th scope="col">Devoirs</th>
                <th scope="col">Matières</th>
                <th scope="col">Temps prévu</th>
              </tr>
            </thead>
            <tbody>
              {days.map((day) => {
                const ws = workload.filter((w) => w.day === day);
                const n = ws.reduce((a, w) => a + w.count, 0);
                const minutes = ws.reduce((a, w) => a + w.minutes, 0);
                return (
                  <tr key={day} className={n >= 3 ? 'suivi-heavy' : undefined}>
                    <td>{formatDate(day)}</td>
                    <td>{n}</td>
                    <td>
                      {ws.map((w) => `${subjectLabel(w.subject)}${w.count > 1 ? ` ×${w.count}` : ''}`).join(', ')}
                    </td>
                    <td>{minutes > 0 ? `${minutes} min` : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
