import { clipguard } from './cli';

export const CONSOLE_PASSWORD = 'correct horse battery';

/** Creates a console user with one membership (`tenant:role`) through `clipguard users add`. */
export async function addConsoleUser(databaseUrl: string, email: string, membership: string): Promise<void> {
  const run = await clipguard(
    'users',
    'add',
    '--email',
    email,
    '--name',
    email,
    '--role',
    membership,
    '--password',
    CONSOLE_PASSWORD,
    '--database-url',
    databaseUrl,
  );
  if (run.code !== 0) throw new Error(`users add ${email}: ${run.stderr}`);
}

/** Signs in to the console; returns the `cookie` header value carrying the session. */
export async function consoleCookie(apiUrl: string, email: string): Promise<string> {
  const res = await fetch(`${apiUrl}/v1/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: CONSOLE_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: HTTP ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}
