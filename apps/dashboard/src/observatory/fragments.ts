/** GraphQL selections shared by the views (docs/observatory-api.md). */
export const FIGURES = 'visits users durationSeconds suppressed';
export const PROFILE_CELL = `profile label ${FIGURES}`;
export const SERVICE_CELL = `service label ${FIGURES}`;
export const DEVICE_CELL = `device label ${FIGURES} share`;
export const PERIOD_POINT = `period label ${FIGURES}`;
export const PENETRATION =
  'enrolledPupils activePupils pupilRate activeParents parentsPerPupil suppressed parentsSuppressed establishments measuredEstablishments ratedEstablishments';
export const HEAT_CELL = 'weekday hour visits users suppressed';

export interface Figures {
  visits: number | null;
  users: number | null;
  durationSeconds: number | null;
  suppressed: boolean;
}
export interface ProfileCell extends Figures {
  profile: string;
  label: string;
}
export interface ServiceCell extends Figures {
  service: string;
  label: string;
}
export interface DeviceCell extends Figures {
  device: string;
  label: string;
  share: number | null;
}
export interface PeriodPoint extends Figures {
  period: string;
  label: string;
}
export interface Penetration {
  enrolledPupils: number;
  activePupils: number | null;
  pupilRate: number | null;
  activeParents: number | null;
  parentsPerPupil: number | null;
  suppressed: boolean;
  parentsSuppressed: boolean;
  establishments: number;
  measuredEstablishments: number;
  ratedEstablishments: number;
}
export interface HeatCell {
  weekday: number;
  hour: number;
  visits: number | null;
  users: number | null;
  suppressed: boolean;
}
