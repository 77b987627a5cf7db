// Tables and failure groups for the console, and the JSON report.
import { STAGES } from './pipeline.mjs';

const LABELS = { generated: 'generated', typeChecked: 'type-checked', started: 'started', schemasValid: 'schemas valid', callsAccepted: 'calls accepted' };

export function stageTable(results) {
  const total = results.length;
  const rows = [['stage', 'pass', 'fail', 'skip', 'not run', '% of specs passing']];
  for (const stage of STAGES) {
    const count = (s) => results.filter((r) => r.stages[stage] === s).length;
    const pass = count('pass');
    const skip = count('skip');
    rows.push([LABELS[stage], pass, count('fail'), skip, count('not-run'), total ? `${((100 * (pass + skip)) / total).toFixed(1)}%` : '-']);
  }
  const all = results.filter((r) => STAGES.every((s) => r.stages[s] === 'pass' || r.stages[s] === 'skip')).length;
  rows.push(['every stage', all, total - all, '', '', total ? `${((100 * all) / total).toFixed(1)}%` : '-']);
  const calls = results.flatMap((r) => r.calls ?? []);
  const noSample = results.reduce((n, r) => n + (r.noSample ?? 0), 0);
  return `${formatRows(rows)}\n(${total} specs; "skip" = no tool call could be sampled and counts as passing; calls: ${calls.filter((c) => c.accepted).length}/${calls.length} accepted, ${noSample} tools without a sample)`;
}

function formatRows(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r, ri) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ') + (ri === 0 ? `\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : '')).join('\n');
}

/** A cause key: stage, code and the message with names and numbers blanked out. */
export function causeOf(stage, error) {
  const msg = String(error.message ?? '')
    .replace(/^[A-Za-z0-9_]+ \((GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE)? ?[^)]*\): /, '')
    .replace(/^[a-z0-9_]+: /i, '')
    .replace(/'[^']*'|"[^"]*"|`[^`]*`/g, '…')
    .replace(/\/[^\s,;:)]+/g, '/…')
    .replace(/\b\d+(\.\d+)?\b/g, '#')
    .slice(0, 160);
  return `${LABELS[stage] ?? stage} · ${error.code ?? ''} · ${msg}`;
}

export function failureGroups(results) {
  const groups = new Map();
  for (const r of results) {
    if (!r.failedStage) continue;
    const causes = new Set((r.errors ?? []).map((e) => causeOf(r.failedStage, e)));
    for (const cause of causes) {
      if (!groups.has(cause)) groups.set(cause, { cause, specs: [], example: undefined });
      const g = groups.get(cause);
      g.specs.push(r.id);
      g.example ??= (r.errors ?? []).find((e) => causeOf(r.failedStage, e) === cause)?.message;
    }
  }
  return [...groups.values()].sort((a, b) => b.specs.length - a.specs.length || a.cause.localeCompare(b.cause));
}

export function printFailures(results) {
  const groups = failureGroups(results);
  if (!groups.length) return 'No failures.';
  return groups
    .map((g) => `• [${g.specs.length}] ${g.cause}\n    e.g. ${String(g.example ?? '').slice(0, 400)}\n    specs: ${g.specs.join(', ')}`)
    .join('\n');
}
