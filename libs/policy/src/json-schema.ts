import { z } from 'zod';
import { policySchema } from './schema';

/** The policy schema as JSON Schema, for editors (`# yaml-language-server: $schema=…`). */
export function policyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' }),
    title: 'clipguard policy',
  };
}
