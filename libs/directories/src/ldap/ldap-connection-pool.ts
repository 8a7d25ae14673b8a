import { Client, ResultCodeError } from 'ldapts';

export interface LdapConnectionOptions {
  urls: string[];
  startTls: boolean;
  caCertificate?: string;
  timeoutMs: number;
  connectTimeoutMs: number;
}

/** No URL could be reached (connection refused, timeout, TLS failure). */
export class LdapUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LdapUnreachable';
  }
}

/**
 * A client on the first URL that can be reached, upgraded with StartTLS where configured, after
 * `open` (a bind) succeeded on it. An LDAP answer (e.g. invalid credentials) is final; only a
 * connection failure moves on to the next URL.
 */
export async function connect(
  options: LdapConnectionOptions,
  open: (client: Client) => Promise<void>,
): Promise<Client> {
  const failures: string[] = [];
  const tlsOptions = { ...(options.caCertificate && { ca: options.caCertificate }), minVersion: 'TLSv1.2' as const };
  for (const url of options.urls) {
    const client = new Client({
      url,
      timeout: options.timeoutMs,
      connectTimeout: options.connectTimeoutMs,
      ...(url.startsWith('ldaps://') && { tlsOptions }),
      strictDN: false,
    });
    try {
      if (options.startTls && url.startsWith('ldap://')) await client.startTLS(tlsOptions);
      await open(client);
      return client;
    } catch (error) {
      await client.unbind().catch(() => undefined);
      if (error instanceof ResultCodeError) throw error;
      failures.push(`${url}: ${(error as Error).message}`);
    }
  }
  throw new LdapUnreachable(failures.join('; ') || 'no LDAP URL configured');
}

/**
 * Search connections bound as the service account, reused across sign-ins (at most `size` open).
 * User binds never use them: a bind changes a connection's identity.
 */
export class LdapConnectionPool {
  private readonly idle: Client[] = [];
  private open = 0;
  private readonly waiting: ((client: Client | null) => void)[] = [];
  private closed = false;

  constructor(
    private readonly options: LdapConnectionOptions,
    private readonly size: number,
    private readonly bind: (client: Client) => Promise<void>,
  ) {}

  async use<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.acquire();
    let healthy = true;
    try {
      return await work(client);
    } catch (error) {
      healthy = false;
      throw error;
    } finally {
      this.release(client, healthy);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const clients = this.idle.splice(0);
    await Promise.all(clients.map((client) => client.unbind().catch(() => undefined)));
  }

  private async acquire(): Promise<Client> {
    for (let client = this.idle.pop(); client !== undefined; client = this.idle.pop()) {
      if (client.isConnected) return client;
      this.open--;
      await client.unbind().catch(() => undefined);
    }
    if (this.open >= this.size) {
      const handed = await new Promise<Client | null>((resolve) => this.waiting.push(resolve));
      if (handed) return handed;
      return this.acquire();
    }
    this.open++;
    try {
      return await connect(this.options, this.bind);
    } catch (error) {
      this.open--;
      this.waiting.shift()?.(null);
      throw error;
    }
  }

  private release(client: Client, healthy: boolean): void {
    if (!healthy || this.closed || !client.isConnected) {
      this.open--;
      void client.unbind().catch(() => undefined);
      this.waiting.shift()?.(null);
      return;
    }
    const next = this.waiting.shift();
    if (next) next(client);
    else this.idle.push(client);
  }
}
