import { searchIndexText } from '../plan/search-index.js';
import type { ServerPlan } from '../plan/types.js';
import { renderTemplate } from './handlebars.js';
import { mcpbManifest, registryServerJson } from './package-metadata.js';
import { runtimeFiles, templateSource } from './templates-dir.js';
import { apiView, dataView, deployView, packageView, readmeView, serverView } from './views.js';

/** A file of a generated server, relative to its output folder, with `/` separators. */
export interface VirtualFile {
  readonly path: string;
  readonly text: string;
}

function render(template: string, view: object): string {
  return renderTemplate(template, templateSource(`server/${template}`), view);
}

/** The data files' text: canonical JSON, two-space indented, so a changed tool diffs as a few lines. */
function dataFile(path: string, value: unknown): VirtualFile {
  return { path, text: `${JSON.stringify(value, null, 2)}\n` };
}

/** Replicas behind nginx (Docker Compose) and on Kubernetes. */
function deploymentFiles(plan: ServerPlan): VirtualFile[] {
  const view = deployView(plan);
  return ['docker-compose.yml', 'nginx.conf', 'kubernetes/deployment.yaml', 'kubernetes/service.yaml', 'kubernetes/hpa.yaml'].map((path) => ({
    path,
    text: render(`${path}.hbs`, view),
  }));
}

/** ServerPlan → the generated server's files (unformatted). */
export function emitServer(plan: ServerPlan): VirtualFile[] {
  const files: VirtualFile[] = [
    { path: 'package.json', text: render('package.json.hbs', packageView(plan)) },
    { path: 'tsconfig.json', text: render('tsconfig.json.hbs', {}) },
    { path: '.gitignore', text: render('gitignore.hbs', {}) },
    // A hooks module lies outside the package: its build bundles, and its image carries that bundle.
    { path: '.dockerignore', text: render(plan.hooksImport ? 'dockerignore.bundled.hbs' : 'dockerignore.hbs', {}) },
    { path: 'Dockerfile', text: render(plan.hooksImport ? 'Dockerfile.bundled.hbs' : 'Dockerfile.hbs', {}) },
    ...(plan.hooksImport ? [{ path: 'build.mjs', text: render('build.mjs.hbs', {}) }] : []),
    ...deploymentFiles(plan),
    { path: 'README.md', text: render('README.md.hbs', readmeView(plan)) },
    { path: 'src/api.ts', text: render('src/api.ts.hbs', apiView(plan)) },
    { path: 'src/data.ts', text: render('src/data.ts.hbs', dataView(plan)) },
    { path: 'src/server.ts', text: render('src/server.ts.hbs', serverView(plan)) },
    { path: 'src/stdio.ts', text: render('src/stdio.ts.hbs', {}) },
    { path: 'src/http.ts', text: render('src/http.ts.hbs', {}) },
    dataFile('server.json', registryServerJson(plan)),
    dataFile('manifest.json', mcpbManifest(plan)),
    { path: '.mcpbignore', text: render('mcpbignore.hbs', {}) },
    dataFile('data/definitions.json', plan.definitions),
    dataFile('data/resources.json', { resources: plan.resources, resourceTemplates: plan.resourceTemplates }),
    dataFile('data/prompts.json', plan.prompts),
    dataFile('data/toolsets.json', { discovery: { enabled: plan.discovery.enabled, pinned: plan.discovery.pinned }, toolsets: plan.toolsets }),
    { path: 'data/search.json', text: searchIndexText(plan.searchIndex) },
  ];
  for (const group of plan.groups) files.push(dataFile(`data/tools/${group.slug}.json`, group.tools.map((t) => t.definition)));
  for (const runtime of runtimeFiles()) files.push({ path: `src/runtime/${runtime.name}`, text: runtime.text });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
