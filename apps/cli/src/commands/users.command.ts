import type { Command } from 'commander';
import { hashPassword } from '@clipguard/auth';
import { loadPipelineEnv } from '@clipguard/config';
import { ROLES, emailSchema, passwordSchema, roleSchema, type Membership } from '@clipguard/contracts';
import { UserRepository, createDatabase, migrateToLatest } from '@clipguard/storage';
import { CliError, UsageError } from '../errors';
import { collect, parseOption } from '../options';
import { formatTable, type CliIo } from '../output';

// The CLI acts as the operator of the machine it runs on; the audit log names it so.
const OPERATOR = { userId: null, name: 'clipguard-cli' };

/** `tenant:role` pairs, e.g. `acme:moderator`. */
function memberships(values: string[]): Membership[] {
  return values.map((v) => {
    const [tenant, role] = v.split(':');
    const parsed = roleSchema.safeParse(role);
    if (!tenant || !parsed.success)
      throw new UsageError(`--role ${v}: expected TENANT:ROLE with ROLE one of ${ROLES.join(', ')}`);
    return { tenant, role: parsed.data };
  });
}

async function withUsers(opts: { databaseUrl?: string }, work: (users: UserRepository) => Promise<void>) {
  const db = createDatabase(opts.databaseUrl ?? loadPipelineEnv().DATABASE_URL, { max: 1 });
  try {
    await migrateToLatest(db);
    await work(new UserRepository(db));
  } finally {
    await db.destroy();
  }
}

async function findOrFail(users: UserRepository, email: string) {
  const user = await users.findByEmail(email);
  if (!user)
    throw new CliError('USER_NOT_FOUND', `no user ${email}`, 'list them with `clipguard users list`');
  return user;
}

export function registerUsers(program: Command, io: CliIo): void {
  const users = program.command('users').description('review console accounts and their roles per tenant');
  const db = ['--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL)'] as const;

  users
    .command('add')
    .description('create a user; the password is read from $CLIPGUARD_NEW_PASSWORD or --password')
    .requiredOption('--email <email>')
    .requiredOption('--name <display name>')
    .option('--role <tenant:role>', 'a membership (repeatable), e.g. acme:moderator', collect, [])
    .option(
      '--password <password>',
      'at least 12 characters (prefer $CLIPGUARD_NEW_PASSWORD: argv is visible to other users)',
    )
    .option(...db)
    .action(
      async (o: { email: string; name: string; role: string[]; password?: string; databaseUrl?: string }) => {
        const email = parseOption(emailSchema, o.email, '--email');
        const password = parseOption(
          passwordSchema,
          o.password ?? loadPipelineEnv().CLIPGUARD_NEW_PASSWORD,
          'password',
        );
        const roles = memberships(o.role);
        if (roles.length === 0) throw new UsageError('--role: give at least one TENANT:ROLE');
        await withUsers(o, async (repo) => {
          if (await repo.findByEmail(email))
            throw new CliError(
              'USER_EXISTS',
              `a user ${email} exists already`,
              'change it with `clipguard users set-role`',
            );
          const id = await repo.create(
            { email, displayName: o.name, passwordHash: await hashPassword(password), memberships: roles },
            OPERATOR,
          );
          io.out(JSON.stringify({ id, email, memberships: roles }));
        });
      },
    );

  users
    .command('list')
    .description('every user with their roles')
    .option('--json', 'JSON lines instead of a table')
    .option(...db)
    .action(async (o: { json?: boolean; databaseUrl?: string }) =>
      withUsers(o, async (repo) => {
        const all = await repo.list();
        if (o.json) for (const u of all) io.out(JSON.stringify(u));
        else
          io.out(
            formatTable([
              ['email', 'name', 'roles', 'disabled'],
              ...all.map((u) => [
                u.email,
                u.display_name,
                u.memberships.map((m) => `${m.tenant}:${m.role}`).join(' '),
                u.disabled ? 'yes' : '',
              ]),
            ]),
          );
      }),
    );

  users
    .command('disable')
    .description('disable a user (ends their sessions)')
    .argument('<email>')
    .option('--enable', 'enable again instead')
    .option(...db)
    .action(async (email: string, o: { enable?: boolean; databaseUrl?: string }) =>
      withUsers(o, async (repo) => {
        const user = await findOrFail(repo, email);
        await repo.update(user.id, { disabled: !o.enable }, OPERATOR);
      }),
    );

  users
    .command('reset-password')
    .description("set a new password (from $CLIPGUARD_NEW_PASSWORD or --password); ends the user's sessions")
    .argument('<email>')
    .option('--password <password>')
    .option(...db)
    .action(async (email: string, o: { password?: string; databaseUrl?: string }) => {
      const password = parseOption(
        passwordSchema,
        o.password ?? loadPipelineEnv().CLIPGUARD_NEW_PASSWORD,
        'password',
      );
      await withUsers(o, async (repo) => {
        const user = await findOrFail(repo, email);
        await repo.update(user.id, { passwordHash: await hashPassword(password) }, OPERATOR);
      });
    });

  users
    .command('set-role')
    .description(
      "set the user's roles: each --role TENANT:ROLE replaces that tenant's role; --remove TENANT drops it",
    )
    .argument('<email>')
    .option('--role <tenant:role>', 'repeatable', collect, [])
    .option('--remove <tenant>', 'repeatable', collect, [])
    .option(...db)
    .action(async (email: string, o: { role: string[]; remove: string[]; databaseUrl?: string }) => {
      const changes = memberships(o.role);
      await withUsers(o, async (repo) => {
        const user = await findOrFail(repo, email);
        const kept = (await repo.memberships(user.id)).filter(
          (m) => !o.remove.includes(m.tenant) && !changes.some((c) => c.tenant === m.tenant),
        );
        await repo.update(user.id, { memberships: [...kept, ...changes] }, OPERATOR);
        io.out(JSON.stringify({ email, memberships: [...kept, ...changes] }));
      });
    });
}
