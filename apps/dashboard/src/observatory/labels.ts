import type { Device, Profile, RepStatus, Sector } from './filters';

/** French labels of the API's enums (the profile and device names follow the DNMA's). */
export const PROFILE_LABELS: Record<Profile, string> = {
  ELEVE: 'Élèves',
  PARENT: 'Parents',
  ENSEIGNANT: 'Enseignants',
  PERSONNEL: 'Personnels',
  AUTRE: 'Profil inconnu',
};
export const DEVICE_LABELS: Record<Device, string> = {
  ORDINATEUR: 'Ordinateur',
  SMARTPHONE: 'Smartphone',
  TABLETTE: 'Tablette',
  AUTRE: 'Autre appareil',
  INCONNU: 'Non renseigné',
};
export const SECTOR_LABELS: Record<Sector, string> = { PUBLIC: 'Public', PRIVATE: 'Privé' };
export const REP_LABELS: Record<RepStatus, string> = {
  REP_PLUS: 'REP+',
  REP: 'REP',
  HORS_REP: 'Hors éducation prioritaire',
};
