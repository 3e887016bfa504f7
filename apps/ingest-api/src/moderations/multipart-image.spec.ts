import multipart from '@fastify/multipart';
import { Controller, Module, Post, Req } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { LOGGER } from '@clipguard/infra';
import { silentLogger } from '@clipguard/testing';
import { ProblemFilter } from '../common/problem.filter';
import { multipartImage } from './multipart-image';

@Controller('upload')
class UploadController {
  @Post()
  async upload(@Req() req: FastifyRequest) {
    return { bytes: (await multipartImage(req)).toString('hex') };
  }
}

@Module({
  controllers: [UploadController],
  providers: [
    { provide: LOGGER, useValue: silentLogger() },
    { provide: APP_FILTER, useClass: ProblemFilter },
  ],
})
class UploadModule {}

type Part = { name: string; file?: string; content: Buffer | string };
const BOUNDARY = '----clipguard-unit-boundary';

/** A multipart/form-data body as a browser or curl sends it. */
function formData(parts: Part[]): Buffer {
  const chunks = parts.flatMap((p) => [
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"` +
        (p.file ? `; filename="${p.file}"\r\nContent-Type: image/png` : '') +
        '\r\n\r\n',
    ),
    Buffer.from(p.content),
    Buffer.from('\r\n'),
  ]);
  return Buffer.concat([...chunks, Buffer.from(`--${BOUNDARY}--\r\n`)]);
}

describe('multipartImage in a Fastify app', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(UploadModule, new FastifyAdapter(), {
      logger: false,
    });
    await app.register(multipart, { limits: { files: 1 } });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  const upload = (parts: Part[]) =>
    app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'POST',
        url: '/upload',
        payload: formData(parts),
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      });

  it('returns the bytes of the file field "image"', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);

    const res = await upload([{ name: 'image', file: 'a.png', content: bytes }]);

    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ bytes: bytes.toString('hex') });
  });

  it('refuses a file under another field name with MULTIPART_FIELD_INVALID', async () => {
    const res = await upload([{ name: 'photo', file: 'a.png', content: 'x' }]);

    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'MULTIPART_FIELD_INVALID' });
    expect(res.json<{ detail: string }>().detail).toContain('"photo"');
  });

  it('refuses a text field named "image" with MULTIPART_FIELD_INVALID', async () => {
    const res = await upload([{ name: 'image', content: 'aGVsbG8=' }]);

    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'MULTIPART_FIELD_INVALID' });
  });

  it('refuses an extra field beside the image', async () => {
    const res = await upload([
      { name: 'image', file: 'a.png', content: 'x' },
      { name: 'note', content: 'hi' },
    ]);

    expect(res.json()).toMatchObject({ code: 'MULTIPART_FIELD_INVALID' });
  });

  it('refuses an upload without any part with IMAGE_MISSING', async () => {
    const res = await upload([]);

    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'IMAGE_MISSING' });
  });
});
