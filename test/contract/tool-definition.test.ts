import { fileURLToPath } from 'node:url';
import { Project, ts } from 'ts-morph';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Tool tables are emitted as JSON (see src/emit/literals.ts rawJsonTemplate), so the
 * type-check of generated code no longer sees their shape. This keeps the plan's
 * ToolDefinition and the runtime's ToolDef assignable both ways, and proves the check
 * can fail.
 */
function typeErrors(source: string): string[] {
  const project = new Project({
    compilerOptions: { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true, types: [] },
    skipAddingFilesFromTsConfig: true,
  });
  project.addSourceFileAtPath(`${root}src/plan/types.ts`);
  project.addSourceFileAtPath(`${root}templates/runtime/types.ts`);
  project.createSourceFile(`${root}test/contract/__check__.ts`, source, { overwrite: true });
  return project.getPreEmitDiagnostics().map((d) => ts.flattenDiagnosticMessageText(d.compilerObject.messageText, '\n'));
}

const imports = `import type { ToolDefinition } from '../../src/plan/types.js';\nimport type { ToolDef } from '../../templates/runtime/types.js';\n`;

it('the plan emits exactly what the runtime reads: ToolDefinition is a ToolDef', () => {
  expect(typeErrors(`${imports}export const check = (d: ToolDefinition): ToolDef => d;\n`)).toEqual([]);
});

it('the check fails when the shapes drift', () => {
  const drifted = `${imports}type Drifted = Omit<ToolDefinition, 'operation'> & { operation: { method: 'FETCH' } };\nexport const check = (d: Drifted): ToolDef => d;\n`;
  expect(typeErrors(drifted).length).toBeGreaterThan(0);
});
