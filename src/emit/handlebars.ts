import Handlebars from 'handlebars';

/**
 * One isolated Handlebars environment. Templates are layout only: they print
 * pre-made values (see literals.ts), so escaping is off and strict mode makes
 * a missing field an error instead of an empty string.
 */
const environment = Handlebars.create();
const cache = new Map<string, HandlebarsTemplateDelegate>();

export function renderTemplate(name: string, source: string, view: object): string {
  let template = cache.get(name);
  if (!template) {
    template = environment.compile(source, { noEscape: true, strict: true });
    cache.set(name, template);
  }
  return template(view);
}
