import { ConsoleClient, Stack, addConsoleUser, clipguard } from '@clipguard/testing';

jest.setTimeout(120_000);

const stack = new Stack({ env: { CLIPGUARD_LOGIN_LIMIT_PER_ACCOUNT: '4' } });
const code = (r: { body: unknown }) => (r.body as { code?: string }).code;
let users: Record<
  'mod' | 'lead' | 'auditor' | 'admin' | 'globexAdmin',
  { email: string; password: string; id: string }
>;

beforeAll(async () => {
  await stack.start();
  users = {
    mod: await addConsoleUser(stack, 'mod@acme.test', ['acme:moderator']),
    lead: await addConsoleUser(stack, 'lead@acme.test', ['acme:lead']),
    auditor: await addConsoleUser(stack, 'auditor@acme.test', ['acme:auditor']),
    admin: await addConsoleUser(stack, 'admin@acme.test', ['acme:admin']),
    globexAdmin: await addConsoleUser(stack, 'admin@globex.test', ['deadend:admin']),
  };
}, 120_000);
afterAll(() => stack.stop(), 60_000);

const signedIn = async (who: keyof typeof users) => {
  const c = new ConsoleClient(stack);
  expect((await c.login(users[who].email, users[who].password)).status).toBe(200);
  return c;
};

describe('console sessions', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie and answers the session with its CSRF token', async () => {
    const c = new ConsoleClient(stack);
    const res = await c.login('MOD@acme.test', users.mod.password);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^cg_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // plain http here; over https (or CLIPGUARD_CONSOLE_SECURE_COOKIE=always) it is Secure
    const session = await c.request<{ user: { email: string }; memberships: unknown[]; csrf_token: string }>(
      'GET',
      '/v1/console/session',
    );
    expect(session.body).toMatchObject({
      user: { email: 'mod@acme.test' },
      memberships: [{ tenant: 'acme', role: 'moderator' }],
    });
    expect(session.body.csrf_token).toBe(c.csrf);
  });

  it('answers a wrong password, an unknown email and a disabled account with the same 401', async () => {
    const c = new ConsoleClient(stack);
    const wrong = await c.login(users.lead.email, 'not the password at all');
    const unknown = await c.login('nobody@acme.test', 'not the password at all');
    const disabled = await addConsoleUser(stack, 'gone@acme.test', ['acme:moderator']);
    expect(
      (await clipguard('users', 'disable', disabled.email, '--database-url', stack.env('DATABASE_URL'))).code,
    ).toBe(0);
    const off = await c.login(disabled.email, disabled.password);
    for (const r of [wrong, unknown, off]) expect([r.status, r.body]).toEqual([401, wrong.body]);
    expect(code(wrong)).toBe('LOGIN_FAILED');
  });

  it('rotates the session on login and ends it on logout', async () => {
    const first = await signedIn('auditor');
    const second = new ConsoleClient(stack);
    second.cookie = first.cookie;
    await second.login(users.auditor.email, users.auditor.password, { cookie: first.cookie ?? '' });
    expect(second.cookie).not.toBe(first.cookie);
    expect((await first.request('GET', '/v1/console/session')).status).toBe(401);
    expect((await second.request('POST', '/v1/console/logout')).status).toBe(204);
    expect(code(await second.request('GET', '/v1/console/session'))).toBe('SESSION_REQUIRED');
  });

  it('limits failed logins per account, even for the right password afterwards', async () => {
    const victim = await addConsoleUser(stack, 'victim@acme.test', ['acme:moderator']);
    const c = new ConsoleClient(stack);
    for (let i = 0; i < 4; i++) expect((await c.login(victim.email, `guess number ${i}`)).status).toBe(401);
    const blocked = await c.login(victim.email, victim.password);
    expect([blocked.status, code(blocked)]).toEqual([429, 'LOGIN_RATE_LIMITED']);
  });

  it('refuses writes without the CSRF token, with a wrong one, or from another origin, and logins from another origin', async () => {
    const c = await signedIn('mod');
    const path = '/v1/console/queues/review/next';
    expect(code(await c.request('POST', path, {}, { 'x-csrf-token': '' }))).toBe('CSRF_INVALID');
    expect(code(await c.request('POST', path, {}, { 'x-csrf-token': 'a'.repeat(43) }))).toBe('CSRF_INVALID');
    expect(code(await c.request('POST', path, {}, { origin: 'https://evil.example' }))).toBe('CSRF_INVALID');
    expect(code(await c.request('POST', path, {}, { 'sec-fetch-site': 'cross-site' }))).toBe('CSRF_INVALID');
    expect((await c.request('POST', path, {})).status).toBe(200);
    const forged = await new ConsoleClient(stack).login(users.mod.email, users.mod.password, {
      origin: 'https://evil.example',
    });
    expect([forged.status, code(forged)]).toEqual([403, 'CSRF_INVALID']);
  });
});

describe('roles, enforced on the server', () => {
  it('gives each role its queues and pages, and refuses the rest with 403 ROLE_FORBIDDEN', async () => {
    const [mod, lead, auditor, admin] = await Promise.all(
      (['mod', 'lead', 'auditor', 'admin'] as const).map(signedIn),
    );
    const queues = async (c: ConsoleClient) =>
      ((await c.request<{ queues: { queue: string }[] }>('GET', '/v1/console/queues')).body.queues ?? []).map(
        (q) => q.queue,
      );
    expect(await queues(mod)).toEqual(['review']);
    expect(await queues(lead)).toEqual(['review', 'qa', 'escalated', 'appeal']);
    expect(await queues(auditor)).toEqual([]);
    const cases: [string, ConsoleClient, string, string, number][] = [
      ['moderator takes QA', mod, 'POST', '/v1/console/queues/qa/next', 403],
      ['moderator reads stats', mod, 'GET', '/v1/console/stats', 403],
      ['moderator reads the audit log', mod, 'GET', '/v1/console/audit', 403],
      ['moderator lists users', mod, 'GET', '/v1/console/users', 403],
      ['auditor takes reviews', auditor, 'POST', '/v1/console/queues/review/next', 403],
      ['auditor reads decisions', auditor, 'GET', '/v1/console/decisions', 200],
      ['auditor reads the audit log', auditor, 'GET', '/v1/console/audit', 200],
      ['lead takes QA', lead, 'POST', '/v1/console/queues/qa/next', 200],
      ['lead reads stats', lead, 'GET', '/v1/console/stats', 200],
      ['lead lists users', lead, 'GET', '/v1/console/users', 403],
      ['admin lists users', admin, 'GET', '/v1/console/users', 200],
    ];
    for (const [what, c, method, path, status] of cases) {
      const res = await c.request(method, path, method === 'POST' ? {} : undefined);
      expect([what, res.status, res.status === 403 ? code(res) : undefined]).toEqual([
        what,
        status,
        status === 403 ? 'ROLE_FORBIDDEN' : undefined,
      ]);
    }
  });

  it("lets an admin manage only their tenants' users, audited with the admin as actor", async () => {
    const admin = await signedIn('admin');
    const created = await admin.request<{ id: string; memberships: unknown[] }>('POST', '/v1/console/users', {
      email: 'new@acme.test',
      display_name: 'New Moderator',
      password: 'a long enough password',
      memberships: [{ tenant: 'acme', role: 'moderator' }],
    });
    expect(created.status).toBe(201);
    expect(created.body.memberships).toEqual([{ tenant: 'acme', role: 'moderator' }]);
    const elsewhere = await admin.request('POST', '/v1/console/users', {
      email: 'x@acme.test',
      display_name: 'X',
      password: 'a long enough password',
      memberships: [{ tenant: 'deadend', role: 'moderator' }],
    });
    expect(code(elsewhere)).toBe('ROLE_FORBIDDEN');
    const promoted = await admin.request('PATCH', `/v1/console/users/${created.body.id}`, {
      memberships: [{ tenant: 'acme', role: 'lead' }],
    });
    expect(promoted.body).toMatchObject({ memberships: [{ tenant: 'acme', role: 'lead' }] });
    const otherAdmin = await signedIn('globexAdmin');
    expect(
      code(await otherAdmin.request('PATCH', `/v1/console/users/${created.body.id}`, { disabled: true })),
    ).toBe('USER_NOT_FOUND');
    const audit = await stack.db
      .selectFrom('audit_log')
      .select('body')
      .where('ref', '=', `user:${created.body.id}`)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => (a.body as { action: string; actor: { name: string } }).action)).toEqual([
      'create',
      'update',
    ]);
    expect((audit[0].body as { actor: { userId: string } }).actor.userId).toBe(users.admin.id);
  });

  it('records every login in the audit log', async () => {
    const logins = await stack.db
      .selectFrom('audit_log')
      .select('body')
      .where('kind', '=', 'login')
      .execute();
    expect(logins.filter((l) => (l.body as { ok: boolean }).ok).length).toBeGreaterThan(3);
    expect(logins.filter((l) => !(l.body as { ok: boolean }).ok).length).toBeGreaterThan(3);
  });
});
