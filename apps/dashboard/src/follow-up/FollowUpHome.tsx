import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Link, hasRole, useQuery, useUser } from '@ent-observatory/web';
import { parisToday } from './labels';

export interface FollowUpHomeData {
  followUpHome: {
    classes: { id: string; name: string; level: string; schoolYear: string; establishmentName: string; kind: string }[];
    pupils: { pupilId: string; displayName: string }[];
    schoolYearStart: string;
  };
}

export const HOME_QUERY = `{ followUpHome { classes { id name level schoolYear establishmentName kind } pupils { pupilId displayName } schoolYearStart } }`;

/** The default period of a page: the current school year up to today. */
export function defaultPeriod(start: string): { from: string; to: string } {
  return { from: start, to: parisToday() };
}

/** « Suivi des élèves »: the classes a teacher or head of school follows, or a parent's children. */
export default function FollowUpHome() {
  const user = useUser();
  const { state } = useQuery<FollowUpHomeData>(HOME_QUERY);
  if (state.kind === 'loading') return <p aria-live="polite">Chargement…</p>;
  if (state.kind === 'error') return <Alert severity="error" title="Suivi inaccessible" description={state.message} />;
  const { classes, pupils, schoolYearStart } = state.data.followUpHome;
  const { from, to } = defaultPeriod(schoolYearStart);
  const parent = hasRole(user, 'parent');
  return (
    <>
      <h1>Suivi des élèves</h1>
      {classes.length > 0 && (
        <>
          <h2>{hasRole(user, 'establishment') ? 'Classes de l’établissement' : 'Mes classes'}</h2>
          <ul>
            {classes.map((c) => (
              <li key={c.id}>
                <Link href={`/suivi/classe?id=${encodeURIComponent(c.id)}&du=${from}&au=${to}`}>
                  {c.name} ({c.schoolYear})
                </Link>{' '}
                — {c.establishmentName}
              </li>
            ))}
          </ul>
        </>
      )}
      {pupils.length > 0 && (
        <>
          <h2>{parent ? 'Mes enfants' : 'Ma fiche'}</h2>
          <ul>
            {pupils.map((p) => (
              <li key={p.pupilId}>
                <Link href={`/suivi/eleve?id=${encodeURIComponent(p.pupilId)}&du=${from}&au=${to}`}>
                  {p.displayName}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
      {classes.length === 0 && pupils.length === 0 && <p>Aucune classe ni aucun élève ne vous est rattaché.</p>}
    </>
  );
}
