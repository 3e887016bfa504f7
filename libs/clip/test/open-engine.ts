// Child-process script for the execution-provider test: what a person sees on the terminal (stdout and the
// raw stderr that ONNX Runtime's own logger writes to) when the engine cannot open.
import { ClipEngine } from '../src/engine/clip-engine';
import { ClipError } from '../src/errors';

async function main(): Promise<void> {
  const [modelDir, providers] = process.argv.slice(2);
  try {
    const engine = await ClipEngine.open({
      modelDir,
      variant: 'fp32',
      executionProviders: providers.split(','),
    });
    await engine.close();
    process.stdout.write(`${JSON.stringify({ opened: true })}\n`);
  } catch (err) {
    const { code, message } = err instanceof ClipError ? err : { code: 'UNKNOWN', message: String(err) };
    process.stdout.write(`${JSON.stringify({ code, message })}\n`);
  }
}

void main();
