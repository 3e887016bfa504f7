import { randomBytes } from 'node:crypto';
import { hashPassword } from '@clipguard/auth';
import { loadPipelineEnv } from '@clipguard/config';
import type { Membership } from '@clipguard/contracts';
import { UserRepository, createDatabase, migrateToLatest } from '@clipguard/storage';

const DEMO_USERS: { email: string; name: string; memberships: Membership[] }[] = [
  {
    email: 'moderator@demo.local',
    name: 'Demo Moderator',
    memberships: [{ tenant: 'demo', role: 'moderator' }],
  },
  { email: 'lead@demo.local', name: 'Demo Lead', memberships: [{ tenant: 'demo', role: 'lead' }] },
  { email: 'auditor@demo.local', name: 'Demo Auditor', memberships: [{ tenant: 'demo', role: 'auditor' }] },
];
const operator = { userId: null, name: 'npm run demo' };

/**
 * The schema, and a demo moderator, lead and auditor for the review console, their passwords made up now and printed
 * once (every run makes new ones).
 */
export async function setUpDemo(source: NodeJS.ProcessEnv): Promise<void> {
  const env = loadPipelineEnv(source);
  const db = createDatabase(env.DATABASE_URL, { max: 1 });
  try {
    await migrateToLatest(db);
    const users = new UserRepository(db);
    const lines: string[] = [];
    for (const u of DEMO_USERS) {
      const password = randomBytes(12).toString('base64url');
      const passwordHash = await hashPassword(password);
      const existing = await users.findByEmail(u.email);
      if (existing)
        await users.update(
          existing.id,
          { passwordHash, disabled: false, memberships: u.memberships },
          operator,
        );
      else
        await users.create(
          { email: u.email, displayName: u.name, passwordHash, memberships: u.memberships },
          operator,
        );
      lines.push(`  ${u.memberships[0].role.padEnd(9)}  ${u.email.padEnd(22)}  ${password}`);
    }
    console.log(
      [
        '',
        `Review console: http://localhost:${env.PORT}/console  (these passwords are shown once)`,
        ...lines,
        'Put a few items in review:  npm run demo:send',
        '',
      ].join('\n'),
    );
  } finally {
    await db.destroy();
  }
}
