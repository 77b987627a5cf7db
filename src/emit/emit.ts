import type { ServerPlan } from '../plan/types.js';
import { renderTemplate } from './handlebars.js';
import { runtimeFiles, templateSource } from './templates-dir.js';
import { apiView, packageView, promptsView, readmeView, resourcesView, schemasView, toolGroupView, toolIndexView } from './views.js';

/** A file of a generated server, relative to its output folder, with `/` separators. */
export interface VirtualFile {
  readonly path: string;
  readonly text: string;
}

function render(template: string, view: object): string {
  return renderTemplate(template, templateSource(`server/${template}`), view);
}

/** ServerPlan → the generated server's files (unformatted). */
export function emitServer(plan: ServerPlan): VirtualFile[] {
  const files: VirtualFile[] = [
    { path: 'package.json', text: render('package.json.hbs', packageView(plan)) },
    { path: 'tsconfig.json', text: render('tsconfig.json.hbs', {}) },
    { path: '.gitignore', text: render('gitignore.hbs', {}) },
    { path: 'README.md', text: render('README.md.hbs', readmeView(plan)) },
    { path: 'src/api.ts', text: render('src/api.ts.hbs', apiView(plan)) },
    { path: 'src/server.ts', text: render('src/server.ts.hbs', {}) },
    { path: 'src/resources.ts', text: render('src/resources.ts.hbs', resourcesView(plan)) },
    { path: 'src/prompts.ts', text: render('src/prompts.ts.hbs', promptsView(plan)) },
    { path: 'src/schemas.ts', text: render('src/schemas.ts.hbs', schemasView(plan)) },
    { path: 'src/stdio.ts', text: render('src/stdio.ts.hbs', {}) },
    { path: 'src/http.ts', text: render('src/http.ts.hbs', {}) },
    { path: 'src/tools/index.ts', text: render('src/tools/index.ts.hbs', toolIndexView(plan)) },
  ];
  for (const group of plan.groups) {
    files.push({ path: `src/tools/${group.slug}.ts`, text: render('src/tools/group.ts.hbs', toolGroupView(plan, group.tools)) });
  }
  for (const runtime of runtimeFiles()) files.push({ path: `src/runtime/${runtime.name}`, text: runtime.text });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

