/** The changelog as Markdown, for a pull request comment or a CHANGELOG entry. Pure. */
import type { ChangeLevel, ChangelogEntry, SurfaceChangelog } from './changelog.js';

const HEADINGS: Record<ChangeLevel, string> = {
  major: 'Breaking changes',
  minor: 'Additions',
  patch: 'Other changes',
};

/** Inline code that holds any text: the fence is longer than any run of backticks inside. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\n/g, ' ')}${pad}${fence}`;
}

function entryLine(e: ChangelogEntry): string {
  const subject = `${e.area} ${code(e.name)}`;
  switch (e.kind) {
    case 'added':
      return `- ${subject} added`;
    case 'removed':
      return `- ${subject} removed`;
    case 'renamed':
      return `- ${subject} renamed to ${code(e.detail ?? '')}`;
    default:
      return `- ${subject}: ${(e.detail ?? '').replace(/\n/g, ' ')}`;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function changelogMarkdown(changelog: SurfaceChangelog, title: string): string {
  const lines = [`# ${title}`, ''];
  if (changelog.bump === 'none') {
    lines.push('No change to the MCP surface: no version bump needed.');
    return lines.join('\n');
  }
  const { counts } = changelog;
  lines.push(`Suggested version bump: **${changelog.bump}** (${plural(counts.major, 'breaking change')}, ${plural(counts.minor, 'addition')}, ${plural(counts.patch, 'other change')}).`);
  for (const level of ['major', 'minor', 'patch'] as const) {
    const entries = changelog.entries.filter((e) => e.level === level);
    if (entries.length) lines.push('', `## ${HEADINGS[level]}`, '', ...entries.map(entryLine));
  }
  return lines.join('\n');
}
