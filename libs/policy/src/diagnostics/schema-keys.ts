import { z } from 'zod';

/** Looks through wrappers that do not change the shape of the value (lazy, optional, default, nullable). */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodLazy) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    else return s;
  }
}

/** The schemas a value at `path` may have to match (several under a union). */
function schemasAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType[] {
  const s = unwrap(schema);
  if (s instanceof z.ZodUnion) return (s.options as z.ZodType[]).flatMap((o) => schemasAt(o, path));
  if (path.length === 0) return [s];
  const [head, ...rest] = path;
  if (s instanceof z.ZodObject && typeof head === 'string') {
    const child = (s.shape as Record<string, z.ZodType | undefined>)[head];
    return child ? schemasAt(child, rest) : [];
  }
  if (s instanceof z.ZodArray && typeof head === 'number') return schemasAt(s.element as z.ZodType, rest);
  return [];
}

/** The keys the schema allows in the object at `path`, for "did you mean" suggestions. */
export function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const keys = schemasAt(schema, path).flatMap((s) => (s instanceof z.ZodObject ? Object.keys(s.shape) : []));
  return [...new Set(keys)].filter((k) => !k.startsWith('$'));
}
