interface AccountState {
  running: number;
  waiting: (() => void)[];
}

/**
 * How many credential checks of one account run at once in this process. Failures are counted after
 * the check (so a good credential writes nothing); without a bound, a parallel burst would have every
 * attempt in flight checked before the counter reached the lockout. With at most `limit` running
 * (the failures the account may still have), the burst on one replica stops exactly at the lockout;
 * later attempts wait until a check ends and then read the counters again (all of them: a waiter that
 * then finds the account locked leaves without a turn, so none may be left waiting on it). Good logins of one account are
 * held only while as many checks of it run as it has failures left (the argon2 gate holds them anyway).
 */
export class AccountTurns {
  private readonly accounts = new Map<string, AccountState>();
  private ended = 0;

  /**
   * Checks ended so far. Read it before the counters: if it changed by the time the turn is asked, a
   * check ended meanwhile and the read may have missed its failure, so the caller reads again.
   */
  get generation(): number {
    return this.ended;
  }

  /**
   * A release to call once the check and its counting are done, or null after waiting for a running
   * check to end (the caller reads the counters again and asks anew). Called in the same tick as the
   * comparison of `generation` with the one read before the counters.
   */
  async take(account: string, limit: number): Promise<(() => void) | null> {
    let state = this.accounts.get(account);
    if (!state) {
      state = { running: 0, waiting: [] };
      this.accounts.set(account, state);
    }
    if (state.running < Math.max(1, limit)) {
      state.running += 1;
      return once(() => this.release(account));
    }
    await new Promise<void>((resolve) => state.waiting.push(resolve));
    this.forgetIfIdle(account);
    return null;
  }

  /** Accounts with a check running or waiting (for tests and metrics). */
  get busyAccounts(): number {
    return this.accounts.size;
  }

  private release(account: string): void {
    const state = this.accounts.get(account);
    if (!state) return;
    this.ended += 1;
    state.running -= 1;
    const waiting = state.waiting.splice(0);
    for (const wake of waiting) wake();
    if (waiting.length === 0) this.forgetIfIdle(account);
  }

  private forgetIfIdle(account: string): void {
    const state = this.accounts.get(account);
    if (state && state.running === 0 && state.waiting.length === 0) this.accounts.delete(account);
  }
}

function once(action: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    action();
  };
}
