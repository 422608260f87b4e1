import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Link, useQuery } from '@ent-observatory/web';
import { formatNumber } from '../format';

interface Counts {
  code: string;
  name: string;
  establishments: number;
  pupils: number;
  byType: { type: string; establishments: number }[];
}
interface Region extends Counts {
  academies: (Counts & { departements: Counts[] })[];
}

const QUERY = `{ territories {
  code name establishments pupils byType { type establishments }
  academies { code name establishments pupils byType { type establishments }
    departements { code name establishments pupils byType { type establishments } } } } }`;

const PRIMARY = new Set(['ecole_maternelle', 'ecole_elementaire', 'ecole_primaire']);
const SECONDARY = new Set(['lycee', 'lp', 'erea']);

const sumOf = (c: Counts, types: Set<string>) =>
  c.byType.filter((t) => types.has(t.type)).reduce((n, t) => n + t.establishments, 0);

/** The territories of the user's scope, as one table from région down to département. */
export default function TerritoriesPage() {
  const { state } = useQuery<{ territories: Region[] }>(QUERY);
  return (
    <>
      <h1>Territoires</h1>
      <p className="fr-text--lead">
        Établissements et élèves de votre périmètre, par région académique, académie et département.
      </p>
      {state.kind === 'loading' && <p aria-live="polite">Chargement…</p>}
      {state.kind === 'error' && (
        <Alert severity="error" title="Territoires indisponibles" description={state.message} />
      )}
      {state.kind === 'ready' && state.data.territories.length === 0 && (
        <Alert severity="info" title="Aucun territoire" description="L’annuaire n’a pas encore été importé." />
      )}
      {state.kind === 'ready' && state.data.territories.length > 0 && (
        <div className="fr-table">
          <table>
            <caption>Établissements et élèves par territoire</caption>
            <thead>
              <tr>
                <th scope="col">Territoire</th>
                <th scope="col">Établissements</th>
                <th scope="col">Écoles</th>
                <th scope="col">Collèges</th>
                <th scope="col">Lycées, LP, EREA</th>
                <th scope="col">Élèves</th>
              </tr>
            </thead>
            <tbody>
              {state.data.territories.flatMap((r) => [
                <Row key={`r${r.code}`} c={r} label={`Région ${r.name}`} level={0} />,
                ...r.academies.flatMap((a) => [
                  <Row key={`a${a.code}`} c={a} label={`Académie de ${a.name}`} level={1} />,
                  ...a.departements.map((d) => (
                    <Row
                      key={`d${d.code}`}
                      c={d}
                      label={`${d.name} (${d.code})`}
                      level={2}
                      href={`/etablissements?departement=${d.code}`}
                    />
                  )),
                ]),
              ])}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Row({ c, label, level, href }: { c: Counts; label: string; level: number; href?: string }) {
  return (
    <tr>
      <th scope="row" style={{ paddingLeft: `${1 + level * 1.5}rem`, fontWeight: level < 2 ? 700 : 400 }}>
        {href ? <Link href={href}>{label}</Link> : label}
      </th>
      <td>{formatNumber(c.establishments)}</td>
      <td>{formatNumber(sumOf(c, PRIMARY))}</td>
      <td>{formatNumber(sumOf(c, new Set(['college'])))}</td>
      <td>{formatNumber(sumOf(c, SECONDARY))}</td>
      <td>{formatNumber(c.pupils)}</td>
    </tr>
  );
}
