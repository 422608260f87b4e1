import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Tag } from '@codegouvfr/react-dsfr/Tag';
import { Link, graphql, useQuery } from '@ent-observatory/web';
import { useState } from 'react';
import { MODE_LABEL, ORIGIN_LABEL, dates, frHours } from '../labels';

interface Entry {
  parcours: {
    id: string;
    title: string;
    description: string;
    objectives: string;
    audience: string;
    hoursRemote: number;
    hoursOnsite: number;
    mode: string;
    origin: string;
    activities: { auIndex: number }[];
  };
  sessions: {
    id: string;
    name: string;
    startsOn: string | null;
    endsOn: string | null;
    selfEnrolment: boolean;
    enrolled: boolean;
  }[];
}

const QUERY = `query($search: String, $mode: String, $origin: String, $audience: String) {
  trainingCatalogue(search: $search, mode: $mode, origin: $origin, audience: $audience) {
    parcours { id title description objectives audience hoursRemote hoursOnsite mode origin activities { auIndex } }
    sessions { id name startsOn endsOn selfEnrolment enrolled }
  }
}`;

/** The catalogue: search and filters, and self-enrolment in open sessions. */
export default function CataloguePage() {
  const [filters, setFilters] = useState({ search: '', mode: '', origin: '', audience: '' });
  const variables = Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
  const { state, reload } = useQuery<{ trainingCatalogue: Entry[] }>(QUERY, variables);
  const [message, setMessage] = useState<string | null>(null);
  const enrol = (sessionId: string) =>
    graphql('mutation($s: ID!) { selfEnrol(sessionId: $s) }', { s: sessionId })
      .then(() => {
        setMessage('Inscription enregistrée : retrouvez ce parcours dans « Mes formations ».');
        reload();
      })
      .catch((e: Error) => setMessage(e.message));
  return (
    <>
      <h1>Catalogue des parcours</h1>
      <form className="fr-grid-row fr-grid-row--gutters fr-mb-3w" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label="Rechercher"
            nativeInputProps={{
              value: filters.search,
              onChange: (e) => setFilters({ ...filters, search: e.target.value }),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-3">
          <Input
            label="Public"
            nativeInputProps={{
              value: filters.audience,
              onChange: (e) => setFilters({ ...filters, audience: e.target.value }),
            }}
          />
        </div>
        <div className="fr-col-6 fr-col-md-2">
          <Select
            label="Modalité"
            nativeSelectProps={{
              value: filters.mode,
              onChange: (e) => setFilters({ ...filters, mode: e.target.value }),
            }}
          >
            <option value="">Toutes</option>
            <option value="autoformation">Autoformation</option>
            <option value="accompagne">Accompagné</option>
          </Select>
        </div>
        <div className="fr-col-6 fr-col-md-3">
          <Select
            label="Origine"
            nativeSelectProps={{
              value: filters.origin,
              onChange: (e) => setFilters({ ...filters, origin: e.target.value }),
            }}
          >
            <option value="">Toutes</option>
            <option value="national">Nationale</option>
            <option value="academie">Académique</option>
          </Select>
        </div>
      </form>
      {message && (
        <Alert
          className="fr-mb-3w"
          small
          severity="info"
          description={message}
          closable
          onClose={() => setMessage(null)}
        />
      )}
      {state.kind === 'loading' && <p aria-live="polite">Chargement…</p>}
      {state.kind === 'error' && <Alert severity="error" title="Catalogue indisponible" description={state.message} />}
      {state.kind === 'ready' && state.data.trainingCatalogue.length === 0 && (
        <p>Aucun parcours ne correspond à votre recherche.</p>
      )}
      {state.kind === 'ready' &&
        state.data.trainingCatalogue.map(({ parcours: p, sessions }) => (
          <section key={p.id} className="fr-card fr-card--no-arrow fr-mb-3w fr-p-3w">
            <h2 className="fr-h4">{p.title}</h2>
            <ul className="fr-tags-group">
              <li>
                <Tag small>{MODE_LABEL[p.mode] ?? p.mode}</Tag>
              </li>
              <li>
                <Tag small>{ORIGIN_LABEL[p.origin] ?? p.origin}</Tag>
              </li>
              <li>
                <Tag small>{frHours(p.hoursRemote)} à distance</Tag>
              </li>
              {p.hoursOnsite > 0 && (
                <li>
                  <Tag small>{frHours(p.hoursOnsite)} en présence</Tag>
                </li>
              )}
              <li>
                <Tag small>{p.activities.length} activités</Tag>
              </li>
            </ul>
            <p>{p.description}</p>
            {p.objectives && (
              <p>
                <strong>Objectifs :</strong> {p.objectives}
              </p>
            )}
            {p.audience && (
              <p>
                <strong>Public :</strong> {p.audience}
              </p>
            )}
            <h3 className="fr-h6">Sessions</h3>
            {sessions.length === 0 && <p className="fr-text--sm">Aucune session ouverte pour l’instant.</p>}
            <ul>
              {sessions.map((s) => (
                <li key={s.id} className="fr-mb-1w">
                  {s.name} — {dates(s.startsOn, s.endsOn)}{' '}
                  {s.enrolled ? (
                    <Link href={`/formation/mes-formations/${s.id}`}>Vous êtes inscrit·e : ouvrir</Link>
                  ) : s.selfEnrolment ? (
                    <Button size="small" onClick={() => void enrol(s.id)}>
                      M’inscrire
                    </Button>
                  ) : (
                    <span className="fr-text--sm">(inscription par un formateur)</span>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ))}
    </>
  );
}
