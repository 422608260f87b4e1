import { FairLimiter, QueueFullError } from './fair-limiter.js';

/** Starts a job for `key` and records when it got its slot. */
function job(limiter: FairLimiter, key: string, started: string[]) {
  let release: (() => void) | undefined;
  const ready = limiter.acquire(key).then((r) => {
    started.push(key);
    release = r;
  });
  return { ready, release: () => release!() };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('FairLimiter', () => {
  it('runs at most `perKey` jobs of one user, and lets another user start at once', async () => {
    const limiter = new FairLimiter(4, 2, 10);
    const started: string[] = [];
    const a = Array.from({ length: 5 }, () => job(limiter, 'a', started));
    const b = job(limiter, 'b', started);
    await tick();
    expect(started).toEqual(['a', 'a', 'b']);
    expect(limiter.counts()).toEqual({ running: 3, waiting: 3 });
    a[0]!.release();
    await tick();
    expect(started).toEqual(['a', 'a', 'b', 'a']);
    b.release();
    await tick();
    expect(started.length).toBe(4); // a is at its own limit: b's slot stays free for others
  });

  it('hands freed slots to waiting users in turn, not in arrival order', async () => {
    const limiter = new FairLimiter(1, 1, 10);
    const started: string[] = [];
    const releases: (() => void)[] = [];
    const enqueue = (key: string) =>
      void limiter.acquire(key).then((release) => {
        started.push(key);
        releases.push(release);
      });
    for (const key of ['a', 'a', 'a', 'a', 'b', 'c']) enqueue(key);
    await tick();
    expect(started).toEqual(['a']);
    for (let i = 1; i < 6; i += 1) {
      releases[i - 1]!();
      await tick();
    }
    // a queued four views before b and c asked for one each: b and c do not wait for all of a's
    expect(started).toEqual(['a', 'b', 'c', 'a', 'a', 'a']);
  });

  it('refuses a job when its user already has a full queue, without touching other users', async () => {
    const limiter = new FairLimiter(2, 1, 1);
    const started: string[] = [];
    job(limiter, 'a', started);
    job(limiter, 'a', started);
    await expect(limiter.acquire('a')).rejects.toBeInstanceOf(QueueFullError);
    await expect(limiter.acquire('b')).resolves.toBeInstanceOf(Function);
  });

  it('gives a slot back once, however often release is called', async () => {
    const limiter = new FairLimiter(1, 1, 5);
    const release = await limiter.acquire('a');
    release();
    release();
    expect(limiter.counts()).toEqual({ running: 0, waiting: 0 });
    await limiter.acquire('a');
    expect(limiter.counts().running).toBe(1);
  });
});
