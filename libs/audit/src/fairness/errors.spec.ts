import { z } from 'zod';
import { FairnessError, parseOrThrow } from './errors';

describe('parseOrThrow', () => {
  const schema = z.object({ a: z.object({ b: z.number() }), c: z.string() });

  it('returns the parsed value', () => {
    expect(parseOrThrow(schema, { a: { b: 1 }, c: 'x', extra: true }, 'BASELINE_INVALID', 'x')).toEqual({
      a: { b: 1 },
      c: 'x',
    });
  });

  it('names every offending field by its path, and the whole input as (root)', () => {
    const thrown = (input: unknown) => {
      try {
        parseOrThrow(schema, input, 'DRIFT_OPTIONS_INVALID', 'invalid thing');
      } catch (e) {
        return e;
      }
      throw new Error('did not throw');
    };
    const nested = thrown({ a: { b: 'one' } });
    expect(nested).toBeInstanceOf(FairnessError);
    expect(nested).toMatchObject({ name: 'FairnessError', code: 'DRIFT_OPTIONS_INVALID' });
    expect((nested as Error).message).toMatch(/^invalid thing: a\.b: [^;]*number[^;]*; c: [^;]*string[^;]*$/);
    expect((thrown(5) as Error).message).toMatch(/^invalid thing: \(root\): [^;]*object/);
  });
});
