export function findCorpus(repoRoot: string): string | undefined;
