import { Inject, Injectable } from '@nestjs/common';
import { decoyHash, newToken, tokenHash, verifyPassword } from '@clipguard/auth';
import type { AppEnv } from '@clipguard/config';
import { ApiError, preferencesSchema, type ConsoleSession } from '@clipguard/contracts';
import { ENV } from '@clipguard/infra';
import { AuditRepository, SessionRepository, UserRepository } from '@clipguard/storage';
import type { ConsoleUser } from './console-request';
import { LoginLimiter } from './login-limiter';

const GENERIC = 'email or password is incorrect';

/** Console sign-in: server-side sessions behind an opaque cookie token, audited, rate-limited. */
@Injectable()
export class SessionService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditRepository,
    private readonly limiter: LoginLimiter,
    @Inject(ENV) private readonly env: AppEnv,
  ) {}

  /**
   * Checks the password and opens a new session (a new token every time: rotation); the previous session
   * of this browser, if any, ends. A wrong email, a wrong password and a disabled account look the same.
   */
  async login(
    email: string,
    password: string,
    client: { ip: string; userAgent: string | null; previousToken?: string },
  ): Promise<{ token: string; session: ConsoleSession }> {
    await this.limiter.check(email, client.ip);
    const user = await this.users.findByEmail(email);
    const ok = await verifyPassword(user?.password_hash ?? (await decoyHash()), password);
    if (!user || !ok || user.disabled) {
      await this.limiter.failed(email, client.ip);
      await this.audit.append({
        kind: 'login',
        ref: `login:${email}`,
        body: { email, ok: false, ip: client.ip },
      });
      throw new ApiError('LOGIN_FAILED', GENERIC);
    }
    await this.limiter.succeeded(email);
    if (client.previousToken) await this.sessions.delete(tokenHash(client.previousToken));
    const token = newToken();
    const expiresAt = new Date(Date.now() + this.env.CLIPGUARD_CONSOLE_SESSION_HOURS * 3600_000);
    await this.sessions.create({
      tokenHash: tokenHash(token),
      userId: user.id,
      csrfToken: newToken(),
      ip: client.ip,
      userAgent: client.userAgent,
      expiresAt,
    });
    await this.audit.append({
      kind: 'login',
      ref: `user:${user.id}`,
      body: { email, ok: true, ip: client.ip },
    });
    const current = await this.current(token);
    if (!current) throw new ApiError('SESSION_REQUIRED', 'the new session could not be read back');
    return { token, session: this.describe(current) };
  }

  async logout(user: ConsoleUser): Promise<void> {
    await this.sessions.delete(user.tokenHash);
    await this.audit.append({ kind: 'logout', ref: `user:${user.id}`, body: { email: user.email } });
  }

  /** The live session a token stands for (its use counts as activity), or undefined. */
  async current(token: string): Promise<ConsoleUser | undefined> {
    const hash = tokenHash(token);
    const s = await this.sessions.touch(hash, this.env.CLIPGUARD_CONSOLE_IDLE_MINUTES);
    if (!s) return undefined;
    return {
      id: s.user_id,
      email: s.email,
      displayName: s.display_name,
      memberships: await this.users.memberships(s.user_id),
      tokenHash: hash,
      csrfToken: s.csrf_token,
      itemsViewed: s.items_viewed,
      expiresAt: s.expires_at,
      preferences: s.preferences,
    };
  }

  describe(u: ConsoleUser): ConsoleSession {
    return {
      user: { id: u.id, email: u.email, display_name: u.displayName },
      memberships: u.memberships,
      preferences: preferencesSchema.parse(u.preferences),
      csrf_token: u.csrfToken,
      items_viewed: u.itemsViewed,
      expires_at: u.expiresAt.toISOString(),
    };
  }
}
