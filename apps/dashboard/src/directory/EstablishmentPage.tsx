import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Link, StatusPage, hasRole, useQuery, useUser } from '@ent-observatory/web';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatNumber } from '../format';
import { LINK_METHOD_LABELS, REP_LABELS, SECTOR_LABELS, TYPE_LABELS } from './labels';

interface Linked {
  uai: string;
  name: string;
  type: string | null;
  method: string;
}
interface Detail {
  uai: string;
  name: string;
  type: string;
  sector: string;
  rep: string;
  commune: string;
  address: string;
  postalCode: string;
  departementName: string;
  academieName: string;
  regionName: string;
  circonscription: string;
  bassin: string;
  pupils: number | null;
  pupilsYear: string | null;
  platformName: string | null;
  enrolments: { schoolYear: string; level: string; pupils: number }[];
  sectorColleges: Linked[];
  feederSchools: Linked[];
  classes: {
    id: string;
    name: string;
    level: string;
    schoolYear: string;
    kind: string;
    pupils: number;
    teachers: number;
  }[];
}

const QUERY = `query Establishment($uai: String!) {
  establishment(uai: $uai) {
    uai name type sector rep commune address postalCode departementName academieName regionName circonscription bassin
    pupils pupilsYear platformName
    enrolments { schoolYear level pupils }
    sectorColleges { uai name type method }
    feederSchools { uai name type method }
    classes { id name level schoolYear kind pupils teachers }
  }
}`;

/** DSFR "bleu France" (contrast 8.6:1 on white). */
const BAR_COLOUR = '#000091';

export default function EstablishmentPage({ uai }: { uai: string }) {
  const canObserve = hasRole(useUser(), 'admin', 'national', 'academy', 'establishment');
  const { state } = useQuery<{ establishment: Detail | null }>(QUERY, { uai });
  if (state.kind === 'loading') return <p aria-live="polite">Chargement de l’établissement…</p>;
  if (state.kind === 'error')
    return <StatusPage severity="error" title="Établissement inaccessible" description={state.message} />;
  const e = state.data.establishment;
  if (!e) {
    return (
      <StatusPage
        severity="warning"
        title="Établissement inconnu"
        description={`Aucun établissement n’a l’UAI ${uai} dans l’annuaire.`}
      />
    );
  }
  const latestYear = e.enrolments[0]?.schoolYear;
  const latest = e.enrolments.filter((x) => x.schoolYear === latestYear && x.level !== 'TOTAL');
  const total = e.enrolments.find((x) => x.schoolYear === latestYear && x.level === 'TOTAL')?.pupils;
  return (
    <>
      <p className="fr-text--sm fr-mb-1w">
        <Link href="/etablissements">Établissements</Link> › {e.academieName} › {e.departementName}
      </p>
      <h1>{e.name}</h1>
      <ul className="fr-badges-group fr-mb-3w">
        <li>
          <Badge severity="info">{TYPE_LABELS[e.type] ?? e.type}</Badge>
        </li>
        <li>
          <Badge>{SECTOR_LABELS[e.sector] ?? e.sector}</Badge>
        </li>
        {e.rep !== 'none' && (
          <li>
            <Badge severity="new">{REP_LABELS[e.rep] ?? e.rep}</Badge>
          </li>
        )}
      </ul>
      {canObserve && (
        <p>
          <Link
            href={`/observatoire/etablissement?uai=${e.uai}`}
            className="fr-link fr-icon-line-chart-line fr-link--icon-left"
          >
            Usage de l’ENT dans l’observatoire
          </Link>
        </p>
      )}
      <dl className="fr-grid-row fr-grid-row--gutters fr-mb-4w">
        <Fact label="UAI" value={e.uai} />
        <Fact label="Adresse" value={`${e.address}, ${e.postalCode} ${e.commune}`} />
        <Fact label="Territoire" value={`${e.departementName}, académie de ${e.academieName}, ${e.regionName}`} />
        <Fact label="ENT" value={e.platformName ?? 'Non renseigné'} />
        <Fact
          label={e.pupilsYear ? `Élèves (année scolaire ${e.pupilsYear.replace('-', '–')})` : 'Élèves (annuaire)'}
          value={e.pupils === null ? 'Non renseigné' : formatNumber(e.pupils)}
        />
        {e.circonscription && <Fact label="Circonscription" value={e.circonscription} />}
        {e.bassin && <Fact label="Bassin" value={e.bassin} />}
      </dl>

      {latest.length > 0 && (
        <figure className="fr-m-0 fr-mb-4w" aria-labelledby="enrolment-title">
          <h2 id="enrolment-title" className="fr-h4">
            Élèves par niveau, année scolaire {latestYear?.replace('-', '–')} (nombre
            {total ? `, ${formatNumber(total)} au total` : ''})
          </h2>
          <div style={{ width: '100%', height: 260 }} aria-hidden="true">
            <ResponsiveContainer>
              <BarChart accessibilityLayer={false} data={latest} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="level" />
                <YAxis allowDecimals={false} width={48} tickFormatter={formatNumber} />
                <Tooltip formatter={(v) => [formatNumber(Number(v)), 'élèves']} />
                <Bar dataKey="pupils" name="Élèves" fill={BAR_COLOUR} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <p className="fr-text--xs fr-mb-0">
            Dernières données ouvertes embarquées (data.education.gouv.fr, effectifs par établissement) : l’année
            scolaire {latestYear?.replace('-', '–')} est la plus récente qu’elles publient pour cet établissement.
          </p>
          <details className="fr-mt-2w">
            <summary>Voir les effectifs de toutes les années sous forme de tableau</summary>
            <EnrolmentTable enrolments={e.enrolments} />
          </details>
        </figure>
      )}

      {e.sectorColleges.length > 0 && (
        <LinkedList
          title="Collège de secteur"
          hint="Le collège public où vont les élèves de cette école (carte scolaire)."
          items={e.sectorColleges}
        />
      )}
      {e.feederSchools.length > 0 && (
        <LinkedList
          title={`Écoles de son secteur (${e.feederSchools.length})`}
          hint="Les écoles publiques dont les élèves viennent dans ce collège (carte scolaire)."
          items={e.feederSchools}
        />
      )}
      {e.classes.length > 0 && (
        <div className="fr-table">
          <table>
            <caption>Classes et groupes</caption>
            <thead>
              <tr>
                <th scope="col">Classe ou groupe</th>
                <th scope="col">Niveau</th>
                <th scope="col">Année</th>
                <th scope="col">Élèves</th>
                <th scope="col">Enseignants</th>
              </tr>
            </thead>
            <tbody>
              {e.classes.map((c) => (
                <tr key={c.id}>
                  <td>
                    {c.name} {c.kind === 'group' && '(groupe)'}
                  </td>
                  <td>{c.level}</td>
                  <td>{c.schoolYear}</td>
                  <td>{c.pupils}</td>
                  <td>{c.teachers}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div className="fr-col-12 fr-col-md-6">
      <dt className="fr-text--bold fr-mb-0">{label}</dt>
      <dd className="fr-ml-0">{value}</dd>
    </div>
  );
}

function LinkedList({ title, hint, items }: { title: string; hint: string; items: Linked[] }) {
  return (
    <section className="fr-mb-4w">
      <h2 className="fr-h4">{title}</h2>
      <p className="fr-text--sm">{hint}</p>
      <ul>
        {items.map((l) => (
          <li key={l.uai}>
            <Link href={`/etablissements/${l.uai}`}>{l.name}</Link> ({LINK_METHOD_LABELS[l.method] ?? l.method})
          </li>
        ))}
      </ul>
    </section>
  );
}

function EnrolmentTable({ enrolments }: { enrolments: Detail['enrolments'] }) {
  const years = [...new Set(enrolments.map((e) => e.schoolYear))];
  const levels = [...new Set(enrolments.map((e) => e.level))];
  const at = (y: string, l: string) => enrolments.find((e) => e.schoolYear === y && e.level === l)?.pupils;
  return (
    <div className="fr-table fr-table--sm">
      <table>
        <caption>Élèves par niveau et par année</caption>
        <thead>
          <tr>
            <th scope="col">Année</th>
            {levels.map((l) => (
              <th key={l} scope="col">
                {l === 'TOTAL' ? 'Total' : l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {years.map((y) => (
            <tr key={y}>
              <th scope="row">{y}</th>
              {levels.map((l) => (
                <td key={l}>{at(y, l) === undefined ? '—' : formatNumber(at(y, l)!)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
