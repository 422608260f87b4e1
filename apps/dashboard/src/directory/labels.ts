/** French labels of the directory's codes, as the annuaire and DNMA write them. */
export const TYPE_LABELS: Record<string, string> = {
  ecole_maternelle: 'École maternelle',
  ecole_elementaire: 'École élémentaire',
  ecole_primaire: 'École primaire',
  college: 'Collège',
  lycee: 'Lycée général et technologique',
  lp: 'Lycée professionnel',
  erea: 'EREA',
  other: 'Autre',
};

export const SECTOR_LABELS: Record<string, string> = { public: 'Public', private: 'Privé', unknown: 'Non renseigné' };

export const REP_LABELS: Record<string, string> = { REP: 'REP', REP_PLUS: 'REP+', none: 'Hors éducation prioritaire' };

export const LINK_METHOD_LABELS: Record<string, string> = {
  commune: 'secteur de la commune',
  street: 'secteur de la rue',
  'commune-majority': 'secteur majoritaire de la commune',
};
