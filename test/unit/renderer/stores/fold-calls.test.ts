import { describe, expect, it } from 'vitest';
import { foldCalls } from '../../../../renderer/stores/fold-calls.js';

/** A fetch whose runs finish only when the test says so, recording the arguments of each run. */
function controlledFetch() {
  const runs: string[] = [];
  const pending: (() => void)[] = [];
  const fetch = (arg: string) =>
    new Promise<void>((resolve) => {
      runs.push(arg);
      pending.push(resolve);
    });
  const finishNext = async () => {
    pending.shift()?.();
    // Let the folded loop see the finished run and start the next one.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { runs, fetch, finishNext };
}

describe('foldCalls', () => {
  it('runs once for a call made while nothing is under way', async () => {
    const { runs, fetch, finishNext } = controlledFetch();
    const folded = foldCalls(fetch);
    const done = folded('a');
    await finishNext();
    await done;
    expect(runs).toEqual(['a']);
  });

  it('folds every call made during a run into one more run, with the arguments that started it', async () => {
    const { runs, fetch, finishNext } = controlledFetch();
    const folded = foldCalls(fetch);
    let settled = 0;
    const calls = [folded('first'), folded('second'), folded('third')].map((call) => call.then(() => settled++));
    expect(runs).toEqual(['first']);
    await finishNext();
    expect(runs).toEqual(['first', 'first']);
    expect(settled).toBe(0);
    await finishNext();
    await Promise.all(calls);
    expect(runs).toEqual(['first', 'first']);
    expect(settled).toBe(3);
  });

  it('starts afresh once a sequence is over', async () => {
    const { runs, fetch, finishNext } = controlledFetch();
    const folded = foldCalls(fetch);
    const first = folded('a');
    await finishNext();
    await first;
    const second = folded('b');
    await finishNext();
    await second;
    expect(runs).toEqual(['a', 'b']);
  });

  it('drops the extra run when told to forget it', async () => {
    const { runs, fetch, finishNext } = controlledFetch();
    const folded = foldCalls(fetch);
    const first = folded('a');
    void folded('a');
    folded.forgetAgain();
    await finishNext();
    await first;
    expect(runs).toEqual(['a']);
  });

  it('hands a failed run to every caller of the sequence and is ready for the next call', async () => {
    let fail = true;
    const runs: number[] = [];
    const folded = foldCalls(async () => {
      runs.push(runs.length);
      if (fail) throw new Error('agent unreachable');
    });
    await expect(folded()).rejects.toThrow('agent unreachable');
    fail = false;
    await expect(folded()).resolves.toBeUndefined();
    expect(runs).toEqual([0, 1]);
  });
});
