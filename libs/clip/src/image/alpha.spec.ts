import { premultiply, unpremultiply } from './alpha';

// Values worked by hand from libImaging/Convert.c: rgbA2rgba multiplies with MULDIV255 (rounded),
// rgba2rgbA divides in floating point, clips to 255 and truncates, and copies alpha 0 and 255 untouched.
describe('premultiplying by alpha (RGBA → RGBa)', () => {
  it('scales every colour channel by alpha/255, rounded, and keeps alpha', () => {
    const rgba = Uint8Array.from([200, 100, 3, 128, 255, 255, 255, 255, 90, 90, 90, 0]);
    expect(Array.from(premultiply(rgba, 4))).toEqual([100, 50, 2, 128, 255, 255, 255, 255, 0, 0, 0, 0]);
    expect(Array.from(rgba.subarray(0, 4))).toEqual([200, 100, 3, 128]); // the input is left as it was
  });

  it('treats the last channel as alpha for LA', () => {
    expect(Array.from(premultiply(Uint8Array.from([255, 51, 40, 200]), 2))).toEqual([51, 51, 31, 200]);
  });
});

describe('dividing alpha out again (RGBa → RGBA)', () => {
  it('divides, truncates and clips to 255', () => {
    const data = Uint8Array.from([64, 0, 200, 128, 9, 9, 9, 10]);
    unpremultiply(data, 4);
    expect(Array.from(data)).toEqual([127, 0, 255, 128, 229, 229, 229, 10]);
  });

  it('copies pixels with alpha 0 or 255 untouched, rather than dividing by zero', () => {
    const data = Uint8Array.from([10, 20, 30, 0, 10, 20, 30, 255]);
    unpremultiply(data, 4);
    expect(Array.from(data)).toEqual([10, 20, 30, 0, 10, 20, 30, 255]);
    const la = Uint8Array.from([7, 0, 100, 50]);
    unpremultiply(la, 2);
    expect(Array.from(la)).toEqual([7, 0, 255, 50]);
  });
});
