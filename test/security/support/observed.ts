// What a generated server leaves behind, read back in tests: its JSON log lines on stderr and
// the samples of its Prometheus /metrics.
import { expect } from 'vitest';
import { rawRequest, type HttpServerHandle } from '../../support/mcp.js';

/** The JSON lines of a process's stderr (other lines, such as the start-up line, skipped). */
export function jsonLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Waits (bounded) until `probe` holds: log lines are written after the answer is sent. */
export async function eventually(probe: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !probe(); i++) await new Promise((r) => setTimeout(r, 50));
}

export interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** Prometheus text exposition format, samples only. */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[label[1]!] = label[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

export function sample(samples: Sample[], name: string, labels: Record<string, string>): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

export async function scrape(http: HttpServerHandle): Promise<Sample[]> {
  const res = await rawRequest({ port: http.port, path: '/metrics', method: 'GET' });
  expect(res.status).toBe(200);
  expect(String(res.headers['content-type'])).toContain('text/plain');
  return parseMetrics(res.body);
}
