import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

/** A free loopback port (asked from the kernel, then released for the child to bind). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ProcessStats {
  rssBytes: number;
  /** utime + stime in seconds. */
  cpuSeconds: number;
}

const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux x86-64/arm64

/** RSS and CPU time of a process from /proc (Linux); null when the process is gone. */
export async function processStats(pid: number): Promise<ProcessStats | null> {
  try {
    const [status, stat] = await Promise.all([
      readFile(`/proc/${pid}/status`, 'utf8'),
      readFile(`/proc/${pid}/stat`, 'utf8'),
    ]);
    const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { rssBytes: rss ? Number(rss[1]) * 1024 : 0, cpuSeconds: ticks / CLOCK_TICKS };
  } catch {
    return null;
  }
}

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  stop(timeoutMs?: number): Promise<void>;
}

/** Spawns `node args…` with stdout/stderr appended to a log file. */
export function startNode(name: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ManagedProcess {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (child.pid === undefined) throw new Error(`${name}: could not spawn node`);
  return {
    name,
    child,
    pid: child.pid,
    logFile,
    exited,
    async stop(timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs `node args…` to completion; rejects with its output when it exits non-zero. */
export function runNode(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`node ${args.join(' ')} exited ${code}: ${output.trim()}`));
    });
  });
}

/** Polls a URL until it answers 2xx, or fails when the process dies or the time is up. */
export async function waitForHttp(url: string, managed: ManagedProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void managed.exited.then((code) => (exitCode = code));
  let last = '';
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      const lines = (await readFile(managed.logFile, 'utf8').catch(() => '')).trim().split('\n');
      const reason = lines.find((line) => /"level":"fatal"|fatal|Error/.test(line)) ?? lines.at(-1) ?? '';
      throw new Error(`${managed.name} exited with ${exitCode} before it was ready: ${reason.slice(0, 500)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${managed.name} not ready at ${url} after ${timeoutMs} ms (${last})`);
}

/** Parses `used_cpu_sys` + `used_cpu_user` from Redis `INFO cpu` (seconds). */
export function redisCpuFromInfo(info: string): number | null {
  const sys = /^used_cpu_sys:([\d.]+)/m.exec(info);
  const user = /^used_cpu_user:([\d.]+)/m.exec(info);
  return sys && user ? Number(sys[1]) + Number(user[1]) : null;
}
