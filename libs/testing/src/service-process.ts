import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The built fixture service (real platform bootstrap, PostgreSQL and Redis pools, one slow route). */
export const SLOW_SERVICE_FIXTURE = join(__dirname, '../../../dist/libs/testing/src/fixtures/slow-service.js');

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  managementUrl: string;
  /** Everything the process wrote, stdout and stderr. */
  output: string[];
}

/** Starts a built service as a real process; resolves with its URLs from the startup log line. */
export function startServiceProcess(script: string, env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', MANAGEMENT_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no startup line: ${output.join('')}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = /"url":"(https?:\/\/[^"]+)","managementUrl":"(https?:\/\/[^"]+)"/.exec(chunk.toString());
      if (match?.[1] && match[2]) {
        clearTimeout(timer);
        resolve({ child, url: match[1], managementUrl: match[2], output });
      }
    });
  });
}
