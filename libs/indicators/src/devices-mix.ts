import { PROFILE_LABELS } from '@ent-observatory/xapi';
import type { Warehouse } from '@ent-observatory/warehouse';
import type { DeviceValue, IndicatorFilter, ProfileKey } from './filter.js';
import { type DeviceFigures, type Figures, deviceBreakdown, profilesOf, subCells, totalOf } from './figures.js';
import { isSuppressed, suppressBreakdown } from './k-anonymity.js';
import { type VisitCell, visitCells } from './visits.js';

/**
 * Devices mix ("nomadisme"): from which devices the ENT is used, overall and per profile, week by week.
 * `smartphoneShare` = smartphone visits ÷ visits with a reported device: read it as how mobile a population is
 * (parents mostly on phones, teachers on computers). Visits without a device reported (INCONNU) are shown but left
 * out of the smartphone share's denominator: ENTs do not always report the device (DNMA 2025-26: known for about
 * 77 % of pupils' visits and 51 % of parents'), so « Non renseigné » is a large part of the visits, as nationally.
 * A device's `share` is of all the visits of its breakdown; the devices hidden by the secrecy together make
 * `hiddenShare` (the complementary suppression made that group safe), so a profile's shares add up to 100 %.
 */
export interface DevicesMixInput {
  filter: IndicatorFilter;
  k: number;
}

export interface ProfileDevices {
  profile: ProfileKey;
  label: string;
  devices: DeviceFigures[];
  smartphoneShare: number | null;
  /** Share of the profile's visits on devices hidden by the secrecy (null when the profile is hidden). */
  hiddenShare: number | null;
  suppressed: boolean;
}

export interface DevicePeriod {
  period: string;
  device: DeviceValue;
  visits: number | null;
  share: number | null;
  suppressed: boolean;
}

export interface DevicesMixOutput {
  total: Figures;
  byDevice: DeviceFigures[];
  byProfile: ProfileDevices[];
  trend: DevicePeriod[];
}

export async function devicesMix(w: Warehouse, input: DevicesMixInput): Promise<DevicesMixOutput> {
  const { filter, k } = input;
  const cells = await visitCells(w, filter, [[], ['device'], ['profile', 'device'], ['profile'], ['week', 'device']]);
  const byProfile = profilesOf(cells, 2).map((profile) => {
    const raw = subCells(cells, 2, profile);
    const devices = deviceBreakdown(raw, 0, k);
    const profileUsers = cells.find((c) => c.set === 3 && c.key[0] === profile)?.users ?? 0;
    // Over the raw visits of reported devices; the share is shown only when the smartphone cell itself is.
    const reported = raw.filter((c) => c.key[0] !== '').reduce((s, c) => s + c.visits, 0);
    const phone = devices.find((d) => d.device === 'smartphone');
    const suppressed = isSuppressed(profileUsers, k);
    return {
      profile,
      label: PROFILE_LABELS[profile],
      devices,
      // Only when no reported device with visits is hidden: otherwise visits ÷ share would give it away.
      smartphoneShare:
        !suppressed && phone && !phone.suppressed && !hiddenReported(raw, devices) && reported > 0
          ? (phone.visits ?? 0) / reported
          : null,
      hiddenShare: suppressed ? null : hiddenShareOf(devices),
      suppressed,
    };
  });
  const weekTotals = new Map<string, number>();
  for (const c of cells.filter((c) => c.set === 4)) {
    weekTotals.set(c.key[0] ?? '', (weekTotals.get(c.key[0] ?? '') ?? 0) + c.visits);
  }
  // Each week's devices are one breakdown of that week's total (which the shares reveal): complementary
  // suppression within the week makes the hidden devices a safe group, so the shown devices keep their share.
  const weeks = new Map<string, VisitCell[]>();
  for (const c of cells.filter((c) => c.set === 4))
    weeks.set(c.key[0] ?? '', [...(weeks.get(c.key[0] ?? '') ?? []), c]);
  const trend = [...weeks].flatMap(([period, weekCells]) => {
    const shown = suppressBreakdown(weekCells, k);
    const total = weekTotals.get(period) ?? 0;
    return shown.map((c) => ({
      period,
      device: (c.key[1] ?? '') as DeviceValue,
      visits: c.suppressed ? null : c.visits,
      share: c.suppressed || total === 0 ? null : c.visits / total,
      suppressed: c.suppressed,
    }));
  });
  return { total: totalOf(cells, 0, k), byDevice: deviceBreakdown(cells, 1, k), byProfile, trend };
}

/** 100 % less the shown devices' shares: the hidden devices together (0 when none had visits). */
export function hiddenShareOf(devices: DeviceFigures[]): number {
  const shown = devices.filter((d) => !d.suppressed).reduce((s, d) => s + (d.share ?? 0), 0);
  const hiddenVisits = devices.some((d) => d.suppressed) && shown < 1 - 1e-9;
  return hiddenVisits ? 1 - shown : 0;
}

/** Whether a hidden device cell of a profile had visits (the smartphone share's denominator would reveal them). */
function hiddenReported(raw: VisitCell[], devices: DeviceFigures[]): boolean {
  const hidden = new Set(devices.filter((d) => d.suppressed).map((d) => d.device as string));
  return raw.some((c) => (c.key[0] ?? '') !== '' && hidden.has(c.key[0] ?? '') && c.visits > 0);
}
