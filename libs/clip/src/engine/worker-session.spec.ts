import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TINY_CLIP_DIR } from '@clipguard/testing';
import { WorkerSession } from './worker-session';

const sessionData = {
  modelPath: join(TINY_CLIP_DIR, 'onnx/vision_model.onnx'),
  executionProviders: ['cpu'],
  intraOpThreads: 1,
  interOpThreads: 1,
  intraOpSpinning: false,
};
const pixels = () => ({
  pixel_values: {
    type: 'float32' as const,
    data: new Float32Array(2 * 3 * 224 * 224),
    dims: [2, 3, 224, 224],
  },
});

describe('WorkerSession lifecycle', () => {
  it('closes by message: runs in flight finish, then the thread exits on its own (code 0)', async () => {
    const session = await WorkerSession.open(sessionData);
    const runs = [session.run(pixels()), session.run(pixels())];
    const closed = session.close();
    await expect(session.run(pixels())).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
    await closed;
    // A terminated thread exits with code 1; 0 means it released its session and left by itself.
    expect(session.exitCode).toBe(0);
    const results = await Promise.all(runs);
    for (const out of results) expect(out.image_embeds.dims[0]).toBe(2);
  });

  it('survives 100 open/close cycles of the engine with runs in flight (in a child process)', () => {
    const child = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, '../../test/engine-cycles.ts'), TINY_CLIP_DIR, '100'],
      { encoding: 'utf8', timeout: 300_000 },
    );
    // An abort (SIGABRT, "terminate called after throwing an instance of 'Napi::Error'") shows up here.
    expect({ signal: child.signal, status: child.status, stderr: child.stderr }).toEqual({
      signal: null,
      status: 0,
      stderr: '',
    });
    expect(JSON.parse(child.stdout)).toEqual({ cycles: 100, fulfilled: 300 });
  });
});
