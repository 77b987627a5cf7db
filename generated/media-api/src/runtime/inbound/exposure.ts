// A server that listens beyond this machine without inbound auth serves every tool, with
// this server's upstream credentials, to anyone who can reach the port. That is only right
// when something in front (a gateway, a mesh sidecar) authenticates callers, so it takes an
// explicit opt-in: a missing MCP_AUTH_ISSUER must not silently mean "open to the network".

import { BlockList, isIP } from 'node:net';
import { nonEmpty } from '../env.js';

/** The opt-in for serving without inbound auth on a non-loopback address. */
export const ALLOW_UNAUTHENTICATED_ENV = 'MCP_ALLOW_UNAUTHENTICATED';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** True for localhost, 127.0.0.0/8 and ::1 (bracketed or not, IPv4-mapped included); any name is taken as reachable. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare.toLowerCase() === 'localhost') return true;
  const family = isIP(bare);
  return family !== 0 && loopback.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Throws when `host` is not loopback, inbound auth is off and MCP_ALLOW_UNAUTHENTICATED does
 * not opt in; returns a line for the start-up log when the opt-in is what lets it start.
 */
export function checkExposure(host: string, inboundAuth: boolean, env: Record<string, string | undefined>): string | undefined {
  const allowed = readFlag(env, ALLOW_UNAUTHENTICATED_ENV);
  if (inboundAuth || isLoopbackHost(host)) return undefined;
  if (!allowed) {
    throw new Error(
      `HOST=${host} is reachable from other machines, and inbound auth is off. ` +
        'Either turn on inbound OAuth (MCP_AUTH_ISSUER and MCP_AUTH_INTROSPECTION_URL), ' +
        `or, when a gateway in front of this server authenticates every request, set ${ALLOW_UNAUTHENTICATED_ENV}=1. ` +
        'To serve this machine only, set HOST=127.0.0.1.',
    );
  }
  return `Serving without inbound auth on ${host} (${ALLOW_UNAUTHENTICATED_ENV}=1): whatever is in front of this server must authenticate every request.`;
}

/** "1"/"true" on, "0"/"false"/unset off; any other value is refused rather than guessed. */
function readFlag(env: Record<string, string | undefined>, name: string): boolean {
  const raw = env[name];
  const value = nonEmpty(raw)?.toLowerCase();
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new Error(`${name} must be 1 or true (or 0, false, unset), got ${JSON.stringify(raw)}`);
}
