import { deflateSync } from 'node:zlib';

/** A PNG whose header claims width × height pixels over a tiny body: a decompression bomb's signature. */
export function pngBombHeader(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
  ]);
}

/** An animated GIF of the given frames (encoded images of one size), one frame every 100 ms. */
export async function animatedGif(frames: Buffer[]): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  return sharp(frames, { join: { animated: true } })
    .gif({ delay: frames.map(() => 100) })
    .toBuffer();
}
