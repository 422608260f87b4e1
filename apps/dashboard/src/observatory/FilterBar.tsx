import { DNMA_SERVICES, SERVICE_LABELS } from '@ent-observatory/xapi/ent-profile';
import { type ReactNode, useId, useState } from 'react';
import {
  DEVICES,
  type Filters,
  PROFILES,
  REP_STATUSES,
  SECTORS,
  countRefinements,
  periodPresets,
  presetPeriod,
} from './filters';
import { DEVICE_LABELS, PROFILE_LABELS, REP_LABELS, SECTOR_LABELS } from './labels';
import { type Scope, withPlace } from './scope';
import { ACADEMIES, DEPARTEMENTS, REGIONS } from './territories';

interface Props {
  filters: Filters;
  today: string;
  scope: Scope;
  onChange(f: Filters): void;
  /** Whether the view can show the imported DNMA figures. */
  dnma: boolean;
  /** The name of the establishment the filters name, once the API has told it. */
  establishmentName?: string;
}

/**
 * The filter bar: period (school years and terms, or two dates), territory within the user's scope, and the
 * refinements (profile, service, device, sector, éducation prioritaire). Every change goes into the address at once.
 */
export function FilterBar({ filters: f, today, scope, onChange, dnma, establishmentName }: Props) {
  const id = useId();
  const refinements = countRefinements(f);
  const [open, setOpen] = useState(refinements > 0);
  const presets = periodPresets(today);
  const currentPreset = presetPeriod(f.period);
  const regions = scope.kind === 'national' ? REGIONS : [];
  // The selects above the chosen territory show where it lies (a département shows its académie and région).
  const chosenAcademie =
    f.academie ?? (f.departement ? DEPARTEMENTS.find((d) => d.code === f.departement)?.academie : undefined);
  const chosenRegion = f.region ?? ACADEMIES.find((a) => a.code === chosenAcademie)?.region;
  const academies =
    scope.kind === 'national'
      ? ACADEMIES.filter((a) => !chosenRegion || a.region === chosenRegion)
      : ACADEMIES.filter((a) => scope.kind === 'academie' && a.code === scope.code);
  const departements = DEPARTEMENTS.filter((d) =>
    scope.kind === 'academie'
      ? d.academie === scope.code
      : chosenAcademie
        ? d.academie === chosenAcademie
        : chosenRegion
          ? academies.some((a) => a.code === d.academie)
          : true,
  );
  const toggle = <T extends string>(list: T[], value: T): T[] =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];

  return (
    <form
      className="obs-filters fr-p-2w fr-mb-3w"
      aria-label="Filtres"
      onSubmit={(e) => e.preventDefault()}
      data-testid="filter-bar"
    >
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <SelectField
            label="Période"
            value={f.period}
            onChange={(v) => {
              if (v === 'custom') return onChange({ ...f, period: 'custom' });
              const p = presetPeriod(v)!;
              onChange({ ...f, period: p.key, from: p.from, to: p.to });
            }}
          >
            {!currentPreset && f.period !== 'custom' && <option value={f.period}>{f.period}</option>}
            {presets.map((p) => (
              <option key={p.key} value={p.key}>
                {p.label}
              </option>
            ))}
            <option value="custom">Dates choisies…</option>
          </SelectField>
        </div>
        {f.period === 'custom' && (
          <>
            <div className="fr-col-6 fr-col-md-2">
              <DateField label="Du" value={f.from} max={f.to} onChange={(from) => onChange({ ...f, from })} />
            </div>
            <div className="fr-col-6 fr-col-md-2">
              <DateField label="Au" value={f.to} min={f.from} onChange={(to) => onChange({ ...f, to })} />
            </div>
          </>
        )}
        {f.uai && (
          <div className="fr-col-12 fr-col-md-8">
            <p className="fr-label fr-mb-1w">Établissement</p>
            <p className="fr-mb-0" data-testid="filter-establishment">
              <strong>{establishmentName ?? f.uai}</strong> (UAI {f.uai}){' '}
              {scope.kind !== 'uai' && (
                <button
                  type="button"
                  className="fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-icon-close-line fr-btn--icon-left"
                  onClick={() => onChange(withPlace(f, undefined))}
                >
                  Retirer ce filtre
                </button>
              )}
            </p>
          </div>
        )}
        {!f.uai && scope.kind === 'national' && (
          <div className="fr-col-12 fr-col-md">
            <SelectField
              label="Région académique"
              value={chosenRegion ?? ''}
              onChange={(v) => onChange(withPlace(f, v ? { level: 'REGION', code: v, name: v } : undefined))}
            >
              <option value="">France entière</option>
              {regions.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </SelectField>
          </div>
        )}
        {!f.uai && scope.kind !== 'uai' && (
          <>
            {scope.kind === 'national' && (
              <div className="fr-col-12 fr-col-md">
                <SelectField
                  label="Académie"
                  value={chosenAcademie ?? ''}
                  onChange={(v) =>
                    onChange(
                      withPlace(
                        f,
                        v
                          ? { level: 'ACADEMIE', code: v, name: v }
                          : chosenRegion
                            ? { level: 'REGION', code: chosenRegion, name: '' }
                            : undefined,
                      ),
                    )
                  }
                >
                  <option value="">Toutes</option>
                  {academies.map((a) => (
                    <option key={a.code} value={a.code}>
                      {a.name}
                    </option>
                  ))}
                </SelectField>
              </div>
            )}
            <div className="fr-col-12 fr-col-md">
              <SelectField
                label="Département"
                value={f.departement ?? ''}
                onChange={(v) =>
                  onChange(
                    withPlace(
                      f,
                      v
                        ? { level: 'DEPARTEMENT', code: v, name: v }
                        : chosenAcademie && scope.kind === 'national'
                          ? { level: 'ACADEMIE', code: chosenAcademie, name: '' }
                          : undefined,
                    ),
                  )
                }
              >
                <option value="">Tous</option>
                {departements.map((d) => (
                  <option key={d.code} value={d.code}>
                    {d.name} ({d.code})
                  </option>
                ))}
              </SelectField>
            </div>
          </>
        )}
      </div>
      <div className="fr-mt-2w obs-filters__actions">
        <button
          type="button"
          className="fr-btn fr-btn--secondary fr-btn--sm fr-icon-filter-line fr-btn--icon-left"
          aria-expanded={open}
          aria-controls={`${id}-more`}
          onClick={() => setOpen(!open)}
        >
          Affiner
          {refinements
            ? ` (${refinements} filtre${refinements > 1 ? 's' : ''} actif${refinements > 1 ? 's' : ''})`
            : ''}
        </button>
        {refinements > 0 && (
          <button
            type="button"
            className="fr-btn fr-btn--tertiary-no-outline fr-btn--sm"
            onClick={() => onChange({ ...f, profile: [], service: [], device: [], sector: undefined, rep: [] })}
          >
            Effacer les filtres
          </button>
        )}
        {dnma && (
          <div className="fr-toggle fr-toggle--label-left obs-dnma">
            <input
              type="checkbox"
              className="fr-toggle__input"
              id={`${id}-dnma`}
              checked={f.dnma}
              onChange={(e) => onChange({ ...f, dnma: e.target.checked })}
            />
            <label className="fr-toggle__label" htmlFor={`${id}-dnma`}>
              Chiffres nationaux publiés (DNMA)
            </label>
          </div>
        )}
      </div>
      <div id={`${id}-more`} hidden={!open} className="fr-mt-2w">
        <div className="fr-grid-row fr-grid-row--gutters">
          <Checkboxes
            legend="Profil"
            options={PROFILES.map((p) => [p, PROFILE_LABELS[p]])}
            checked={f.profile}
            onToggle={(p) => onChange({ ...f, profile: toggle(f.profile, p) })}
          />
          <Checkboxes
            legend="Appareil"
            options={DEVICES.map((d) => [d, DEVICE_LABELS[d]])}
            checked={f.device}
            onToggle={(d) => onChange({ ...f, device: toggle(f.device, d) })}
          />
          <Checkboxes
            legend="Éducation prioritaire"
            options={REP_STATUSES.map((r) => [r, REP_LABELS[r]])}
            checked={f.rep}
            onToggle={(r) => onChange({ ...f, rep: toggle(f.rep, r) })}
          />
          <div className="fr-col-12 fr-col-md-3">
            <SelectField
              label="Secteur"
              value={f.sector ?? ''}
              onChange={(v) => onChange({ ...f, sector: SECTORS.find((s) => s === v) })}
            >
              <option value="">Public et privé</option>
              {SECTORS.map((s) => (
                <option key={s} value={s}>
                  {SECTOR_LABELS[s]}
                </option>
              ))}
            </SelectField>
            <SelectField
              label="Service"
              value={f.service[0] ?? ''}
              onChange={(v) => onChange({ ...f, service: v ? [v] : [] })}
            >
              <option value="">Tous les services</option>
              {[...DNMA_SERVICES, 'autre' as const].map((s) => (
                <option key={s} value={s}>
                  {SERVICE_LABELS[s]}
                </option>
              ))}
            </SelectField>
          </div>
        </div>
      </div>
    </form>
  );
}

function SelectField(props: { label: string; value: string; onChange(v: string): void; children: ReactNode }) {
  const id = useId();
  return (
    <div className="fr-select-group fr-mb-0">
      <label className="fr-label" htmlFor={id}>
        {props.label}
      </label>
      <select className="fr-select" id={id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.children}
      </select>
    </div>
  );
}

function DateField(props: { label: string; value: string; min?: string; max?: string; onChange(v: string): void }) {
  const id = useId();
  return (
    <div className="fr-input-group fr-mb-0">
      <label className="fr-label" htmlFor={id}>
        {props.label}
      </label>
      <input
        className="fr-input"
        type="date"
        id={id}
        value={props.value}
        min={props.min}
        max={props.max}
        onChange={(e) => e.target.value && props.onChange(e.target.value)}
      />
    </div>
  );
}

function Checkboxes<T extends string>(props: {
  legend: string;
  options: [T, string][];
  checked: T[];
  onToggle(v: T): void;
}) {
  const id = useId();
  return (
    <fieldset className="fr-fieldset fr-col-12 fr-col-md-3 fr-mb-0">
      <legend className="fr-fieldset__legend fr-text--regular">{props.legend}</legend>
      {props.options.map(([value, label]) => (
        <div className="fr-fieldset__element fr-mb-0" key={value}>
          <div className="fr-checkbox-group fr-checkbox-group--sm">
            <input
              type="checkbox"
              id={`${id}-${value}`}
              checked={props.checked.includes(value)}
              onChange={() => props.onToggle(value)}
            />
            <label className="fr-label" htmlFor={`${id}-${value}`}>
              {label}
            </label>
          </div>
        </div>
      ))}
    </fieldset>
  );
}
