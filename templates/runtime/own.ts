// Argument and property names are data: an API may well call a parameter `constructor`,
// `toString` or `__proto__`. A plain `record[name]` read of an absent name finds
// Object.prototype's member instead of nothing, and `record[name] = value` with
// `__proto__` replaces the prototype instead of adding a property. Read and build
// argument records through these helpers only.

/** The value `record` itself holds under `name`; never an inherited member. */
export function ownValue(record: object, name: string): unknown {
  return Object.hasOwn(record, name) ? (record as Record<string, unknown>)[name] : undefined;
}

/**
 * An empty record without a prototype: every name, `__proto__` included, is an
 * ordinary key when assigned, and no name reads as an inherited member.
 */
export function dataRecord(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}
