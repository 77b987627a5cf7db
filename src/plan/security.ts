import type { SecurityOverride } from '../config/schema.js';
import { pointerOf, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ApiModel, OperationNode, SecuritySchemeNode } from '../ir/types.js';
import { checkEnvironment, type EnvClaim } from './environment.js';
import { headerNameProblem } from './header-names.js';
import { closestMatch, toEnvName } from './naming.js';
import type { SecuritySchemePlan } from './types.js';

export interface SecurityPlanInput {
  readonly model: ApiModel;
  /** `<NAME>`: default variables are `<NAME>_<SCHEME>`. */
  readonly prefix: string;
  /** The base-URL override the runtime reads; no scheme may read it too. */
  readonly baseUrlEnv: string;
  /** The server's `security` config: variables per scheme name. */
  readonly overrides: Readonly<Record<string, SecurityOverride>>;
  readonly configFile: string;
  readonly serverIndex: number;
}

/** The scheme's variables: the configured ones, else `<PREFIX>_<SCHEME>` (`_USERNAME`/`_PASSWORD` for basic). */
function variablesOf(scheme: SecuritySchemeNode, basic: boolean, input: SecurityPlanInput, diagnostics: Diagnostic[]): Record<string, { variable: string; configured: boolean }> {
  const base = `${input.prefix}_${toEnvName(scheme.name)}`;
  const override = Object.hasOwn(input.overrides, scheme.name) ? input.overrides[scheme.name] : undefined;
  const misplaced = basic ? (override?.env !== undefined ? ['env'] : []) : (['usernameEnv', 'passwordEnv'] as const).filter((k) => override?.[k] !== undefined);
  for (const key of misplaced) {
    diagnostics.push({
      code: 'MCPGEN_SECURITY_CONFIG',
      severity: 'error',
      file: input.configFile,
      pointer: pointerOf('servers', input.serverIndex, 'security', scheme.name, key),
      message: `Security scheme "${scheme.name}" is ${basic ? 'HTTP basic: it reads usernameEnv and passwordEnv, not env' : 'a single credential: it reads env, not usernameEnv or passwordEnv'}.`,
      help: basic ? 'Set "usernameEnv" and "passwordEnv".' : 'Set "env".',
    });
  }
  const pick = (configured: string | undefined, fallback: string) => ({ variable: configured ?? fallback, configured: configured !== undefined });
  return basic
    ? { usernameEnv: pick(override?.usernameEnv, `${base}_USERNAME`), passwordEnv: pick(override?.passwordEnv, `${base}_PASSWORD`) }
    : { env: pick(override?.env, base) };
}

/**
 * Supported schemes with the env variables that carry their credentials, each checked
 * against every other variable the server reads (see checkEnvironment).
 */
export function planSecuritySchemes(input: SecurityPlanInput, diagnostics: Diagnostic[]): SecuritySchemePlan[] {
  const { model } = input;
  const plans: SecuritySchemePlan[] = [];
  const claims: EnvClaim[] = [{ variable: input.baseUrlEnv, owner: `the base-URL override (${input.baseUrlEnv})` }];
  const claim = (scheme: SecuritySchemeNode, key: string, variable: { variable: string; configured: boolean }, what = '') =>
    claims.push({
      variable: variable.variable,
      owner: `security scheme ${JSON.stringify(scheme.name)}${what}`,
      ...(variable.configured ? { file: input.configFile, pointer: pointerOf('servers', input.serverIndex, 'security', scheme.name, key) } : { file: model.file, pointer: scheme.pointer }),
      rename: `"security": { ${JSON.stringify(scheme.name)}: { "${key}": "…" } }`,
    });
  for (const scheme of model.securitySchemes) {
    const headerProblem = scheme.type === 'apiKey' && scheme.in === 'header' && scheme.parameterName ? headerNameProblem(scheme.parameterName) : undefined;
    if (headerProblem) {
      diagnostics.push({
        code: 'MCPGEN_HEADER_NAME_INVALID',
        severity: 'warning',
        file: model.file,
        pointer: scheme.pointer,
        message: `Security scheme "${scheme.name}" sends its key in the header ${JSON.stringify(scheme.parameterName)}, which ${headerProblem}; the scheme is not supported and requests that need only it are sent without credentials.`,
        help: 'A defect in the spec: fix the header name of the scheme.',
      });
    } else if (scheme.type === 'apiKey' && scheme.in && scheme.parameterName) {
      const { env } = variablesOf(scheme, false, input, diagnostics);
      claim(scheme, 'env', env!);
      plans.push({
        name: scheme.name,
        definition: { type: 'apiKey', in: scheme.in, name: scheme.parameterName, env: env!.variable },
        envVars: [env!.variable],
        summary: `API key sent in the ${scheme.in} \`${scheme.parameterName}\``,
      });
      continue;
    } else if (scheme.type === 'http' && scheme.scheme === 'bearer') {
      const { env } = variablesOf(scheme, false, input, diagnostics);
      claim(scheme, 'env', env!);
      plans.push({ name: scheme.name, definition: { type: 'bearer', env: env!.variable }, envVars: [env!.variable], summary: 'Bearer token sent as `Authorization: Bearer …`' });
      continue;
    } else if (scheme.type === 'oauth2' && scheme.clientCredentials) {
      const { env } = variablesOf(scheme, false, input, diagnostics);
      claim(scheme, 'env', env!);
      const base = `${input.prefix}_${toEnvName(scheme.name)}`;
      const clientCredentials = {
        tokenUrl: scheme.clientCredentials.tokenUrl,
        tokenUrlEnv: `${base}_TOKEN_URL`,
        clientIdEnv: `${base}_CLIENT_ID`,
        clientSecretEnv: `${base}_CLIENT_SECRET`,
      };
      const fixed = (variable: string, what: string) => claims.push({ variable, owner: `security scheme ${JSON.stringify(scheme.name)} (${what})`, file: model.file, pointer: scheme.pointer });
      fixed(clientCredentials.clientIdEnv, 'client id');
      fixed(clientCredentials.clientSecretEnv, 'client secret');
      fixed(clientCredentials.tokenUrlEnv, 'token URL');
      plans.push({
        name: scheme.name,
        definition: { type: 'bearer', env: env!.variable, clientCredentials },
        envVars: [clientCredentials.clientIdEnv, clientCredentials.clientSecretEnv, clientCredentials.tokenUrlEnv, env!.variable],
        exampleVars: [clientCredentials.clientIdEnv, clientCredentials.clientSecretEnv],
        summary: 'OAuth 2.0 client credentials',
        variableNotes: {
          [clientCredentials.clientIdEnv]: 'OAuth 2.0 client id: with the secret, the server gets access tokens itself (client credentials grant) and renews them before they expire',
          [clientCredentials.clientSecretEnv]: 'OAuth 2.0 client secret, sent to the token endpoint only (HTTP basic, RFC 6749 section 2.3.1)',
          [clientCredentials.tokenUrlEnv]: `Token endpoint (default ${clientCredentials.tokenUrl}, resolved against the base URL when relative; http only on a loopback host)`,
          [env!.variable]: 'An access token obtained elsewhere, sent as a bearer token; when set, the client variables are not used',
        },
      });
      continue;
    } else if (scheme.type === 'oauth2' || scheme.type === 'openIdConnect') {
      // Without a client credentials flow the server cannot get a token on its own (the other
      // flows need a user): the deployment supplies an access token.
      const kind = scheme.type === 'oauth2' ? 'OAuth 2.0' : 'OpenID Connect';
      const { env } = variablesOf(scheme, false, input, diagnostics);
      claim(scheme, 'env', env!);
      plans.push({ name: scheme.name, definition: { type: 'bearer', env: env!.variable }, envVars: [env!.variable], summary: `${kind} access token (obtained outside the server) sent as \`Authorization: Bearer …\`` });
      continue;
    } else if (scheme.type === 'http' && scheme.scheme === 'basic') {
      const { usernameEnv, passwordEnv } = variablesOf(scheme, true, input, diagnostics);
      claim(scheme, 'usernameEnv', usernameEnv!, ' (user name)');
      claim(scheme, 'passwordEnv', passwordEnv!, ' (password)');
      plans.push({
        name: scheme.name,
        definition: { type: 'basic', usernameEnv: usernameEnv!.variable, passwordEnv: passwordEnv!.variable },
        envVars: [usernameEnv!.variable, passwordEnv!.variable],
        summary: 'HTTP basic authentication',
      });
      continue;
    } else {
      diagnostics.push({
        code: 'MCPGEN_SECURITY_UNSUPPORTED',
        severity: 'warning',
        file: model.file,
        pointer: scheme.pointer,
        message: `Security scheme "${scheme.name}" (${scheme.type}${scheme.scheme ? ` ${scheme.scheme}` : ''}) is not supported; requests that need only it are sent without credentials.`,
      });
    }
  }
  const sent = new Set(plans.map((p) => p.name));
  for (const name of Object.keys(input.overrides)) {
    if (sent.has(name)) continue;
    const known = model.securitySchemes.some((s) => s.name === name);
    const suggestion = closestMatch(name, sent);
    diagnostics.push({
      code: 'MCPGEN_SECURITY_CONFIG',
      severity: 'error',
      file: input.configFile,
      pointer: pointerOf('servers', input.serverIndex, 'security', name),
      message: known ? `Security scheme "${name}" is not one the server sends credentials for; it reads no variable.` : `"security" names "${name}", which is no security scheme of the spec.`,
      help: suggestion ? `Did you mean "${suggestion}"?` : sent.size ? `Schemes: ${[...sent].join(', ')}.` : 'The spec declares no supported security scheme.',
    });
  }
  checkEnvironment(claims, diagnostics);
  return plans;
}

/** The operation's requirement alternatives, reduced to schemes the server can send. */
export function securityAlternatives(op: OperationNode, supported: ReadonlySet<string>): string[][] {
  const alternatives: string[][] = [];
  for (const requirement of op.security) {
    const names = Object.keys(requirement).sort();
    if (names.every((n) => supported.has(n))) alternatives.push(names);
  }
  return alternatives;
}

/**
 * The scopes the operation asks of each scheme whose token the server fetches (the union over
 * its requirement alternatives), or undefined when it asks none.
 */
export function securityScopes(op: OperationNode, fetched: ReadonlySet<string>): Record<string, string[]> | undefined {
  const scopes = new Map<string, Set<string>>();
  for (const requirement of op.security) {
    for (const [name, wanted] of Object.entries(requirement)) {
      if (!fetched.has(name) || !Array.isArray(wanted) || wanted.length === 0) continue;
      const set = scopes.get(name) ?? new Set<string>();
      for (const scope of wanted) if (typeof scope === 'string' && scope !== '') set.add(scope);
      scopes.set(name, set);
    }
  }
  if (scopes.size === 0) return undefined;
  const sorted = (values: Iterable<string>) => [...values].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return Object.fromEntries(sorted(scopes.keys()).map((name) => [name, sorted(scopes.get(name)!)]));
}
