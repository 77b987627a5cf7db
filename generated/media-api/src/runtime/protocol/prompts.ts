// Prompts compiled at generation time: rendering joins text and argument segments;
// an embedded resource or image is read through the resource table when the prompt is got.

import { ProtocolError, ProtocolErrorCode, type GetPromptResult, type Prompt, type PromptMessage } from '@modelcontextprotocol/server';
import type { ResourceTable } from './resources.js';
import type { PromptDef } from '../types.js';

export class PromptTable {
  private readonly byName: ReadonlyMap<string, PromptDef>;
  private readonly listed: readonly Prompt[];

  constructor(
    private readonly prompts: readonly PromptDef[],
    private readonly resources: ResourceTable,
  ) {
    this.byName = new Map(prompts.map((p) => [p.name, p]));
    this.listed = prompts.map((p) => ({
      name: p.name,
      ...(p.title === undefined ? {} : { title: p.title }),
      ...(p.description === undefined ? {} : { description: p.description }),
      arguments: p.arguments.map((a) => ({ name: a.name, required: a.required, ...(a.description === undefined ? {} : { description: a.description }) })),
    }));
  }

  get empty(): boolean {
    return this.byName.size === 0;
  }

  /**
   * The prompts a caller holding `granted` may get: those whose embedded resources and images
   * it may read (every prompt without inbound auth). Getting one of the others is refused anyway.
   */
  listedFor(granted: readonly string[] | undefined): Prompt[] {
    return this.listed.filter((_, i) => this.prompts[i]!.messages.every((message) => this.readable(message, granted)));
  }

  private readable(message: PromptDef['messages'][number], granted: readonly string[] | undefined): boolean {
    const uri = 'resource' in message ? message.resource : 'image' in message ? message.image : undefined;
    return uri === undefined || this.resources.challenge(uri, granted) === undefined;
  }

  /** `granted`: the caller's token's scopes; an embedded resource it may not read refuses the prompt. */
  async get(name: string, args: Record<string, string> | undefined, signal: AbortSignal, granted: readonly string[] | undefined): Promise<GetPromptResult> {
    const prompt = this.byName.get(name);
    if (!prompt) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${name}`);
    const values = args ?? {};
    for (const argument of prompt.arguments) {
      const value = values[argument.name];
      if (value === undefined || value === '') {
        if (argument.required) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Missing required argument "${argument.name}" for prompt ${name}`);
        continue;
      }
      if (argument.enum && !argument.enum.includes(value)) {
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Argument "${argument.name}" of prompt ${name} must be one of ${argument.enum.map((v) => JSON.stringify(v)).join(', ')}`);
      }
    }
    const messages: PromptMessage[] = [];
    for (const message of prompt.messages) {
      if ('resource' in message) {
        const read = await this.resources.read(message.resource, signal, granted);
        for (const contents of read.contents) messages.push({ role: message.role, content: { type: 'resource', resource: contents } });
        continue;
      }
      if ('image' in message) {
        const read = await this.resources.read(message.image, signal, granted);
        for (const contents of read.contents) {
          const mimeType = contents.mimeType ?? '';
          if (!('blob' in contents) || !mimeType.startsWith('image/')) {
            throw new ProtocolError(ProtocolErrorCode.InternalError, `Prompt ${name} shows ${message.image} as an image, but the API answered ${mimeType || 'an unknown media type'}`);
          }
          messages.push({ role: message.role, content: { type: 'image', data: contents.blob, mimeType } });
        }
        continue;
      }
      const text = message.segments.map((s) => ('text' in s ? s.text : (values[s.arg] ?? ''))).join('');
      messages.push({ role: message.role, content: { type: 'text', text } });
    }
    return { ...(prompt.description === undefined ? {} : { description: prompt.description }), messages };
  }

  /** Enum values of a prompt argument that start with the typed prefix. */
  complete(name: string, argument: string, prefix: string): string[] {
    const values = this.byName.get(name)?.arguments.find((a) => a.name === argument)?.enum ?? [];
    return values.filter((v) => v.startsWith(prefix));
  }
}
