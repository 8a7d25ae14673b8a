import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@cxauth/platform';
import { makeTestCertificates, TestCertificateFiles } from './test-certificates';

export { freePort };

/**
 * Private redis-server processes for tests of TLS, Sentinel and Cluster (Debian's redis-server is
 * built with TLS). Everything lives in a temp folder and is killed by `stop()`.
 */
export class RedisServers {
  readonly dir = mkdtempSync(join(tmpdir(), 'cxauth-redis-'));
  private readonly children: ChildProcess[] = [];

  /** A self-signed CA and a server certificate for `localhost` / 127.0.0.1, made with openssl. */
  makeTlsFiles(): TestCertificateFiles {
    return makeTestCertificates(this.dir);
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
