import type { ScenarioSummary, TargetRole } from './report';

const COLOURS: Record<TargetRole, string> = { ours: '#1f77b4', peer: '#ff7f0e', floor: '#2ca02c', ceiling: '#9e9e9e' };

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * A self-contained SVG: one panel per scenario, a horizontal bar per target (requests/s, each
 * panel on its own linear scale so a slow scenario stays readable), value and p99 printed.
 */
export function renderChart(scenarios: ScenarioSummary[], title: string): string {
  const width = 900;
  const labelWidth = 260;
  const barArea = width - labelWidth - 170;
  const barHeight = 18;
  const gap = 6;
  const panelHeader = 28;
  const parts: string[] = [];
  let y = 40;
  for (const scenario of scenarios) {
    const measured = scenario.targets.filter((target) => !target.unavailable && target.rounds > 0);
    const max = Math.max(1, ...measured.map((target) => target.requestsPerSecond));
    parts.push(`<text x="10" y="${y + 18}" font-size="15" font-weight="bold">${escapeXml(scenario.title)}</text>`);
    y += panelHeader;
    for (const target of scenario.targets) {
      const colour = COLOURS[target.role];
      parts.push(
        `<text x="${labelWidth - 8}" y="${y + barHeight - 5}" font-size="12" text-anchor="end">${escapeXml(target.label)}</text>`,
      );
      if (target.unavailable || target.rounds === 0) {
        parts.push(`<text x="${labelWidth}" y="${y + barHeight - 5}" font-size="12" fill="#b00">not measured</text>`);
      } else {
        const length = Math.max(1, Math.round((target.requestsPerSecond / max) * barArea));
        parts.push(
          `<rect x="${labelWidth}" y="${y}" width="${length}" height="${barHeight}" fill="${colour}"><title>${escapeXml(
            `${target.label}: ${target.requestsPerSecond} req/s, p99 ${target.p99Ms} ms`,
          )}</title></rect>`,
          `<text x="${labelWidth + length + 6}" y="${y + barHeight - 5}" font-size="12">${Math.round(
            target.requestsPerSecond,
          )} req/s · p99 ${target.p99Ms} ms</text>`,
        );
      }
      y += barHeight + gap;
    }
    y += 10;
  }
  const legend = (Object.keys(COLOURS) as TargetRole[])
    .map(
      (role, index) =>
        `<rect x="${width - 300 + index * 95}" y="10" width="12" height="12" fill="${COLOURS[role]}"/><text x="${
          width - 284 + index * 95
        }" y="21" font-size="12">${role}</text>`,
    )
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 10}" viewBox="0 0 ${width} ${y + 10}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="22" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    legend,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
