import { geoConicConformal, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { type MouseEvent, useEffect, useMemo, useState } from 'react';
import { navigate } from '@ent-observatory/web';
import { type Kind, displayValue } from './cells';
import { useK } from './Measure';
import { NO_DATA, SEQUENTIAL } from './palette';
import { classBreaks, classOf, colourIndex } from './classes';

export interface DepartementProps {
  departement: string;
  nom: string;
  academie: string;
  academieNom: string;
  region: string;
  regionNom: string;
}
type Shapes = FeatureCollection<Geometry, DepartementProps>;

let shapes: Promise<Shapes> | undefined;
/** The département shapes (public/geo, ~70 kB gzipped), fetched once and only by the views with a map. */
function loadShapes(): Promise<Shapes> {
  shapes ??= fetch('/geo/departements.json').then((r) => {
    if (!r.ok) throw new Error(`fond de carte indisponible (${r.status})`);
    return r.json() as Promise<Shapes>;
  });
  return shapes;
}

export type MapLevel = 'REGION' | 'ACADEMIE' | 'DEPARTEMENT';

export interface MapArea {
  code: string;
  name: string;
  value: number | null;
  suppressed: boolean;
  /** Where a click leads (drill down); undefined when the area is outside the user's scope. */
  href?: string;
}

const WIDTH = 600;
const MAX_HEIGHT = 600;
/** The département under establishment dots: a neutral ground, the dots carry the figures. */
const BACKGROUND = '#F0F0F0';

/**
 * Choropleth of the départements (metropolitan France), each coloured by the value of the area it belongs to at
 * `level` (its région, académie or itself): académies and régions are unions of départements. Only the départements
 * of `within` are drawn (zoomed on) when given. Every area is a link: a click or Enter drills down.
 */
export function FranceMap(props: {
  level: MapLevel;
  areas: MapArea[];
  kind: Kind;
  measureLabel: string;
  within?: (d: DepartementProps) => boolean;
  /** Establishments as dots coloured by the measure; the areas are then only the background. */
  points?: (MapArea & { latitude: number; longitude: number })[];
}) {
  const k = useK();
  const [geo, setGeo] = useState<Shapes | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadShapes()
      .then(setGeo)
      .catch((e: Error) => setError(e.message));
  }, []);
  const byCode = useMemo(() => new Map(props.areas.map((a) => [a.code, a])), [props.areas]);
  const coloured = props.points ?? props.areas;
  const breaks = useMemo(
    () => classBreaks(coloured.filter((a) => !a.suppressed && a.value !== null).map((a) => a.value!)),
    [coloured],
  );
  if (error) return <p className="fr-error-text">Carte indisponible : {error}</p>;
  if (!geo) return <div className="obs-skeleton__block" style={{ height: 400 }} aria-hidden="true" />;

  const features = geo.features.filter((f) => !props.within || props.within(f.properties));
  if (features.length === 0) {
    return <p className="fr-text--sm">Ce territoire est hors de la métropole : ses chiffres sont dans le tableau.</p>;
  }
  // Lambert conformal conic, as IGN maps of France; the height follows the shape drawn (Bretagne is wide, France
  // is about square), up to MAX_HEIGHT.
  const collection: Shapes = { type: 'FeatureCollection', features };
  const projection = geoConicConformal().parallels([44, 49]).rotate([-3, 0]).fitWidth(WIDTH, collection);
  let path = geoPath(projection);
  if (path.bounds(collection)[1][1] > MAX_HEIGHT) {
    projection.fitSize([WIDTH, MAX_HEIGHT], collection);
    path = geoPath(projection);
  }
  const height = Math.ceil(path.bounds(collection)[1][1]) + 2;
  const codeOf = (f: Feature<Geometry, DepartementProps>) =>
    props.level === 'REGION'
      ? f.properties.region
      : props.level === 'ACADEMIE'
        ? f.properties.academie
        : f.properties.departement;
  const fillOf = (a: MapArea | undefined) => (props.points ? BACKGROUND : colourOf(a));
  const colourOf = (a: MapArea | undefined) =>
    !a || a.suppressed || a.value === null
      ? NO_DATA
      : SEQUENTIAL[colourIndex(classOf(a.value, breaks), breaks.length, SEQUENTIAL.length)]!;
  const go = (e: MouseEvent, href: string | undefined) => {
    e.preventDefault();
    if (href) navigate(href);
  };
  // One link per area (all its départements), so a keyboard user tabs through areas, not départements.
  const groups = new Map<string, Feature<Geometry, DepartementProps>[]>();
  for (const f of features) groups.set(codeOf(f), [...(groups.get(codeOf(f)) ?? []), f]);

  return (
    <div>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        className="obs-map"
        role="group"
        aria-label={`Carte : ${props.measureLabel}`}
      >
        {[...groups].map(([code, fs]) => {
          const area = byCode.get(code);
          const label = `${area?.name ?? code} : ${displayValue(area?.value, props.kind, area?.suppressed ?? false, k)}${area?.suppressed ? ` (secret statistique : moins de ${k} utilisateurs)` : ''}`;
          const shapesOf = fs.map((f) => (
            <path
              key={f.properties.departement}
              d={path(f) ?? ''}
              fill={fillOf(area)}
              className={`obs-area${area?.href ? '' : ' obs-out'}`}
            />
          ));
          return area?.href ? (
            <a key={code} href={area.href} onClick={(e) => go(e, area.href)} aria-label={label} data-code={code}>
              <title>{label}</title>
              {shapesOf}
            </a>
          ) : (
            <g key={code} data-code={code}>
              <title>{label}</title>
              {shapesOf}
            </g>
          );
        })}
        {props.points?.map((p) => {
          const xy = projection([p.longitude, p.latitude]);
          if (!xy) return null;
          const label = `${p.name} : ${displayValue(p.value, props.kind, p.suppressed, k)}`;
          return (
            <a key={p.code} href={p.href} onClick={(e) => go(e, p.href)} aria-label={label} data-code={p.code}>
              <title>{label}</title>
              <circle cx={xy[0]} cy={xy[1]} r={4} fill={colourOf(p)} stroke="#3A3A3A" strokeWidth={0.75} />
            </a>
          );
        })}
      </svg>
      <Legend breaks={breaks} kind={props.kind} k={k} label={props.measureLabel} />
    </div>
  );
}

function Legend({ breaks, kind, k, label }: { breaks: number[]; kind: Kind; k: number; label: string }) {
  return (
    <div>
      <p className="fr-text--sm fr-mb-0 fr-text--bold">{label}</p>
      <ul className="obs-legend" aria-label="Légende de la carte">
        {breaks.map((b, i) => (
          <li key={b}>
            <span
              className="obs-swatch"
              style={{ background: SEQUENTIAL[colourIndex(i, breaks.length, SEQUENTIAL.length)] }}
            />
            {i === 0
              ? `jusqu’à ${displayValue(b, kind)}`
              : `${displayValue(breaks[i - 1], kind)} – ${displayValue(b, kind)}`}
          </li>
        ))}
        <li>
          <span className="obs-swatch" style={{ background: NO_DATA }} />
          non publié (&lt; {k} utilisateurs) ou sans donnée
        </li>
      </ul>
    </div>
  );
}
