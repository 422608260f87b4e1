/**
 * French labels of the directory's codes, as the annuaire and DNMA write them. Types come from the directory's
 * model (a source-only, dependency-free entry the browser bundle can take).
 */
import { TYPE_LABELS as DIRECTORY_TYPE_LABELS } from '@ent-observatory/directory/model';

/** Keyed by string: the API's values arrive untyped. */
export const TYPE_LABELS: Record<string, string> = DIRECTORY_TYPE_LABELS;

export const SECTOR_LABELS: Record<string, string> = { public: 'Public', private: 'Privé', unknown: 'Non renseigné' };

export const REP_LABELS: Record<string, string> = { REP: 'REP', REP_PLUS: 'REP+', none: 'Hors éducation prioritaire' };

export const LINK_METHOD_LABELS: Record<string, string> = {
  commune: 'secteur de la commune',
  street: 'secteur de la rue',
  'commune-majority': 'secteur majoritaire de la commune',
};
