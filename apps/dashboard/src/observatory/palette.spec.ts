import { describe, expect, it } from '@jest/globals';
import { NO_DATA, SEQUENTIAL, SERIES_COLOURS } from './palette';

/** WCAG 2.1 relative luminance and contrast ratio (1.4.3, 1.4.11). */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('colour scales (RGAA 3.2, 3.3)', () => {
  it('draws every chart series at 3:1 or more against the white page (graphics, WCAG 1.4.11)', () => {
    const weak = SERIES_COLOURS.filter((c) => contrast(c, '#FFFFFF') < 3);
    expect(weak).toEqual([]);
  });

  it('orders the map scale from light to dark, each class distinguishable from the next and from « no data »', () => {
    const lum = SEQUENTIAL.map(luminance);
    expect(lum).toEqual([...lum].sort((a, b) => b - a));
    for (let i = 1; i < SEQUENTIAL.length; i++) {
      expect([SEQUENTIAL[i - 1], SEQUENTIAL[i], contrast(SEQUENTIAL[i - 1]!, SEQUENTIAL[i]!) >= 1.2]).toEqual([
        SEQUENTIAL[i - 1],
        SEQUENTIAL[i],
        true,
      ]);
    }
    // « no data » is hatched grey, never mistaken for the lightest class
    expect(SEQUENTIAL.includes(NO_DATA)).toBe(false);
    // the darkest class carries white text (its value in the legend and tooltips) at 4.5:1
    expect(contrast(SEQUENTIAL.at(-1)!, '#FFFFFF')).toBeGreaterThanOrEqual(4.5);
  });
});
