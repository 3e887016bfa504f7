import sharp from 'sharp';
import { hardenSharp } from './preprocess';

const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
/** What hardenSharp blocks; of these, sharp's prebuilt libvips reads only SVG from a buffer. */
const BLOCKED = [
  'VipsForeignLoadSvg',
  'VipsForeignLoadPdf',
  'VipsForeignLoadMagick',
  'VipsForeignLoadOpenslide',
  'VipsForeignLoadFits',
  'VipsForeignLoadMatrix',
  'VipsForeignLoadCsv',
  'VipsForeignLoadVips',
  'VipsForeignLoadJxl',
];

describe('hardenSharp', () => {
  // The blocks and the cache are process-wide, and jest runs other spec files in this worker process before
  // and after this one (the CLI's scan calls hardenSharp): start from libvips' defaults, and leave them.
  const reset = () => {
    sharp.unblock({ operation: BLOCKED });
    sharp.cache(true);
  };
  beforeEach(reset);
  afterEach(reset);

  it("blocks libvips' SVG loader (librsvg) even when asked directly, and turns the operation cache off", async () => {
    expect((await sharp(SVG).metadata()).format).toBe('svg');
    hardenSharp();
    await expect(sharp(SVG).metadata()).rejects.toThrow(/unsupported image format/);
    expect(sharp.cache()).toMatchObject({ memory: { max: 0 }, files: { max: 0 }, items: { max: 0 } });
  });
});
