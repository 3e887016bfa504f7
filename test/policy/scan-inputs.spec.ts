import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_IMAGES, TINY_CLIP_DIR, clipguard, clipguardWith } from '@clipguard/testing';
import { POLICY_V1, writeScenes } from './fixtures';

const work = mkdtempSync(join(tmpdir(), 'clipguard-inputs-'));
const model = ['--model', TINY_CLIP_DIR, '--cache-dir', join(work, 'cache'), '--policy', POLICY_V1];
const mixed = join(work, 'mixed');
const empty = join(work, 'empty');

interface Line {
  file: string;
  verdict?: string;
  skipped?: string;
  code?: string;
  error?: string;
}

beforeAll(async () => {
  mkdirSync(mixed, { recursive: true });
  mkdirSync(empty, { recursive: true });
  const horse = join(SHARED_IMAGES, 'horse.png');
  copyFileSync(horse, join(mixed, 'horse.png'));
  copyFileSync(horse, join(mixed, 'horse.PNG'));
  copyFileSync(horse, join(mixed, 'png-without-extension'));
  writeFileSync(join(mixed, 'drawing.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>');
  writeFileSync(join(mixed, 'notes.txt'), 'not an image\n');
  writeFileSync(join(mixed, 'README.md'), '# uploads\n');
  await writeScenes(join(work, 'one'), [{ shape: 'star', colour: 'blue', size: 'large' }], 2);
});

describe('clipguard scan never drops a file silently', () => {
  it('finds images by their bytes, lists every skipped file with its reason, and the summary adds up', async () => {
    const { code, stdout, stderr } = await clipguard('scan', mixed, '--json', ...model);
    const byName = new Map(
      stdout.split('\n').map((l) => {
        const line = JSON.parse(l) as Line;
        return [line.file.slice(mixed.length + 1), line];
      }),
    );
    expect([...byName.keys()].sort()).toEqual(
      ['README.md', 'drawing.svg', 'horse.PNG', 'horse.png', 'notes.txt', 'png-without-extension'].sort(),
    );
    for (const image of ['horse.png', 'horse.PNG', 'png-without-extension']) {
      expect(byName.get(image)?.verdict).toBe('allow');
    }
    expect(byName.get('notes.txt')).toMatchObject({ skipped: 'not an image (text file)' });
    expect(byName.get('README.md')).toMatchObject({ skipped: 'not an image (text file)' });
    expect(byName.get('drawing.svg')).toMatchObject({
      code: 'IMAGE_UNSUPPORTED',
      error:
        'SVG images are not supported (JPEG, PNG, WebP, GIF, TIFF and AVIF are); convert it to PNG to scan it',
    });
    expect(stderr).toMatch(
      /6 files: 3 scanned \(3 allow, 0 review, 0 block\), 2 skipped, 1 unreadable with policy shapes v1 .*; exit 2: some files could not be read/,
    );
    expect(code).toBe(2);
  });

  it('shows skipped files in the table too', async () => {
    const { stdout } = await clipguard('scan', mixed, ...model);
    expect(stdout).toMatch(/notes\.txt\s+skipped\s+not an image \(text file\)/);
    expect(stdout).toMatch(/drawing\.svg\s+error\s+IMAGE_UNSUPPORTED: SVG images are not supported/);
  });

  it('refuses an empty directory with exit 4 instead of "0 files, exit 0"', async () => {
    const { code, stdout, stderr } = await clipguard('scan', empty, ...model);
    expect(code).toBe(4);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `error[INPUT_EMPTY]: no files found in ${empty}\n  hint: give image files or directories that hold them`,
    );
  });

  it('refuses a glob that matched nothing, saying so', async () => {
    const { code, stderr } = await clipguard('scan', join(work, 'uploads', '*.png'), ...model);
    expect(code).toBe(4);
    expect(stderr).toContain(
      `error[INPUT_NOT_FOUND]: nothing to read: ${join(work, 'uploads', '*.png')} does not exist`,
    );
    expect(stderr).toContain('hint: a shell glob that matches nothing is passed on as it is written');
  });

  it('refuses a directory with no images, and an image named on the command line that is not one is an error', async () => {
    const textOnly = join(work, 'text-only');
    mkdirSync(textOnly);
    writeFileSync(join(textOnly, 'a.txt'), 'x');
    const none = await clipguard('scan', textOnly, ...model);
    expect(none.code).toBe(4);
    expect(none.stderr).toContain(`error[INPUT_EMPTY]: no images among the 1 file found in ${textOnly}`);
    const named = await clipguard('scan', join(mixed, 'notes.txt'), join(work, 'one'), '--json', ...model);
    expect(named.code).toBe(3);
    expect(JSON.parse(named.stdout.split('\n')[0])).toMatchObject({ code: 'IMAGE_UNSUPPORTED' });
  });

  it('draws a progress bar with images per second and time left on a terminal only, and clears it before the table', async () => {
    const tty = await clipguardWith({ tty: true }, 'scan', mixed, ...model);
    // No rate or time left before a few seconds of results exist: a guess from warm-up would mislead.
    expect(tty.terminal).toContain(
      'scanning [░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░] 0/3 · – images/s · estimating… left',
    );
    expect(tty.terminal).toMatch(/scanning \[█+\] 3\/3 · .* · done/);
    // Cleared (erase line) once done, so the table starts on a clean line.
    expect(tty.terminal.endsWith('\u001b[2K')).toBe(true);
    expect(tty.stderr).not.toContain('scanning [');
    expect(tty.stdout).toContain('horse.png');
    const piped = await clipguardWith({ tty: false }, 'scan', mixed, ...model);
    expect(piped.terminal).toBe('');
  });
});
