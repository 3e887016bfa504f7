import sharp from 'sharp';
import { seededRandom } from '@clipguard/policy';

/**
 * Renders the tiny CLIP's world (coloured shapes) with sharp from SVG: a different rasteriser from the
 * PIL renderer the model was trained on, so passing means it learnt shapes and colours, not pixels.
 */
export const SHAPES = ['circle', 'square', 'triangle', 'star', 'cross', 'heart'] as const;
export const COLOURS = {
  red: '#dc1e1e',
  green: '#1eaa32',
  blue: '#1e3cdc',
  yellow: '#f0dc1e',
  purple: '#8c28b4',
  orange: '#fa8c14',
  black: '#0f0f0f',
  white: '#f5f5f5',
} as const;
export type Shape = (typeof SHAPES)[number];
export type Colour = keyof typeof COLOURS;
export const COLOUR_NAMES = Object.keys(COLOURS) as Colour[];

export interface Scene {
  shape: Shape;
  colour: Colour;
  size: 'small' | 'large';
  count?: 1 | 2 | 3;
  background?: 'plain' | 'gradient' | 'stripes';
}

/** Deterministic PRNG so every run renders the same held-out set. */
export const rng = seededRandom;

function outline(shape: Shape): string {
  switch (shape) {
    case 'circle':
      return '<circle cx="0" cy="0" r="1"/>';
    case 'square':
      return '<rect x="-0.8" y="-0.8" width="1.6" height="1.6"/>';
    case 'triangle':
      return '<polygon points="0,-1 0.866,0.5 -0.866,0.5"/>';
    case 'star': {
      const pts = Array.from({ length: 10 }, (_, i) => {
        const r = i % 2 === 0 ? 1 : 0.42;
        const t = (i * Math.PI) / 5 - Math.PI / 2;
        return `${(r * Math.cos(t)).toFixed(3)},${(r * Math.sin(t)).toFixed(3)}`;
      });
      return `<polygon points="${pts.join(' ')}"/>`;
    }
    case 'cross':
      return '<path d="M-0.3,-0.95 H0.3 V-0.3 H0.95 V0.3 H0.3 V0.95 H-0.3 V0.3 H-0.95 V-0.3 H-0.3 Z"/>';
    case 'heart':
      return '<path d="M0,0.85 C-0.35,0.55 -1,0.15 -0.95,-0.3 C-0.9,-0.75 -0.25,-0.85 0,-0.35 C0.25,-0.85 0.9,-0.75 0.95,-0.3 C1,0.15 0.35,0.55 0,0.85 Z"/>';
  }
}

const TONES = ['#c8c8c8', '#787878', '#aabecd', '#cdbeaa', '#96a596'];

function distance(a: string, b: string): number {
  const rgb = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
  const [x, y] = [rgb(a), rgb(b)];
  return Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2]);
}

export async function renderScene(scene: Scene, random: () => number, size = 256): Promise<Buffer> {
  const fill = COLOURS[scene.colour];
  const tones = TONES.filter((t) => distance(t, fill) > 90);
  const tone = tones[Math.floor(random() * tones.length)];
  const other = TONES[Math.floor(random() * TONES.length)];
  const bg = scene.background ?? 'plain';
  const defs =
    bg === 'gradient'
      ? `<linearGradient id="g"><stop offset="0" stop-color="${tone}"/><stop offset="1" stop-color="${other}"/></linearGradient>`
      : bg === 'stripes'
        ? `<pattern id="g" width="24" height="24" patternUnits="userSpaceOnUse"><rect width="24" height="24" fill="${tone}"/><rect width="24" height="12" fill="#000" fill-opacity="0.14"/></pattern>`
        : '';
  const background = bg === 'plain' ? tone : 'url(#g)';
  const n = scene.count ?? 1;
  const base = scene.size === 'large' ? 0.3 + random() * 0.08 : 0.14 + random() * 0.04;
  const r = (size * base) / (n === 1 ? 1 : n === 2 ? 1.5 : 1.9);
  const centres: [number, number][] = [];
  for (let tries = 0; centres.length < n && tries < 500; tries++) {
    const m = r * 1.1 + 4;
    const c: [number, number] = [m + random() * (size - 2 * m), m + random() * (size - 2 * m)];
    if (centres.every(([x, y]) => Math.hypot(x - c[0], y - c[1]) > 2.2 * r)) centres.push(c);
  }
  const shapes = centres
    .map(([x, y]) => {
      const angle = scene.shape === 'circle' ? 0 : (random() - 0.5) * 50;
      return `<g transform="translate(${x.toFixed(1)} ${y.toFixed(1)}) rotate(${angle.toFixed(1)}) scale(${r.toFixed(2)})" fill="${fill}">${outline(scene.shape)}</g>`;
    })
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><defs>${defs}</defs><rect width="100%" height="100%" fill="${background}"/>${shapes}</svg>`;
  // `scan` and the worker block SVG process-wide for untrusted input; this trusted test renderer needs it,
  // and jest runs every suite in one process, so it lifts the block for its own loader.
  sharp.unblock({ operation: ['VipsForeignLoadSvgBuffer', 'VipsForeignLoadSvg'] });
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export function randomScene(random: () => number): Scene {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  return {
    shape: pick(SHAPES),
    colour: pick(COLOUR_NAMES),
    size: pick(['small', 'large'] as const),
    count: pick([1, 1, 2, 3] as const),
    background: pick(['plain', 'gradient', 'stripes'] as const),
  };
}
