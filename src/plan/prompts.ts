// Prompts from Handlebars templates, compiled at generation time into message
// segments, so a generated server never parses template source at start-up.
// https://modelcontextprotocol.io/specification/2025-11-25/server/prompts
import Handlebars from 'handlebars';
import type { PromptConfig, ResolvedServerConfig } from '../config/schema.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { closestMatch } from './naming.js';
import type { PromptDefinition, PromptMessageDefinition, PromptSegment } from './types.js';

type Role = 'user' | 'assistant';

/** What a template may name: checked so a prompt cannot silently rot when the spec changes. */
export interface PromptReferences {
  readonly tools: ReadonlySet<string>;
  readonly resources: ReadonlySet<string>;
}

interface Node {
  type: string;
  loc?: { start: { line: number; column: number } };
  value?: string;
  path?: { original: string; parts?: string[] };
  params?: { type: string; value?: unknown; original?: unknown }[];
  hash?: { pairs: unknown[] };
  program?: { body: Node[] };
  inverse?: unknown;
}

class PromptCompiler {
  readonly messages: PromptMessageDefinition[] = [];
  private current?: { role: Role; segments: PromptSegment[] };

  constructor(
    private readonly prompt: PromptConfig,
    private readonly references: PromptReferences,
    private readonly report: (message: string, node: Node | undefined, code?: Diagnostic['code'], help?: string) => void,
  ) {}

  compile(body: readonly Node[], role: Role): void {
    for (const node of body) this.statement(node, role);
  }

  finish(): PromptMessageDefinition[] {
    this.flush();
    return this.messages.filter((m) => !('segments' in m) || m.segments.length);
  }

  private text(role: Role, segment: PromptSegment): void {
    if (!this.current || this.current.role !== role) {
      this.flush();
      this.current = { role, segments: [] };
    }
    const last = this.current.segments[this.current.segments.length - 1];
    if (last && 'text' in last && 'text' in segment) this.current.segments[this.current.segments.length - 1] = { text: last.text + segment.text };
    else this.current.segments.push(segment);
  }

  private flush(): void {
    if (!this.current) return;
    const segments = trimSegments(this.current.segments);
    if (segments.length) this.messages.push({ role: this.current.role, segments });
    this.current = undefined;
  }

  private statement(node: Node, role: Role): void {
    switch (node.type) {
      case 'ContentStatement':
        this.text(role, { text: node.value ?? '' });
        return;
      case 'CommentStatement':
        return;
      case 'MustacheStatement':
        this.mustache(node, role);
        return;
      case 'BlockStatement': {
        const name = node.path?.original;
        if ((name === 'user' || name === 'assistant') && !node.params?.length && !node.inverse) {
          this.flush();
          this.compile(node.program?.body ?? [], name);
          this.flush();
          return;
        }
        this.report(`Unsupported block {{#${name ?? '?'}}} in prompt "${this.prompt.name}".`, node);
        return;
      }
      default:
        this.report(`Unsupported template construct (${node.type}) in prompt "${this.prompt.name}".`, node);
    }
  }

  private mustache(node: Node, role: Role): void {
    const name = node.path?.original ?? '';
    const params = node.params ?? [];
    if (params.length === 0 && !node.hash) {
      const argument = this.prompt.arguments.find((a) => a.name === name);
      if (!argument) {
        const suggestion = closestMatch(name, this.prompt.arguments.map((a) => a.name));
        this.report(`Prompt "${this.prompt.name}" uses {{${name}}}, which is not one of its arguments.`, node, 'MCPGEN_PROMPT_REFERENCE', suggestion ? `Did you mean "${suggestion}"?` : 'Declare it under "arguments".');
        return;
      }
      this.text(role, { arg: name });
      return;
    }
    const value = params[0]?.type === 'StringLiteral' && params.length === 1 && !node.hash ? String(params[0].value) : undefined;
    if (name === 'tool' && value !== undefined) {
      if (!this.references.tools.has(value)) {
        const suggestion = closestMatch(value, this.references.tools);
        this.report(`Prompt "${this.prompt.name}" names tool "${value}", which does not exist.`, node, 'MCPGEN_PROMPT_REFERENCE', suggestion ? `Did you mean "${suggestion}"?` : undefined);
        return;
      }
      this.text(role, { text: value });
      return;
    }
    if ((name === 'resource' || name === 'image') && value !== undefined) {
      if (!this.references.resources.has(value)) {
        const suggestion = closestMatch(value, this.references.resources);
        this.report(`Prompt "${this.prompt.name}" embeds resource "${value}", which does not exist.`, node, 'MCPGEN_PROMPT_REFERENCE', suggestion ? `Did you mean "${suggestion}"?` : undefined);
        return;
      }
      this.flush();
      // {{resource}} embeds the contents as they are; {{image}} as image content (an image/* blob).
      this.messages.push(name === 'image' ? { role, image: value } : { role, resource: value });
      return;
    }
    this.report(`Unsupported expression {{${name} …}} in prompt "${this.prompt.name}".`, node);
  }
}

/** Trims whitespace at the message's edges only; inner text stays as written. */
function trimSegments(segments: readonly PromptSegment[]): PromptSegment[] {
  const out = [...segments];
  const first = out[0];
  if (first && 'text' in first) out[0] = { text: first.text.replace(/^\s+/, '') };
  const lastIndex = out.length - 1;
  const last = out[lastIndex];
  if (last && 'text' in last) out[lastIndex] = { text: last.text.replace(/\s+$/, '') };
  return out.filter((s) => !('text' in s) || s.text !== '');
}

export function planPrompts(server: ResolvedServerConfig, serverIndex: number, references: PromptReferences, diagnostics: Diagnostic[]): PromptDefinition[] {
  return server.prompts.flatMap((prompt, index) => {
    const source = server.promptSources.get(prompt.name);
    if (source?.source === undefined) return [];
    const file = source.display;
    let errors = 0;
    const report = (message: string, node: Node | undefined, code: Diagnostic['code'] = 'MCPGEN_PROMPT_TEMPLATE', help?: string) => {
      errors++;
      diagnostics.push({ code, severity: 'error', file, line: node?.loc?.start.line, column: node?.loc ? node.loc.start.column + 1 : undefined, pointer: undefined, message, help });
    };
    let ast: { body: Node[] };
    try {
      ast = Handlebars.parse(source.source) as unknown as { body: Node[] };
    } catch (error) {
      const match = /line (\d+)/.exec((error as Error).message);
      diagnostics.push({ code: 'MCPGEN_PROMPT_TEMPLATE', severity: 'error', file, line: match ? Number(match[1]) : undefined, pointer: `#/servers/${serverIndex}/prompts/${index}`, message: `Prompt template does not parse: ${(error as Error).message.split('\n')[0]}` });
      return [];
    }
    const compiler = new PromptCompiler(prompt, references, report);
    compiler.compile(ast.body, 'user');
    const messages = compiler.finish();
    if (errors) return [];
    return [
      {
        name: prompt.name,
        ...(prompt.title ? { title: prompt.title } : {}),
        ...(prompt.description ? { description: prompt.description } : {}),
        arguments: prompt.arguments.map((a) => ({ name: a.name, ...(a.description ? { description: a.description } : {}), required: a.required, ...(a.enum ? { enum: a.enum } : {}) })),
        messages,
      },
    ];
  });
}
