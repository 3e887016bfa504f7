// npm run demo: migrate, make the demo moderator, lead and auditor (passwords printed once), then `npm start` the
// three apps with the demo's configuration; Ctrl-C stops them.
import { spawn } from 'node:child_process';
import { demoEnv } from './env';
import { setUpDemo } from './setup';

async function main(): Promise<void> {
  const env = demoEnv();
  await setUpDemo(env);
  const apps = spawn('npm', ['start'], { env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => apps.kill(signal));
  apps.on('exit', (code) => (process.exitCode = code ?? 0));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
