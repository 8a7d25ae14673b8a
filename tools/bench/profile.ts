/** Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and by package. */

export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    hitCount?: number;
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileEntry {
  name: string;
  selfMs: number;
  /** Share of the non-idle sampled time, in percent. */
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  byFunction: ProfileEntry[];
  byPackage: ProfileEntry[];
}

/** Where a frame's code lives: an npm package, our own source, node internals, or a V8 pseudo-frame. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  if (url.startsWith('node:')) return 'node (core)';
  const dist = url.indexOf('/dist/');
  if (dist >= 0) {
    const parts = url.slice(dist + '/dist/'.length).split('/');
    return `cxauth ${parts.slice(0, 2).join('/')}`;
  }
  return url.replace(/^file:\/\//, '');
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

export function summariseProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0) {
    samples.forEach((nodeId, index) => {
      // Each delta is the time since the previous sample; attribute it to the sample it precedes.
      const delta = Math.max(0, deltas[index] ?? 0);
      selfUs.set(nodeId, (selfUs.get(nodeId) ?? 0) + delta);
    });
  } else {
    const total = profile.endTime - profile.startTime;
    const hits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0) || 1;
    for (const node of profile.nodes) selfUs.set(node.id, ((node.hitCount ?? 0) / hits) * total);
  }
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let idleUs = 0;
  let totalUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    totalUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const fn = `${functionName || '(anonymous)'}${url ? ` ${shortUrl(url)}:${lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs || 1;
  const rank = (map: Map<string, number>): ProfileEntry[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        selfMs: Math.round(us / 100) / 10,
        percent: Math.round((us / busyUs) * 1000) / 10,
      }));
  return {
    totalMs: Math.round(totalUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    byFunction: rank(byFunction),
    byPackage: rank(byPackage),
  };
}

export function profileMarkdown(summary: ProfileSummary, heading: string): string[] {
  const lines = [
    `### ${heading}`,
    '',
    `Sampled ${summary.totalMs} ms, idle ${summary.idleMs} ms. Self time, share of the busy time:`,
    '',
    '| Package | self ms | % |',
    '|---|---:|---:|',
    ...summary.byPackage.map((entry) => `| ${entry.name} | ${entry.selfMs} | ${entry.percent} |`),
    '',
    '| Function | self ms | % |',
    '|---|---:|---:|',
    ...summary.byFunction.map((entry) => `| \`${entry.name}\` | ${entry.selfMs} | ${entry.percent} |`),
  ];
  return lines;
}
