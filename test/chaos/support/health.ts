/** What /health/ready shows an operator of the work Postgres says is unfinished. */
export interface ReadinessView {
  httpStatus: number;
  status?: string;
  code?: string;
  checks?: {
    postgres?: string;
    redis?: string;
    unfinished?: { count: number; oldestSeconds: number };
    reconciler?: { submissions: Record<string, number> } | null;
  };
}

/** GET /health/ready, with the operator token when given; never throws (an app that is away reads as 0). */
export async function readiness(apiUrl: string, token?: string): Promise<ReadinessView> {
  try {
    const res = await fetch(`${apiUrl}/health/ready`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(10_000),
    });
    return { httpStatus: res.status, ...((await res.json()) as Omit<ReadinessView, 'httpStatus'>) };
  } catch {
    return { httpStatus: 0 };
  }
}
