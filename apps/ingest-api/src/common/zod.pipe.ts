import type { PipeTransform } from '@nestjs/common';
import type { ZodType } from 'zod';
import { ApiError, describeIssues, type ApiErrorCode } from '@clipguard/contracts';

/** Parses a body or query with a zod schema; what fails is refused with `code` naming every bad field. */
export class ZodPipe<T> implements PipeTransform<unknown, T> {
  constructor(
    private readonly schema: ZodType<T>,
    private readonly code: ApiErrorCode = 'BODY_INVALID',
  ) {}

  transform(value: unknown): T {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) throw new ApiError(this.code, describeIssues(parsed.error));
    return parsed.data;
  }
}
