import { testWorld } from './fixtures.js';
import { sampleWorld } from './world.js';

describe('a sampled perimeter', () => {
  const world = testWorld();
  const uais = (w: ReturnType<typeof sampleWorld>) => w.establishments.map((e) => e.uai);

  it('keeps an included school with its sector collège and that collège’s other feeder schools', () => {
    const sample = sampleWorld(world, { share: 0, include: ['0350002b'], seed: 1 });
    expect(uais(sample)).toEqual(['0350002B', '0350003C', '0350011L']);
    // CM2 pupils of the kept schools still have their collège inside the perimeter
    expect(sample.sectorColleges).toEqual({ '0350002B': ['0350011L'], '0350003C': ['0350011L'] });
  });

  it('draws the same establishments for the same seed, others for another seed, all of them at 1', () => {
    const draws = [1, 2, 3, 4, 5, 6].map((seed) => uais(sampleWorld(world, { share: 0.5, seed })).join());
    expect(uais(sampleWorld(world, { share: 0.5, seed: 1 })).join()).toBe(draws[0]);
    expect(new Set(draws).size).toBeGreaterThan(1);
    expect(uais(sampleWorld(world, { share: 1, seed: 9 }))).toEqual(uais(world));
  });

  it('never keeps a feeder school without its drawn collège in the sector links', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const sample = sampleWorld(world, { share: 0.4, seed });
      const kept = new Set(uais(sample));
      for (const [school, colleges] of Object.entries(sample.sectorColleges)) {
        expect(kept.has(school)).toBe(true);
        for (const c of colleges) expect(kept.has(c)).toBe(true);
      }
    }
  });

  it('refuses a share outside 0–1', () => {
    expect(() => sampleWorld(world, { share: 1.5, seed: 1 })).toThrow('between 0 and 1');
  });
});
