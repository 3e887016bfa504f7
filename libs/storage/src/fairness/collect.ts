/** A read that would hold more decisions than the configured limit. */
export class FairnessWindowTooLargeError extends Error {
  readonly code = 'FAIRNESS_WINDOW_TOO_LARGE';

  constructor(readonly limit: number) {
    super(`the window holds more than ${limit} decisions (CLIPGUARD_FAIRNESS_MAX_DECISIONS); narrow it`);
    this.name = 'FairnessWindowTooLargeError';
  }
}

/**
 * Gathers a repository's pages into one array for the figures (which need every decision), refusing past
 * `max`: the database is read a page at a time, and what is kept is the compact audited form.
 */
export async function collectPages<T>(pages: AsyncIterable<T[]>, max: number): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) {
    if (out.length + page.length > max) throw new FairnessWindowTooLargeError(max);
    out.push(...page);
  }
  return out;
}
