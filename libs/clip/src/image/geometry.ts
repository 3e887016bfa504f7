/** Python's round(): halves go to the even neighbour. The reference's crop offsets use it. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d !== 0.5) return Math.round(x);
  return f % 2 === 0 ? f : f + 1;
}

export interface Size {
  width: number;
  height: number;
}

/** A rectangle in pixel coordinates; `left`/`top` may be negative for a crop larger than the image. */
export interface Box extends Size {
  left: number;
  top: number;
}

/** torchvision Resize(int) on the shorter side: the longer side is truncated, not rounded. */
export function resizedSize(width: number, height: number, shortest: number): Size {
  if (shortest <= 0) return { width, height };
  return width <= height
    ? { width: shortest, height: Math.trunc((shortest * height) / width) }
    : { width: Math.trunc((shortest * width) / height), height: shortest };
}

/** torchvision CenterCrop: offsets `round((size - crop) / 2)` with Python's rounding. */
export function centreCrop(size: Size, crop: Size): Box {
  return {
    left: roundHalfEven((size.width - crop.width) / 2),
    top: roundHalfEven((size.height - crop.height) / 2),
    width: crop.width,
    height: crop.height,
  };
}

/** Evenly spaced frame indices, always starting with the first frame. */
export function sampleFrames(frameCount: number, wanted: number): number[] {
  const n = Math.max(1, Math.min(wanted, frameCount));
  return Array.from({ length: n }, (_, i) => Math.floor((i * frameCount) / n));
}
