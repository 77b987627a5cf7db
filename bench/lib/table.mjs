// One plain-text table: spec | metric | mcpgen | peer | mcpgen/peer.
const fmt = (v, digits = 2) => (v === null || v === undefined || Number.isNaN(v) ? '-' : v >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(digits));
const MAX_ERROR = 90;
const fail = (error) => `FAIL: ${String(error).length > MAX_ERROR ? `${String(error).slice(0, MAX_ERROR - 1)}…` : error}`;

function stageCell(stage, value, unit = '') {
  if (!stage) return 'n/a';
  if (stage.error && (value === null || value === undefined)) return fail(stage.error);
  const text = `${fmt(value)}${unit}`;
  if (stage.ok === false) return `${text} ${fail(stage.error)}`;
  return text;
}

function ratio(a, b) {
  return typeof a === 'number' && typeof b === 'number' && b !== 0 ? `${(a / b).toFixed(2)}x` : '-';
}

/** mcpgen's discovery mode (the peer has none): [metric, mcpgen cell, peer cell, ratio]. */
function discoveryRows(d) {
  if (d.error) return [['discovery mode', fail(d.error), 'n/a', '-']];
  return [
    ['tools/list o200k tokens: all / discovery', `${fmt(d.all.tokens, 0)} / ${fmt(d.discovery.tokens, 0)}`, 'n/a', '-'],
    ['spawn → tools/list ms: all / discovery', `${fmt(d.all.coldMs, 0)} / ${fmt(d.discovery.coldMs, 0)}`, 'n/a', '-'],
    ['search_tools p50 / p99 ms (in process)', `${fmt(d.searchP50Ms, 3)} / ${fmt(d.searchP99Ms, 3)}`, 'n/a', '-'],
  ];
}

/** Rows for one spec: [metric, mcpgen cell, peer cell, ratio]. */
function rows(spec, A, B) {
  const m = spec.sides[A] ?? {}, p = spec.sides[B] ?? {};
  // A ratio only when both sides passed the stage (`stage` picks it; ok === false means failed).
  const row = (label, get, cell, stage = () => null) => {
    const [a, b] = [get(m), get(p)];
    const failed = (x) => stage(x)?.ok === false;
    return [label, cell(m, a), cell(p, b), failed(m) || failed(p) ? '-' : ratio(a, b)];
  };
  const passCell = (s) => (!s ? 'n/a' : !s.ran ? fail(s.error) : `${fmt(s.seconds)} s, ${fmt(s.peakMb, 0)} MB, ${s.ok ? 'pass' : fail(s.error)}`);
  const out = [
    row('generate: wall s', (x) => x.generate?.seconds, (x, v) => stageCell(x.generate, v), (x) => x.generate),
    row('generate: peak MB', (x) => x.generate?.peakMb, (x, v) => (x.generate?.ok === false ? 'FAIL (see above)' : fmt(v, 0)), (x) => x.generate),
    row('build: wall s', (x) => (x.build?.ran ? x.build.seconds : null), (x) => passCell(x.build), (x) => x.build),
    row('build: peak MB', (x) => (x.build?.ran ? x.build.peakMb : null), (x, v) => (x.build?.ran ? fmt(v, 0) : '-'), (x) => x.build),
    row('generate + build: s', (x) => x.generateAndBuild?.seconds, (x, v) => fmt(v)),
  ];
  if (m.noEmit || p.noEmit) out.push(row('tsc --noEmit: s', (x) => (x.noEmit?.ran ? x.noEmit.seconds : null), (x) => passCell(x.noEmit), (x) => x.noEmit));
  out.push(
    row('stdio spawn → tools/list ms', (x) => x.stdio?.coldMs, (x, v) => (x.stdio?.error ? fail(x.stdio.error) : `${fmt(v, 0)}`)),
    row('tools/list bytes (≈tokens)', (x) => x.stdio?.bytes, (x, v) => (x.stdio?.bytes ? `${fmt(v)} (${fmt(x.stdio.tokens)}) / ${x.stdio.tools} tools${x.stdio.pages > 1 ? ` in ${x.stdio.pages} pages` : ''}` : '-')),
    row('tools/list core bytes', (x) => x.stdio?.coreBytes, (x, v) => (x.stdio?.bytes ? fmt(v) : '-')),
    row('tools/list description text bytes', (x) => x.stdio?.descriptionBytes, (x, v) => (x.stdio?.bytes ? fmt(v) : '-')),
    row('tools/list bytes per tool (≈tok)', (x) => x.stdio?.bytesPerTool, (x, v) => (x.stdio?.bytes ? `${fmt(v, 0)} (${fmt(x.stdio.tokensPerTool, 0)})` : '-')),
    ...(m.discovery ? discoveryRows(m.discovery) : []),
    row('tools/call overhead median ms', (x) => x.call?.overheadMedian, (x, v) => (x.call?.error ? fail(x.call.error) : `${fmt(v, 3)}`)),
    row('tools/call overhead p99 ms', (x) => x.call?.overheadP99, (x, v) => (x.call?.error ? '-' : `${fmt(v, 3)}`)),
    row('HTTP tools/call req/s', (x) => x.http?.rps, (x, v) => (x.http?.rps ? `${fmt(v, 0)}${x.http.non2xx || x.http.errors ? ` (${x.http.non2xx} non-2xx, ${x.http.errors} errors)` : ''}${x.http.error ? ` then ${fail(x.http.error)}` : ''}` : fail(x.http?.error ?? 'not run'))),
    row('HTTP RSS after load MB', (x) => x.http?.rssMb, (x, v) => fmt(v, 0)),
  );
  return out;
}

export function renderTable(report, [A, B]) {
  const header = ['spec', 'metric', A, B, `${A}/${B}`];
  const body = [];
  for (const spec of report.specs) {
    const title = `${spec.key}${spec.operations ? ` (${spec.operations} ops)` : ''}`;
    rows(spec, A, B).forEach((r, i) => body.push([i === 0 ? title : '', ...r]));
    body.push(null);
  }
  const all = [header, ...body.filter(Boolean)];
  const widths = header.map((_, c) => Math.max(...all.map((r) => String(r[c]).length)));
  const line = (r) => r.map((v, c) => String(v).padEnd(widths[c])).join(' | ').trimEnd();
  const sep = widths.map((w) => '-'.repeat(w)).join('-+-');
  const out = [line(header), sep];
  for (const r of body) out.push(r ? line(r) : sep);
  return out.join('\n');
}
