import { GUARDS_METADATA } from '@nestjs/common/constants';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '@clipguard/contracts';
import { mockOf } from '@clipguard/testing';
import { ApiKeyGuard } from '../common/api-key.guard';
import { SubmissionService } from '../submissions/submission.service';
import { AppealService } from './appeal.service';
import { ModerationController } from './moderation.controller';
import { ModerationService } from './moderation.service';

const ID = '4e5f6071-0000-4000-8000-000000000001';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function newTestController() {
  const mocks = {
    moderations: mockOf(ModerationService),
    submissions: mockOf(SubmissionService),
    appeals: mockOf(AppealService),
  };
  mocks.submissions.accept.mockResolvedValue({ submissionId: ID, duplicate: false });
  const reply = { status: jest.fn() };
  const sut = new ModerationController(mocks.moderations, mocks.submissions, mocks.appeals);
  return { sut, mocks, reply: reply as unknown as FastifyReply & typeof reply };
}

const jsonRequest = (body: unknown) => ({ isMultipart: () => false, body }) as unknown as FastifyRequest;
const imagePart = (bytes: Buffer) => ({
  fieldname: 'image',
  type: 'file',
  toBuffer: () => Promise.resolve(bytes),
});
const multipartRequest = (bytes: Buffer) =>
  ({
    isMultipart: () => true,
    async *parts() {
      yield await Promise.resolve(imagePart(bytes));
    },
  }) as unknown as FastifyRequest;

describe('ModerationController', () => {
  it('is behind the API key guard', () => {
    expect(Reflect.getMetadata(GUARDS_METADATA, ModerationController)).toContain(ApiKeyGuard);
  });

  it("accepts a JSON body for the guard's tenant, making up an event id when none is given", async () => {
    const { sut, mocks, reply } = newTestController();

    const res = await sut.create(
      'acme',
      jsonRequest({ content: { url: 'https://x.example/a.png' } }),
      reply,
      {
        wait: 0,
      },
    );

    expect(res).toEqual({ submission_id: ID, status_url: `/v1/moderations/${ID}` });
    const [tenant, body] = mocks.submissions.accept.mock.calls[0];
    expect(tenant).toBe('acme');
    expect(body).toMatchObject({ content: { url: 'https://x.example/a.png' }, priority: 'normal' });
    expect(body.event_id).toMatch(UUID);
    expect(mocks.moderations.waitUntilFinal).not.toHaveBeenCalled();
  });

  it('keeps the event id the client gave', async () => {
    const { sut, mocks, reply } = newTestController();

    await sut.create('acme', jsonRequest({ event_id: 'evt-9', content: { base64: 'aGk=' } }), reply, {
      wait: 0,
    });

    expect(mocks.submissions.accept.mock.calls[0][1].event_id).toBe('evt-9');
  });

  it('refuses an invalid JSON body with BODY_INVALID before accepting anything', async () => {
    const { sut, mocks, reply } = newTestController();

    await expect(sut.create('acme', jsonRequest({ content: {} }), reply, { wait: 0 })).rejects.toMatchObject({
      code: 'BODY_INVALID',
    });
    expect(mocks.submissions.accept).not.toHaveBeenCalled();
  });

  it('accepts a multipart upload as inline content', async () => {
    const { sut, mocks, reply } = newTestController();

    await sut.create('acme', multipartRequest(Buffer.from('png bytes')), reply, { wait: 0 });

    expect(mocks.submissions.accept.mock.calls[0][1]).toMatchObject({
      content: { base64: Buffer.from('png bytes').toString('base64') },
      priority: 'normal',
    });
  });

  it('answers 200 with the decision when it is ready within ?wait', async () => {
    const { sut, mocks, reply } = newTestController();
    mocks.moderations.waitUntilFinal.mockResolvedValue(true);
    const view = { id: ID, status: 'decided' } as Awaited<ReturnType<ModerationService['view']>>;
    mocks.moderations.view.mockResolvedValue(view);

    const res = await sut.create('acme', jsonRequest({ content: { base64: 'aGk=' } }), reply, { wait: 500 });

    expect(mocks.moderations.waitUntilFinal).toHaveBeenCalledWith(ID, 500);
    expect(mocks.moderations.view).toHaveBeenCalledWith(ID, 'acme');
    expect(reply.status).toHaveBeenCalledWith(200);
    expect(res).toBe(view);
  });

  it('answers 202 with the status URL when the decision is not ready within ?wait', async () => {
    const { sut, mocks, reply } = newTestController();
    mocks.moderations.waitUntilFinal.mockResolvedValue(false);

    const res = await sut.create('acme', jsonRequest({ content: { base64: 'aGk=' } }), reply, { wait: 500 });

    expect(reply.status).not.toHaveBeenCalled();
    expect(res).toEqual({ submission_id: ID, status_url: `/v1/moderations/${ID}` });
  });

  it('shows a submission as the acting tenant sees it', async () => {
    const { sut, mocks } = newTestController();

    await sut.get('acme', ID);

    expect(mocks.moderations.view).toHaveBeenCalledWith(ID, 'acme');
  });

  it("lists the acting tenant's submissions with the filters as dates", async () => {
    const { sut, mocks } = newTestController();

    await sut.list('acme', {
      verdict: 'block',
      since: '2026-01-01T00:00:00Z',
      before: '2026-02-01T00:00:00Z',
      limit: 10,
    });

    expect(mocks.moderations.list).toHaveBeenCalledWith({
      tenant: 'acme',
      verdict: 'block',
      since: new Date('2026-01-01T00:00:00Z'),
      before: new Date('2026-02-01T00:00:00Z'),
      limit: 10,
    });
  });

  it("refuses to list another tenant's submissions with TENANT_FORBIDDEN", () => {
    const { sut, mocks } = newTestController();

    expect(() => sut.list('acme', { tenant: 'globex', limit: 10 })).toThrow(ApiError);
    expect(() => sut.list('acme', { tenant: 'globex', limit: 10 })).toThrow(
      expect.objectContaining({ code: 'TENANT_FORBIDDEN', status: 403 }) as Error,
    );
    expect(mocks.moderations.list).not.toHaveBeenCalled();
  });
});
