import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ApiModel, OperationNode } from '../ir/types.js';
import { toEnvName } from './naming.js';
import type { SecuritySchemePlan } from './types.js';

/** Supported schemes with the env variables that carry their credentials (`<PREFIX>_<SCHEME>`). */
export function planSecuritySchemes(model: ApiModel, prefix: string, diagnostics: Diagnostic[]): SecuritySchemePlan[] {
  const plans: SecuritySchemePlan[] = [];
  for (const scheme of model.securitySchemes) {
    const env = `${prefix}_${toEnvName(scheme.name)}`;
    if (scheme.type === 'apiKey' && scheme.in && scheme.parameterName) {
      plans.push({
        name: scheme.name,
        definition: { type: 'apiKey', in: scheme.in, name: scheme.parameterName, env },
        envVars: [env],
        summary: `API key sent in the ${scheme.in} \`${scheme.parameterName}\``,
      });
    } else if (scheme.type === 'http' && scheme.scheme === 'bearer') {
      plans.push({ name: scheme.name, definition: { type: 'bearer', env }, envVars: [env], summary: 'Bearer token sent as `Authorization: Bearer …`' });
    } else if (scheme.type === 'oauth2' || scheme.type === 'openIdConnect') {
      // The server does not run OAuth flows itself: the deployment supplies an access
      // token, which is what an OAuth-protected API expects on each request.
      const kind = scheme.type === 'oauth2' ? 'OAuth 2.0' : 'OpenID Connect';
      plans.push({ name: scheme.name, definition: { type: 'bearer', env }, envVars: [env], summary: `${kind} access token (obtained outside the server) sent as \`Authorization: Bearer …\`` });
    } else if (scheme.type === 'http' && scheme.scheme === 'basic') {
      const usernameEnv = `${env}_USERNAME`;
      const passwordEnv = `${env}_PASSWORD`;
      plans.push({
        name: scheme.name,
        definition: { type: 'basic', usernameEnv, passwordEnv },
        envVars: [usernameEnv, passwordEnv],
        summary: 'HTTP basic authentication',
      });
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
