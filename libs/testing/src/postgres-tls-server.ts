import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, RedisServers } from './redis-servers';

const POSTGRES_BIN = (() => {
  const versions = readdirSync('/usr/lib/postgresql').sort();
  return join('/usr/lib/postgresql', versions[versions.length - 1] ?? '15', 'bin');
})();

/**
 * A private PostgreSQL cluster with TLS on (certificate for localhost from a throw-away CA), run as the
 * `postgres` OS user. For tests of DATABASE_SSL_MODE; `stop()` removes everything.
 */
export class PostgresTlsServer {
  private readonly dir = mkdtempSync(join(tmpdir(), 'cxauth-pgtls-'));
  private readonly certificates = new RedisServers();
  private child?: ChildProcess;
  port = 0;
  caFile = '';

  async start(): Promise<void> {
    const tls = this.certificates.makeTlsFiles();
    const data = join(this.dir, 'data');
    this.caFile = join(this.dir, 'ca.crt');
    copyFileSync(tls.ca, this.caFile);
    chmodSync(this.dir, 0o755);
    chownSync(this.dir, uid('postgres'), gid('postgres'));
    const asPostgres = (command: string, args: string[]) =>
      execFileSync('runuser', ['-u', 'postgres', '--', join(POSTGRES_BIN, command), ...args], { stdio: 'ignore' });
    asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    for (const [source, name] of [
      [tls.cert, 'server.crt'],
      [tls.key, 'server.key'],
    ] as const) {
      copyFileSync(source, join(data, name));
      chownSync(join(data, name), uid('postgres'), gid('postgres'));
      chmodSync(join(data, name), 0o600);
    }
    writeFileSync(join(data, 'pg_hba.conf'), 'hostssl all all 127.0.0.1/32 trust\nlocal all all trust\n');
    this.port = await freePort();
    this.child = spawn(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        join(POSTGRES_BIN, 'postgres'),
        '-D',
        data,
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'ssl=on',
        '-c',
        `unix_socket_directories=${this.dir}`,
        '-c',
        'fsync=off',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`postgres did not start: ${output}`)), 20_000);
      this.child!.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      this.child!.once('exit', (code) => reject(new Error(`postgres exited ${code}: ${output}`)));
    });
  }

  stop(): void {
    this.child?.kill('SIGINT');
    this.certificates.stop();
    setTimeout(() => rmSync(this.dir, { recursive: true, force: true }), 500).unref();
  }
}

function uid(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}

function gid(user: string): number {
  return Number(execFileSync('id', ['-g', user]).toString().trim());
}
