import type { ConsoleSession } from '@clipguard/contracts';
import { clipguard } from './cli';
import type { Stack } from './stack';

export interface ConsoleResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A browser's view of the console API: the session cookie, the CSRF token, and same-origin requests. */
export class ConsoleClient {
  cookie: string | undefined;
  csrf: string | undefined;
  session: ConsoleSession | undefined;

  constructor(private readonly stack: Stack) {}

  get origin(): string {
    return this.stack.apiUrl;
  }

  async login(
    email: string,
    password: string,
    headers: Record<string, string> = {},
  ): Promise<ConsoleResponse> {
    const res = await this.raw(
      'POST',
      '/v1/console/login',
      { email, password },
      { origin: this.origin, ...headers },
    );
    const set = res.headers.get('set-cookie');
    if (res.status === 200 && set) {
      this.cookie = set.split(';')[0];
      this.session = res.body as ConsoleSession;
      this.csrf = this.session.csrf_token;
    }
    return res;
  }

  /** A request as the console makes it: with the cookie, and on writes the CSRF token and the origin. */
  request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const write = method !== 'GET';
    return this.raw<T>(method, path, body, {
      ...(this.cookie && { cookie: this.cookie }),
      ...(write && this.csrf && { 'x-csrf-token': this.csrf }),
      ...(write && { origin: this.origin }),
      ...headers,
    });
  }

  async raw<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ConsoleResponse<T>> {
    const res = await fetch(`${this.stack.apiUrl}${path}`, {
      method,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      body: (type.includes('json') && text ? JSON.parse(text) : text) as T,
      headers: res.headers,
    };
  }
}

/** Creates a console user through the CLI, as an operator would. */
export async function addConsoleUser(
  stack: Stack,
  email: string,
  roles: string[],
  password = 'correct horse battery staple',
) {
  const run = await clipguard(
    'users',
    'add',
    '--email',
    email,
    '--name',
    email.split('@')[0],
    ...roles.flatMap((r) => ['--role', r]),
    '--password',
    password,
    '--database-url',
    stack.env('DATABASE_URL'),
  );
  if (run.code !== 0) throw new Error(`users add ${email} failed: ${run.stderr}`);
  return { email, password, id: (JSON.parse(run.stdout) as { id: string }).id };
}
