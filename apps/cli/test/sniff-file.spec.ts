import { sniffFile } from '../src/inputs/sniff-file';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const text = (s: string) => Buffer.from(s, 'utf8');

describe('sniffFile: what scan does with a file, from its bytes', () => {
  it('takes images by their bytes, whatever the name', () => {
    expect(sniffFile('horse.PNG', PNG, 100, false)).toEqual({ kind: 'image', format: 'png' });
    expect(sniffFile('no-extension', PNG, 100, false)).toEqual({ kind: 'image', format: 'png' });
    expect(sniffFile('photo.png', JPEG, 100, false)).toEqual({ kind: 'image', format: 'jpeg' });
  });

  it('refuses SVG by content and other image formats by name, saying why', () => {
    const svg = sniffFile(
      'drawing',
      text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'),
      60,
      false,
    );
    expect(svg).toMatchObject({ kind: 'unreadable', code: 'IMAGE_UNSUPPORTED' });
    expect(svg.kind === 'unreadable' && svg.reason).toMatch(/^SVG images are not supported/);
    expect(sniffFile('scan.bmp', Buffer.from('BM....'), 6, false)).toMatchObject({
      kind: 'unreadable',
      reason: expect.stringMatching(/^BMP images/) as unknown,
    });
  });

  it('skips what is not an image in a directory, but an image-named file or a named file is an error', () => {
    expect(sniffFile('README.md', text('# hi'), 4, false)).toEqual({
      kind: 'skipped',
      reason: 'not an image (text file)',
    });
    expect(sniffFile('data.bin', Buffer.from([0, 1, 2, 3]), 4, false)).toEqual({
      kind: 'skipped',
      reason: 'not an image',
    });
    expect(sniffFile('fake.png', text('hello'), 5, false)).toMatchObject({
      kind: 'unreadable',
      reason: 'not an image: named .png but its bytes are not JPEG, PNG, WebP, GIF, TIFF or AVIF',
    });
    expect(sniffFile('notes.txt', text('x'), 1, true)).toMatchObject({
      kind: 'unreadable',
      code: 'IMAGE_UNSUPPORTED',
    });
  });

  it('treats empty files as empty images when they were meant as images', () => {
    expect(sniffFile('a.jpg', Buffer.alloc(0), 0, false)).toEqual({
      kind: 'unreadable',
      code: 'IMAGE_EMPTY',
      reason: 'empty file (0 bytes)',
    });
    expect(sniffFile('x', Buffer.alloc(0), 0, true)).toMatchObject({
      kind: 'unreadable',
      code: 'IMAGE_EMPTY',
    });
    expect(sniffFile('.keep', Buffer.alloc(0), 0, false)).toEqual({ kind: 'skipped', reason: 'empty file' });
  });
});
