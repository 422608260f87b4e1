import { GroupCommitBuffer, type GroupWriter } from './group-commit.js';

/** A writer that records each group it is given. */
function recordingWriter(): { groups: number[][][]; writer: GroupWriter<number, string> } {
  const groups: number[][][] = [];
  const writer: GroupWriter<number, string> = (requests) => {
    groups.push(requests.map((r) => [...r]));
    return Promise.resolve(requests.map((r) => `ok:${r.length}`));
  };
  return { groups, writer };
}

describe('GroupCommitBuffer', () => {
  it('writes concurrent requests as one group and answers each with its own outcome', async () => {
    const rec = recordingWriter();
    const buffer = new GroupCommitBuffer(rec.writer, {
      maxBatchRows: 100,
      maxWaitMs: 5,
      maxPendingRows: 1000,
      maxConcurrentWrites: 1,
    });
    const outcomes = await Promise.all([buffer.submit([1, 2]), buffer.submit([3]), buffer.submit([4, 5, 6])]);
    expect(outcomes).toEqual(['ok:2', 'ok:1', 'ok:3']);
    expect(rec.groups).toEqual([[[1, 2], [3], [4, 5, 6]]]);
  });

  it('never splits a request across two writes, and starts a write as soon as a group is full', async () => {
    const rec = recordingWriter();
    const buffer = new GroupCommitBuffer(rec.writer, {
      maxBatchRows: 3,
      maxWaitMs: 1000,
      maxPendingRows: 1000,
      maxConcurrentWrites: 1,
    });
    const started = Date.now();
    await Promise.all([buffer.submit([1, 2]), buffer.submit([3, 4]), buffer.submit([5])]);
    expect(rec.groups).toEqual([[[1, 2]], [[3, 4], [5]]]);
    // the first group filled up, so nobody waited for the 1 s window
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('does not answer a request before its write has completed', async () => {
    let finishWrite: () => void = () => undefined;
    const writer: GroupWriter<number, string> = () => new Promise((r) => (finishWrite = () => r(['done'])));
    const buffer = new GroupCommitBuffer(writer, {
      maxBatchRows: 10,
      maxWaitMs: 1,
      maxPendingRows: 100,
      maxConcurrentWrites: 1,
    });
    let answered = false;
    const p = buffer.submit([1]).then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    expect(buffer.pendingRows).toBe(1);
    finishWrite();
    await p;
    expect(answered).toBe(true);
    expect(buffer.pendingRows).toBe(0);
  });

  it('fails every request of a group whose write failed, and keeps serving afterwards', async () => {
    let fail = true;
    const writer: GroupWriter<number, string> = (requests) =>
      fail ? Promise.reject(new Error('disk full')) : Promise.resolve(requests.map(() => 'ok'));
    const buffer = new GroupCommitBuffer(writer, {
      maxBatchRows: 10,
      maxWaitMs: 1,
      maxPendingRows: 100,
      maxConcurrentWrites: 1,
    });
    const results = await Promise.allSettled([buffer.submit([1]), buffer.submit([2])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(buffer.submit([3])).resolves.toBe('ok');
  });

  it('makes requests wait when the buffer is full instead of dropping them', async () => {
    const writes: number[][][] = [];
    let release: () => void = () => undefined;
    let gate = new Promise<void>((r) => (release = r));
    const writer: GroupWriter<number, string> = async (requests) => {
      writes.push(requests.map((r) => [...r]));
      await gate;
      return requests.map(() => 'ok');
    };
    const buffer = new GroupCommitBuffer(writer, {
      maxBatchRows: 2,
      maxWaitMs: 1,
      maxPendingRows: 4,
      maxConcurrentWrites: 1,
    });
    const submitted = [1, 2, 3, 4, 5, 6].map((n) => buffer.submit([n, n]));
    await new Promise((r) => setTimeout(r, 20));
    // one write in flight (2 rows) + one queued (2 rows) fill the bound: the other four requests wait outside
    expect(buffer.pendingRows).toBe(4);
    release();
    gate = Promise.resolve();
    await expect(Promise.all(submitted)).resolves.toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(writes.flat()).toHaveLength(6);
  });

  it('lets a request larger than the bound through on its own rather than blocking forever', async () => {
    const writer: GroupWriter<number, string> = (requests) => Promise.resolve(requests.map((r) => `ok:${r.length}`));
    const buffer = new GroupCommitBuffer(writer, {
      maxBatchRows: 2,
      maxWaitMs: 1,
      maxPendingRows: 3,
      maxConcurrentWrites: 1,
    });
    await expect(buffer.submit([1, 2, 3, 4, 5])).resolves.toBe('ok:5');
  });

  it('runs up to maxConcurrentWrites writes at once', async () => {
    let active = 0;
    let peak = 0;
    const writer: GroupWriter<number, string> = async (requests) => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 20));
      active -= 1;
      return requests.map(() => 'ok');
    };
    const buffer = new GroupCommitBuffer(writer, {
      maxBatchRows: 1,
      maxWaitMs: 1,
      maxPendingRows: 100,
      maxConcurrentWrites: 2,
    });
    await Promise.all([1, 2, 3, 4, 5].map((n) => buffer.submit([n])));
    expect(peak).toBe(2);
    expect(buffer.stats.writes).toBe(5);
  });

  it('admits waiting requests in arrival order, so a large one is not overtaken by later small ones', async () => {
    const order: number[] = [];
    const writer: GroupWriter<number, string> = async (requests) => {
      await new Promise((r) => setTimeout(r, 5));
      for (const r of requests) order.push(r.length);
      return requests.map(() => 'ok');
    };
    const buffer = new GroupCommitBuffer(writer, {
      maxBatchRows: 10,
      maxWaitMs: 1,
      maxPendingRows: 10,
      maxConcurrentWrites: 1,
    });
    const first = buffer.submit(Array(6).fill(0));
    const large = buffer.submit(Array(8).fill(0)); // does not fit beside the first: waits
    const small = buffer.submit([1]); // would fit, but arrived after the large one: waits behind it
    await Promise.all([first, large, small]);
    expect(order).toEqual([6, 8, 1]);
  });
});
