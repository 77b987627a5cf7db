/**
 * The official MCP registry names servers `<reverse-DNS namespace>/<name>`; a GitHub
 * login owns `io.github.<login>`. An npm scope is usually that login (or organisation).
 */
export function defaultRegistryName(packageName: string): string {
  const scoped = /^@([^/]+)\/(.+)$/.exec(packageName);
  const namespace = (scoped ? scoped[1]! : packageName).replace(/[^a-zA-Z0-9.-]/g, '-');
  const name = scoped ? scoped[2]! : packageName;
  return `io.github.${namespace}/${name.replace(/[^a-zA-Z0-9._-]/g, '-')}`;
}
