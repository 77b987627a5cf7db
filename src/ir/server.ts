import type { ServerNode } from './types.js';

// https://spec.openapis.org/oas/v3.1.0#server-object
/** Server URLs with their variables replaced by their defaults. */
export function buildServers(list: unknown, pointer: string): ServerNode[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((server, index) => {
    if (!server || typeof server.url !== 'string') return [];
    const variables = (server.variables ?? {}) as Record<string, { default?: unknown }>;
    const url = server.url.replace(/\{([^}]+)\}/g, (whole: string, name: string) => {
      const fallback = variables[name]?.default;
      return fallback === undefined ? whole : String(fallback);
    });
    return [{ kind: 'server' as const, pointer: `${pointer}/${index}`, url }];
  });
}

