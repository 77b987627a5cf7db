// Redirects stay with the upstream. fetch's own following would carry an apiKey header
// and a 307/308 body to any host a response names (undici drops only Authorization and
// Cookie across origins), so requests go out with `redirect: 'manual'` and this module
// follows a redirect only within the origin the request was built for.

/** Redirects followed for one exchange; more is a loop or a misconfigured upstream. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export type RedirectStep =
  | { readonly kind: 'none' }
  | { readonly kind: 'follow'; readonly url: string; readonly init: RequestInit & { headers: Record<string, string> } }
  | { readonly kind: 'refuse'; readonly message: string };

/**
 * What to do with one response: keep it (`none`), send the next request (`follow`), or stop
 * with a message a model can read (`refuse`). `origin` is the upstream origin the first
 * request went to; `hops` counts redirects already followed.
 */
export function nextRedirect(
  response: Response,
  requestUrl: string,
  init: RequestInit & { headers: Record<string, string> },
  origin: string,
  hops: number,
): RedirectStep {
  if (!REDIRECT_STATUSES.has(response.status)) return { kind: 'none' };
  const location = response.headers.get('location');
  // A 3xx without a Location is an ordinary response (RFC 9110 §15.4): the body says what it means.
  if (location === null) return { kind: 'none' };
  let target: URL;
  try {
    target = new URL(location, requestUrl);
  } catch {
    return { kind: 'refuse', message: `The upstream answered HTTP ${response.status} with a Location that is not a URL; it was not followed.` };
  }
  if (target.origin !== origin) {
    const where = target.protocol === 'http:' || target.protocol === 'https:' ? target.origin : `a ${target.protocol} URL`;
    return {
      kind: 'refuse',
      message:
        `The upstream answered HTTP ${response.status} with a redirect to ${where}, outside ${origin}; ` +
        'it was not followed, so no credentials or data were sent there.',
    };
  }
  if (hops >= MAX_REDIRECTS) {
    return { kind: 'refuse', message: `The upstream redirected more than ${MAX_REDIRECTS} times; the last redirect (HTTP ${response.status}) was not followed.` };
  }
  // 303 always becomes a GET; 301/302 turn a POST into a GET (the Fetch standard's rule,
  // which every HTTP client follows); 307/308 repeat the method and body.
  const method = (init.method ?? 'GET').toUpperCase();
  const toGet = (response.status === 303 && method !== 'GET' && method !== 'HEAD') || ((response.status === 301 || response.status === 302) && method === 'POST');
  if (!toGet) return { kind: 'follow', url: target.href, init };
  const { body: _dropped, ...rest } = init;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(init.headers)) {
    if (name !== 'content-type' && name !== 'content-length') headers[name] = value;
  }
  return { kind: 'follow', url: target.href, init: { ...rest, method: 'GET', headers } };
}
