import { Body, Controller, Get, HttpCode, Inject, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AppEnv } from '@clipguard/config';
import { loginBodySchema, preferencesSchema, type LoginBody, type Preferences } from '@clipguard/contracts';
import { ENV } from '@clipguard/infra';
import { UserRepository } from '@clipguard/storage';
import { ZodPipe } from '../common/zod.pipe';
import { ConsoleGuard, sameOrigin } from './console.guard';
import { CurrentUser, SESSION_COOKIE, type ConsoleRequest, type ConsoleUser } from './console-request';
import { SessionService } from './session.service';
import { ApiError } from '@clipguard/contracts';

@Controller('v1/console')
export class ConsoleAuthController {
  constructor(
    private readonly sessions: SessionService,
    private readonly users: UserRepository,
    @Inject(ENV) private readonly env: AppEnv,
  ) {}

  /** Signs in; the session token goes only into an HttpOnly, SameSite=Strict cookie. */
  @Post('login')
  @HttpCode(200)
  async login(
    @Req() req: ConsoleRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body(new ZodPipe(loginBodySchema)) body: LoginBody,
  ) {
    // Login CSRF: a form on another site must not sign the browser into an attacker's account.
    if (!sameOrigin(req)) throw new ApiError('CSRF_INVALID', 'sign in from the console itself');
    const { token, session } = await this.sessions.login(body.email, body.password, {
      ip: req.ip,
      userAgent: req.headers['user-agent'] ?? null,
      previousToken: req.cookies[SESSION_COOKIE],
    });
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure:
        this.env.CLIPGUARD_CONSOLE_SECURE_COOKIE === 'always' ||
        (this.env.CLIPGUARD_CONSOLE_SECURE_COOKIE === 'auto' && req.protocol === 'https'),
      expires: new Date(session.expires_at),
    });
    return session;
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(ConsoleGuard)
  async logout(@CurrentUser() user: ConsoleUser, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.sessions.logout(user);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('session')
  @UseGuards(ConsoleGuard)
  session(@CurrentUser() user: ConsoleUser) {
    return this.sessions.describe(user);
  }

  @Put('me/preferences')
  @UseGuards(ConsoleGuard)
  async preferences(
    @CurrentUser() user: ConsoleUser,
    @Body(new ZodPipe(preferencesSchema)) prefs: Preferences,
  ): Promise<Preferences> {
    await this.users.setPreferences(user.id, prefs);
    return prefs;
  }
}
