import type { FastifyRequest } from 'fastify';
import { ApiError } from '@clipguard/contracts';

/** The bytes of the one file field "image" of a multipart upload; any other field is refused. */
export async function multipartImage(req: FastifyRequest): Promise<Buffer> {
  let image: Buffer | undefined;
  for await (const part of req.parts()) {
    if (part.fieldname !== 'image' || part.type !== 'file')
      throw new ApiError(
        'MULTIPART_FIELD_INVALID',
        `unexpected multipart ${part.type} field "${part.fieldname}": send one file field named "image"`,
      );
    image = await part.toBuffer();
  }
  if (!image) throw new ApiError('IMAGE_MISSING', 'multipart upload needs a file field "image"');
  return image;
}
