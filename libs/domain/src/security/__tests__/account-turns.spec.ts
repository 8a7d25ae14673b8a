import { AccountTurns } from '../account-turns';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AccountTurns', () => {
  it('lets `limit` checks of one account run, then holds the next until one ends', async () => {
    const turns = new AccountTurns();
    const first = await turns.take('user:a', 2);
    const second = await turns.take('user:a', 2);
    expect(first).toEqual(expect.any(Function));
    expect(second).toEqual(expect.any(Function));
    let woke = false;
    const third = turns.take('user:a', 2).then((release) => {
      woke = true;
      return release;
    });
    await tick();
    expect(woke).toBe(false);
    first!();
    // The waiter resumes without a turn: it reads the counters again and asks anew.
    await expect(third).resolves.toBeNull();
    expect(await turns.take('user:a', 2)).toEqual(expect.any(Function));
  });

  it('counts ended checks (the generation a caller compares before asking for a turn)', async () => {
    const turns = new AccountTurns();
    const running = await turns.take('user:a', 5);
    const before = turns.generation;
    running!();
    expect(turns.generation).toBe(before + 1);
  });

  it('counts accounts apart, always allows one, and forgets idle accounts', async () => {
    const turns = new AccountTurns();
    const a = await turns.take('user:a', 1);
    const b = await turns.take('user:b', 0);
    expect(b).toEqual(expect.any(Function));
    expect(turns.busyAccounts).toBe(2);
    a!();
    a!(); // a second release is ignored
    b!();
    expect(turns.busyAccounts).toBe(0);
    expect(await turns.take('user:a', 1)).toEqual(expect.any(Function));
  });

  it('wakes every waiter when a check ends (one that then finds the account locked leaves without a turn)', async () => {
    const turns = new AccountTurns();
    const running = await turns.take('user:a', 1);
    const woken: (string | null)[] = [];
    const waiters = [1, 2, 3].map(() => turns.take('user:a', 1).then((release) => woken.push(release && 'turn')));
    await tick();
    expect(woken).toEqual([]);
    running!();
    await Promise.all(waiters);
    expect(woken).toEqual([null, null, null]);
    expect(turns.busyAccounts).toBe(0);
  });
});
