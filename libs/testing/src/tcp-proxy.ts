import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { Transform } from 'node:stream';

/**
 * A TCP relay in front of a real dependency (PostgreSQL, Redis) that a test can cut and restore,
 * to see how a service behaves while the dependency is unreachable.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private listenPort = 0;
  private armed?: { marker: Buffer; passed: () => void };

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  get port(): number {
    return this.listenPort;
  }

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = new Socket();
      this.track(client);
      this.track(upstream);
      upstream.connect(this.targetPort, this.targetHost);
      let lingering = false;
      const inspect = new Transform({
        transform: (chunk: Buffer, _encoding, callback) => {
          const armed = this.armed;
          callback(null, chunk);
          if (!armed || !chunk.includes(armed.marker)) return;
          this.armed = undefined;
          lingering = true;
          // The dependency gets the message, then the end of the stream; the caller never hears back.
          setImmediate(() => {
            upstream.end();
            client.destroy();
            armed.passed();
          });
        },
      });
      client.pipe(inspect).pipe(upstream);
      upstream.pipe(client);
      const closeBoth = () => {
        client.destroy();
        if (lingering) upstream.end();
        else upstream.destroy();
      };
      client.on('error', closeBoth).on('close', closeBoth);
      upstream.on('error', closeBoth).on('close', closeBoth);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.listenPort, '127.0.0.1', resolve));
    this.listenPort = (this.server!.address() as AddressInfo).port;
  }

  /**
   * Arms a one-shot fault: the next chunk a caller sends that contains `marker` (e.g. PostgreSQL's
   * `COMMIT`) reaches the dependency, then that caller's connection drops before any answer. Resolves
   * once it happened. The relay keeps serving other connections.
   */
  dropAnswerAfter(marker: string): Promise<void> {
    return new Promise((resolve) => (this.armed = { marker: Buffer.from(marker), passed: resolve }));
  }

  /** Drops every open connection and refuses new ones until `start()` again (same port). */
  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  async stop(): Promise<void> {
    await this.cut();
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }
}
