// Regenerates policies/policy.schema.json from the zod schema: npm run policy:schema
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyJsonSchema } from '@clipguard/policy';

const out = join(__dirname, '..', '..', 'policies', 'policy.schema.json');
writeFileSync(out, `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
console.log(`wrote ${out}`);
