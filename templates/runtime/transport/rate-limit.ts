// Inbound rate limiting per client (opt-in: MCPGEN_RATE_LIMIT_PER_MINUTE). A token bucket
// per client key holds up to a minute's allowance and refills continuously, so a client may
// burst to its limit and then gets its share spread over the minute. Tracked clients are
// capped: the least recently seen is forgotten first, which costs it nothing a minute's
// idleness would not have given it back anyway (a full bucket).
//
// Hand-written rather than a dependency: it is one Map and two numbers per client, and the
// maintained limiters (rate-limiter-flexible, express-rate-limit) bring stores, middleware
// shapes and fixed windows this server does not need.

import type { AuthInfo } from '@modelcontextprotocol/server';
import { integerFromEnv } from '../env.js';

export interface RateLimitSettings {
  /** Requests per client per minute; 0 turns the limit off. */
  readonly perMinute: number;
  /** Most clients tracked at once. */
  readonly maxClients: number;
}

export const DEFAULT_RATE_LIMIT_CLIENTS = 10_000;

export function readRateLimit(env: Record<string, string | undefined>): RateLimitSettings {
  return {
    perMinute: integerFromEnv(env, 'MCPGEN_RATE_LIMIT_PER_MINUTE', 0, { min: 0, max: 1_000_000, unit: 'requests per minute' }),
    maxClients: integerFromEnv(env, 'MCPGEN_RATE_LIMIT_MAX_CLIENTS', DEFAULT_RATE_LIMIT_CLIENTS, { min: 1, max: 10_000_000, unit: 'clients' }),
  };
}

/** The client a request counts against: the token's subject, else its client id, else the remote address. */
export function rateLimitClient(remoteAddress: string | undefined, info?: AuthInfo): string {
  const sub = info?.extra?.['sub'];
  if (typeof sub === 'string') return `sub:${sub}`;
  if (info !== undefined && info.clientId !== '') return `client:${info.clientId}`;
  return `address:${remoteAddress ?? ''}`;
}

interface Bucket {
  tokens: number;
  updated: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = settings.perMinute / 60_000;
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Takes one token for `client`: undefined when allowed, else the seconds until the next token (Retry-After). */
  take(client: string): number | undefined {
    const now = this.now();
    const capacity = this.settings.perMinute;
    let bucket = this.buckets.get(client);
    if (bucket === undefined) {
      bucket = { tokens: capacity, updated: now };
      if (this.buckets.size >= this.settings.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
    } else {
      // Re-inserted: Map order is then least recently seen first.
      this.buckets.delete(client);
      bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updated) * this.perMs);
      bucket.updated = now;
    }
    this.buckets.set(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }
}
