import { z } from 'zod';
import { ApiError } from '@clipguard/contracts';
import { ZodPipe } from './zod.pipe';

const schema = z.strictObject({
  name: z.string().min(1),
  limit: z.coerce.number().int().max(10).default(5),
});

function refusal(pipe: ZodPipe<unknown>, value: unknown): ApiError {
  try {
    pipe.transform(value);
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('the pipe let the value through');
}

describe('ZodPipe', () => {
  it('returns the parsed value, coerced and with defaults', () => {
    expect(new ZodPipe(schema).transform({ name: 'a', limit: '7' })).toEqual({ name: 'a', limit: 7 });
    expect(new ZodPipe(schema).transform({ name: 'a' })).toEqual({ name: 'a', limit: 5 });
  });

  it('refuses with BODY_INVALID (422) by default, naming every bad field', () => {
    const err = refusal(new ZodPipe(schema), { name: '', limit: 11, extra: true });

    expect(err).toMatchObject({ code: 'BODY_INVALID', status: 422 });
    expect(err.message).toMatch(/name:/);
    expect(err.message).toMatch(/limit:/);
    expect(err.message).toMatch(/extra/);
  });

  it('refuses with the code it was given', () => {
    expect(refusal(new ZodPipe(schema, 'QUERY_INVALID'), {})).toMatchObject({
      code: 'QUERY_INVALID',
      status: 400,
    });
  });
});
