import { bumpDataGeneration } from '../common/data-generation.js';
import { ViewCache } from './view-cache.js';

describe('view cache', () => {
  const counting = () => {
    let calls = 0;
    return { compute: () => Promise.resolve(++calls), calls: () => calls };
  };

  it('answers an identical query from memory within the window, recomputes after it', async () => {
    const cache = new ViewCache(30_000);
    const c = counting();
    expect(await cache.get('k', c.compute, 1_000)).toEqual({ value: 1, cached: false });
    expect(await cache.get('k', c.compute, 30_999)).toEqual({ value: 1, cached: true });
    expect(await cache.get('k', c.compute, 31_000)).toEqual({ value: 2, cached: false });
  });

  it('recomputes as soon as a statement was stored', async () => {
    const cache = new ViewCache(30_000);
    const c = counting();
    await cache.get('k', c.compute, 0);
    bumpDataGeneration();
    expect(await cache.get('k', c.compute, 1)).toEqual({ value: 2, cached: false });
  });

  it('keeps keys apart and shares one computation between concurrent identical requests', async () => {
    const cache = new ViewCache(30_000);
    const c = counting();
    const [a, b] = await Promise.all([cache.get('k', c.compute, 0), cache.get('k', c.compute, 0)]);
    expect([a.value, b.value, c.calls()]).toEqual([1, 1, 1]);
    expect((await cache.get('other', c.compute, 0)).value).toBe(2);
  });

  it('forgets a failed computation', async () => {
    const cache = new ViewCache(30_000);
    await expect(cache.get('k', () => Promise.reject(new Error('down')), 0)).rejects.toThrow('down');
    expect(await cache.get('k', () => Promise.resolve('up'), 1)).toEqual({ value: 'up', cached: false });
  });

  it('holds at most maxEntries answers', async () => {
    const cache = new ViewCache(30_000, 2);
    for (const key of ['a', 'b', 'c']) await cache.get(key, () => Promise.resolve(key), 0);
    expect((await cache.get('a', () => Promise.resolve('again'), 0)).cached).toBe(false);
  });
});
