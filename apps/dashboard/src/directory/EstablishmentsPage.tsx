import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Pagination } from '@codegouvfr/react-dsfr/Pagination';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Link, navigate, useLocation, useQuery } from '@ent-observatory/web';
import { type FormEvent, useState } from 'react';
import { formatNumber } from '../format';
import { REP_LABELS, SECTOR_LABELS, TYPE_LABELS } from './labels';

interface Item {
  uai: string;
  name: string;
  type: string;
  sector: string;
  rep: string;
  commune: string;
  departement: string;
  pupils: number | null;
}

const PAGE_SIZE = 20;
const UAI = /^\d{7}[A-Za-z]$/;
const QUERY = `query Establishments($search: EstablishmentSearchInput, $limit: Int!, $offset: Int!) {
  establishments(search: $search, limit: $limit, offset: $offset) {
    total items { uai name type sector rep commune departement pupils }
  }
}`;

/** The criteria live in the URL, so a search can be bookmarked and shared. */
const FIELDS = ['text', 'commune', 'type', 'sector', 'rep', 'academie', 'departement'] as const;

export default function EstablishmentsPage() {
  const { query } = useLocation();
  const search: Record<string, string> = {};
  for (const f of FIELDS) {
    const v = query.get(f);
    if (v) search[f] = v;
  }
  // "Nom ou UAI": a UAI typed in the name field is searched as a UAI
  if (search.text && UAI.test(search.text.trim())) {
    search.uai = search.text.trim().toUpperCase();
    delete search.text;
  }
  const page = Math.max(1, Number(query.get('page') ?? '1') || 1);
  const { state } = useQuery<{ establishments: { total: number; items: Item[] } }>(QUERY, {
    search,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });
  const pageCount = state.kind === 'ready' ? Math.max(1, Math.ceil(state.data.establishments.total / PAGE_SIZE)) : 1;
  const hrefFor = (p: number) => {
    const q = new URLSearchParams(query);
    q.set('page', String(p));
    return `/etablissements?${q.toString()}`;
  };

  return (
    <>
      <h1>Établissements</h1>
      <SearchForm initial={Object.fromEntries(FIELDS.map((f) => [f, query.get(f) ?? '']))} />
      {state.kind === 'loading' && <p aria-live="polite">Recherche en cours…</p>}
      {state.kind === 'error' && <Alert severity="error" title="Recherche impossible" description={state.message} />}
      {state.kind === 'ready' && (
        <>
          <p role="status" data-testid="result-count">
            {state.data.establishments.total === 0
              ? 'Aucun établissement de votre périmètre ne correspond à ces critères.'
              : `${formatNumber(state.data.establishments.total)} établissement${state.data.establishments.total > 1 ? 's' : ''}`}
          </p>
          {state.data.establishments.items.length > 0 && (
            <div className="fr-table">
              <table>
                <caption>Établissements trouvés (page {page})</caption>
                <thead>
                  <tr>
                    <th scope="col">Établissement</th>
                    <th scope="col">Type</th>
                    <th scope="col">Commune</th>
                    <th scope="col">Secteur</th>
                    <th scope="col">Éducation prioritaire</th>
                    <th scope="col">Élèves</th>
                  </tr>
                </thead>
                <tbody>
                  {state.data.establishments.items.map((e) => (
                    <tr key={e.uai}>
                      <td>
                        <Link href={`/etablissements/${e.uai}`}>{e.name}</Link>
                        <br />
                        <span className="fr-text--xs">UAI {e.uai}</span>
                      </td>
                      <td>{TYPE_LABELS[e.type] ?? e.type}</td>
                      <td>
                        {e.commune} ({e.departement})
                      </td>
                      <td>{SECTOR_LABELS[e.sector] ?? e.sector}</td>
                      <td>
                        {e.rep !== 'none' && (
                          <Badge small severity="new">
                            {REP_LABELS[e.rep] ?? e.rep}
                          </Badge>
                        )}
                      </td>
                      <td>{e.pupils === null ? '—' : formatNumber(e.pupils)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {pageCount > 1 && (
            <Pagination
              count={pageCount}
              defaultPage={page}
              getPageLinkProps={(p) => ({ href: hrefFor(p) })}
              showFirstLast
            />
          )}
        </>
      )}
    </>
  );
}

function SearchForm({ initial }: { initial: Record<string, string | undefined> }) {
  const [values, setValues] = useState<Record<string, string>>(
    Object.fromEntries(FIELDS.map((f) => [f, initial[f] ?? ''])),
  );
  const set = (field: string) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = new URLSearchParams(Object.entries(values).filter(([, v]) => v));
    navigate(`/etablissements${q.size ? `?${q.toString()}` : ''}`);
  };
  return (
    <form onSubmit={submit} aria-label="Rechercher un établissement" className="fr-mb-4w">
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Input label="Nom ou UAI" nativeInputProps={{ value: values.text, onChange: set('text'), name: 'text' }} />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label="Commune"
            nativeInputProps={{ value: values.commune, onChange: set('commune'), name: 'commune' }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select label="Type" nativeSelectProps={{ value: values.type, onChange: set('type'), name: 'type' }}>
            <option value="">Tous les types</option>
            {Object.entries(TYPE_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select label="Secteur" nativeSelectProps={{ value: values.sector, onChange: set('sector'), name: 'sector' }}>
            <option value="">Public et privé</option>
            <option value="public">Public</option>
            <option value="private">Privé</option>
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select
            label="Éducation prioritaire"
            nativeSelectProps={{ value: values.rep, onChange: set('rep'), name: 'rep' }}
          >
            <option value="">Tous</option>
            <option value="REP_PLUS">REP+</option>
            <option value="REP">REP</option>
            <option value="none">Hors éducation prioritaire</option>
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label="Département"
            hintText="Code à 3 caractères, ex. 035"
            nativeInputProps={{ value: values.departement, onChange: set('departement'), name: 'departement' }}
          />
        </div>
      </div>
      <Button type="submit" iconId="fr-icon-search-line">
        Rechercher
      </Button>
    </form>
  );
}
