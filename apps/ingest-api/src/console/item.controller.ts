import { Body, Controller, Get, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { sniffImageFormat } from '@clipguard/clip';
import {
  appealDecisionBodySchema,
  assignBodySchema,
  escalateBodySchema,
  resolveBodySchema,
  type ResolveBody,
} from '@clipguard/contracts';
import { UserRepository } from '@clipguard/storage';
import { ZodPipe } from '../common/zod.pipe';
import { ConsoleGuard } from './console.guard';
import { CurrentUser, type ConsoleUser } from './console-request';
import { ItemService } from './item.service';
import { ApiError } from '@clipguard/contracts';

const MIME: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  avif: 'image/avif',
};

@Controller('v1/console/items')
@UseGuards(ConsoleGuard)
export class ConsoleItemController {
  constructor(
    private readonly items: ItemService,
    private readonly users: UserRepository,
  ) {}

  @Get(':id')
  view(@CurrentUser() user: ConsoleUser, @Param('id') id: string) {
    return this.items.view(user, id, true);
  }

  @Get(':id/similar')
  similar(@CurrentUser() user: ConsoleUser, @Param('id') id: string) {
    return this.items.similar(user, id);
  }

  /**
   * The image from our blob store: its type sniffed from its bytes (never trusted from the upload), shown
   * inline, kept out of shared caches, and never re-interpreted by the browser.
   */
  @Get(':id/image')
  async image(@CurrentUser() user: ConsoleUser, @Param('id') id: string, @Res() reply: FastifyReply) {
    const bytes = await this.items.image(user, id);
    const format = sniffImageFormat(bytes);
    await reply
      .header('content-type', (format && MIME[format]) ?? 'application/octet-stream')
      .header('content-disposition', 'inline')
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(bytes);
  }

  @Post(':id/renew')
  @HttpCode(200)
  renew(@CurrentUser() user: ConsoleUser, @Param('id') id: string) {
    return this.items.renew(user, id);
  }

  @Post(':id/release')
  @HttpCode(204)
  release(@CurrentUser() user: ConsoleUser, @Param('id') id: string) {
    return this.items.release(user, id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  async assign(
    @CurrentUser() user: ConsoleUser,
    @Param('id') id: string,
    @Body(new ZodPipe(assignBodySchema)) body: { user_id: string },
  ) {
    const target = await this.users.find(body.user_id);
    if (!target || target.disabled) throw new ApiError('USER_NOT_FOUND', `no active user ${body.user_id}`);
    return this.items.assign(user, id, target.id, await this.users.memberships(target.id));
  }

  @Post(':id/resolve')
  @HttpCode(200)
  resolve(
    @CurrentUser() user: ConsoleUser,
    @Param('id') id: string,
    @Body(new ZodPipe(resolveBodySchema)) body: ResolveBody,
  ) {
    return this.items.resolve(user, id, body);
  }

  @Post(':id/escalate')
  @HttpCode(204)
  escalate(
    @CurrentUser() user: ConsoleUser,
    @Param('id') id: string,
    @Body(new ZodPipe(escalateBodySchema)) body: { reason: string },
  ) {
    return this.items.escalate(user, id, body.reason);
  }

  @Post(':id/appeal-decision')
  @HttpCode(200)
  decideAppeal(
    @CurrentUser() user: ConsoleUser,
    @Param('id') id: string,
    @Body(new ZodPipe(appealDecisionBodySchema)) body: z.infer<typeof appealDecisionBodySchema>,
  ) {
    return this.items.decideAppeal(user, id, body.decision, body.note);
  }
}
