import { formatDecimal, formatDuration, formatNumber, formatPercent } from '../format';

/**
 * A measure as the API returns it: `null` with `suppressed: true` when it was built on fewer than k distinct users
 * (statistical secrecy). A suppressed measure is never shown as zero.
 */
export interface Measured {
  suppressed: boolean;
}

export type Kind = 'text' | 'count' | 'percent' | 'duration' | 'decimal';

/** The explanation given beside every "< k". */
export const secrecyNote = (k: number): string => `secret statistique : moins de ${k} utilisateurs`;

/** The text of one value as shown on screen: formatted in French, "< k" when suppressed, "—" when absent. */
export function displayValue(value: number | string | null | undefined, kind: Kind, suppressed = false, k = 5): string {
  if (suppressed) return `< ${k}`;
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'count':
      return formatNumber(value);
    case 'percent':
      return formatPercent(value);
    case 'duration':
      return formatDuration(value);
    case 'decimal':
      return formatDecimal(value);
    case 'text':
      return String(value);
  }
}

/**
 * The value in a CSV file: plain digits with a decimal comma (what French spreadsheets read), "< k" when suppressed;
 * percentages in percent (the columns say « (%) ») and decimals to the precision the screen shows.
 */
export function csvValue(value: number | string | null | undefined, kind: Kind, suppressed = false, k = 5): string {
  if (suppressed) return `< ${k}`;
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  const rounded =
    kind === 'percent'
      ? Math.round(value * 1000) / 10
      : kind === 'decimal'
        ? Math.round(value * 100) / 100
        : Math.round(value * 10) / 10;
  return String(rounded).replace('.', ',');
}
