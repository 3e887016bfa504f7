import { join } from 'node:path';
import { ClipEngine } from '@clipguard/clip';
import { SHARED_IMAGES, TINY_CLIP_DIR, clipguard } from '@clipguard/testing';

const COMMANDS = [
  'scan',
  'policy validate',
  'policy eval',
  'policy diff',
  'tokenize',
  'preprocess',
  'embed',
  'similarity',
  'classify',
  'model fetch',
  'model info',
  'audit verify',
];

describe('every command', () => {
  it.each(COMMANDS)('%s --help shows examples and exit codes', async (command) => {
    const { code, stdout } = await clipguard(...command.split(' '), '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/\nExamples:\n {2}\$ clipguard /);
    expect(stdout).toMatch(/\nExit codes:\n {2}0 {2}/);
  });

  it('documents the combined exit code, required options, and options that exclude each other', async () => {
    expect((await clipguard('scan', '--help')).stdout).toContain('  3  both 1 and 2');
    const evalHelp = (await clipguard('policy', 'eval', '--help')).stdout.replace(/\s+/g, ' ');
    expect(evalHelp).toMatch(
      /--policy <path> +policy file, or a policy directory \(its newest version\) \(required\)/,
    );
    expect(evalHelp).toContain(
      '--labels <csv> CSV with path,categories (";"-separated, empty = allowed) (required)',
    );
    const diffHelp = (await clipguard('policy', 'diff', '--help')).stdout.replace(/\s+/g, ' ');
    expect(diffHelp).toContain('One of --labels or --images is required, not both.');
    const both = await clipguard(
      'policy',
      'diff',
      'a.yaml',
      'b.yaml',
      '--labels',
      'l.csv',
      '--images',
      'dir',
    );
    expect(both.code).toBe(4);
    expect(both.stderr).toContain(
      "error: option '--labels <csv>' cannot be used with option '--images <dir>'",
    );
  });
});

describe('numeric options', () => {
  const image = join(SHARED_IMAGES, 'horse.png');
  it.each([
    [
      ['scan', image, '--frames', 'abc'],
      "option '--frames <n>' argument 'abc' is invalid. Expected a whole number from 1 to 16 (the limit is CLIPGUARD_MAX_FRAMES).",
    ],
    [
      ['scan', image, '--frames', '0'],
      "option '--frames <n>' argument '0' is invalid. Expected a whole number from 1 to 16",
    ],
    [
      ['scan', image, '--frames', '2.5'],
      "option '--frames <n>' argument '2.5' is invalid. Expected a whole number from 1 to 16",
    ],
    [
      ['scan', image, '--concurrency', '-1'],
      "option '--concurrency <n>' argument '-1' is invalid. Expected a whole number from 1 to 4096.",
    ],
    [
      ['policy', 'eval', '--policy', 'p', '--labels', 'l', '--target-precision', '90'],
      "option '--target-precision <p>' argument '90' is invalid. Expected a share above 0 and at most 1 (for 90% write 0.9).",
    ],
    [
      ['policy', 'eval', '--policy', 'p', '--labels', 'l', '--resamples', '5'],
      "option '--resamples <n>' argument '5' is invalid. Expected a whole number from 100 to 100000.",
    ],
    [
      ['classify', image, '--labels', 'a,b', '--top', 'x'],
      "option '--top <n>' argument 'x' is invalid. Expected a whole number from 1 to 1000.",
    ],
  ])('refuses %j naming the option and its range (exit 4)', async (argv, message) => {
    const { code, stderr, stdout } = await clipguard(...argv);
    expect(code).toBe(4);
    expect(stderr).toContain(`error: ${message}`);
    expect(stdout).toBe('');
  });
});

describe('errors', () => {
  it('--model pointing at an .onnx file says a directory is expected, and which', async () => {
    const onnx = join(TINY_CLIP_DIR, 'onnx', 'vision_model.onnx');
    const { code, stderr } = await clipguard('embed', '--text', 'x', '--model', onnx);
    expect(code).toBe(4);
    expect(stderr).toBe(
      `error[MODEL_DIR_EXPECTED]: --model expects a model directory, but ${onnx} is a file\n  hint: use the directory that holds clipguard.json and onnx/, e.g. --model ${TINY_CLIP_DIR}`,
    );
  });

  describe('an unexpected failure (a bug)', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'attributes')");
    let open: jest.SpyInstance;
    beforeEach(() => {
      open = jest.spyOn(ClipEngine, 'open').mockRejectedValue(bug);
    });
    afterEach(() => open.mockRestore());

    it('never shows its internal text; it says how to see more', async () => {
      const { code, stderr } = await clipguard('embed', '--text', 'x', '--model', TINY_CLIP_DIR);
      expect(code).toBe(4);
      expect(stderr).toBe(
        'error[INTERNAL]: clipguard failed unexpectedly (a bug, not your input)\n  hint: run the same command with --debug to see the stack trace, and report it',
      );
    });

    it('--debug adds the stack trace', async () => {
      const { code, stderr } = await clipguard('--debug', 'embed', '--text', 'x', '--model', TINY_CLIP_DIR);
      expect(code).toBe(4);
      expect(stderr).toContain('error[INTERNAL]');
      expect(stderr).toContain(
        "TypeError: Cannot read properties of undefined (reading 'attributes')\n    at ",
      );
      const after = await clipguard('embed', '--text', 'x', '--model', TINY_CLIP_DIR, '--debug');
      expect(after.stderr).toContain('TypeError: Cannot read properties');
    });
  });
});
