import { RateMeter, formatDuration } from '../src/progress';

describe('RateMeter', () => {
  it('gives no rate or time left until results span two seconds', () => {
    const m = new RateMeter(10_000, 2_000);
    m.record(0, 0);
    m.record(32, 1_500);
    expect(m.rate()).toBeUndefined();
    expect(m.secondsLeft(100)).toBeUndefined();
    m.record(64, 2_000);
    expect(m.rate()).toBe(32); // 64 images in 2 s
    expect(m.secondsLeft(128)).toBe(2); // 64 left at 32/s
  });

  it('measures over the last window only, so a slow start stops counting', () => {
    const m = new RateMeter(10_000, 2_000);
    m.record(0, 0);
    m.record(10, 10_000); // warm-up: 1 image/s
    m.record(110, 15_000);
    m.record(210, 20_000); // 20 images/s since 10 s
    expect(m.rate()).toBe(20);
    expect(m.secondsLeft(410)).toBe(10);
  });

  it('formats durations as a person reads them', () => {
    expect(formatDuration(undefined)).toBe('estimating…');
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(125)).toBe('2m05s');
    expect(formatDuration(3 * 3600 + 7 * 60)).toBe('3h07m');
  });
});
