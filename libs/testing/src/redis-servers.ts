import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@cxauth/platform';

export { freePort };

/**
 * Private redis-server processes for tests of TLS, Sentinel and Cluster (Debian's redis-server is
 * built with TLS). Everything lives in a temp folder and is killed by `stop()`.
 */
export class RedisServers {
  readonly dir = mkdtempSync(join(tmpdir(), 'cxauth-redis-'));
  private readonly children: ChildProcess[] = [];

  /** A self-signed CA and a server certificate for `localhost` / 127.0.0.1, made with openssl. */
  makeTlsFiles(): { ca: string; cert: string; key: string } {
    const file = (name: string) => join(this.dir, name);
    const run = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=cxauth-test-ca',
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.crt'),
    );
    writeFileSync(file('san.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    run(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-keyout',
      file('server.key'),
      '-out',
      file('server.csr'),
    );
    run(
      'x509',
      '-req',
      '-in',
      file('server.csr'),
      '-CA',
      file('ca.crt'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      file('san.cnf'),
      '-out',
      file('server.crt'),
    );
    return { ca: file('ca.crt'), cert: file('server.crt'), key: file('server.key') };
  }

  async start(args: string[], port: number, readyText = 'Ready to accept connections'): Promise<void> {
    const child = spawn('redis-server', [...args, '--dir', this.dir, '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis on ${port} did not start: ${output}`)), 10_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(readyText)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`redis on ${port} exited ${code}: ${output}`)));
    });
  }

  stop(): void {
    for (const child of this.children) child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
