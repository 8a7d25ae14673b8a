import Redis from 'ioredis';

type SendCommandArgs = Parameters<Redis['sendCommand']>;

/**
 * An ioredis client that sends every command issued during one event-loop turn in one socket write.
 *
 * Each command used to be its own `write()` system call — on a busy token endpoint the largest single
 * cost per request (docs/performance.md). Here the first command of a turn corks the socket and a
 * `setImmediate` uncorks it once the turn's I/O callbacks have run, so Node flushes the queued commands
 * with one `writev`. A command waits at most for the rest of the current turn; replies, ordering and
 * errors are ioredis's own. A pipeline's single write joins the turn's batch; commands queued while
 * Redis is away are written as ioredis flushes them on reconnect.
 */
export class CoalescingRedis extends Redis {
  private flushScheduled = false;

  override sendCommand(...[command, stream]: SendCommandArgs): unknown {
    if (!this.flushScheduled && this.status === 'ready' && this.stream.writable) {
      const socket = this.stream;
      this.flushScheduled = true;
      socket.cork();
      setImmediate(() => {
        this.flushScheduled = false;
        socket.uncork();
      });
    }
    return super.sendCommand(command, stream);
  }
}
