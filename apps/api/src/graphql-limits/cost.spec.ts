import { periodFactor } from './cost.js';

describe('view cost', () => {
  it('scales with the period a filter covers, from a quarter to twice the half-year reference', () => {
    expect(periodFactor({ from: '2026-01-05', to: '2026-01-11' })).toBe(0.25);
    expect(periodFactor({ from: '2025-09-01', to: '2026-03-02' })).toBeCloseTo(1, 1);
    expect(periodFactor({ from: '2025-08-01', to: '2026-07-31' })).toBeCloseTo(2, 1);
    expect(periodFactor({ from: '2024-01-01', to: '2026-07-31' })).toBe(2);
  });

  it('counts a period it cannot read as the most expensive', () => {
    expect(periodFactor({ from: 'soon', to: '2026-01-01' })).toBe(2);
    expect(periodFactor({ from: '2026-02-01', to: '2026-01-01' })).toBe(2);
    expect(periodFactor(undefined)).toBe(1);
  });
});
