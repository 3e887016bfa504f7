import type { Stack } from '@clipguard/testing';
import { CallbackPlatform } from './callback-platform';
import { chaosStack, type ChaosStackOptions } from './chaos-stack';
import { WebhookSender } from './sender';

/** A server a scenario brings of its own (its Redis, its PostgreSQL), up before the apps, down after them. */
export interface ScenarioServer {
  up(): Promise<void>;
  down(): Promise<void>;
}

export interface ChaosSuite {
  readonly platform: CallbackPlatform;
  /** The running apps and a sender signing as `acme`; valid from the tests and later `beforeAll` hooks. */
  started(): { stack: Stack; sender: WebhookSender };
}

/**
 * Registers a fault scenario's hooks: the callback platform and the scenario's own servers first, then the
 * three apps (options read once those servers are up, since their URLs are known only then); everything is
 * stopped in the reverse order, also when a start failed halfway.
 */
export function chaosSuite(
  options: { servers?: ScenarioServer[]; stack?: () => ChaosStackOptions } = {},
): ChaosSuite {
  const platform = new CallbackPlatform();
  const servers = options.servers ?? [];
  let running: { stack: Stack; sender: WebhookSender } | undefined;
  let stack: Stack | undefined;

  beforeAll(async () => {
    await Promise.all([platform.start(), ...servers.map((s) => s.up())]);
    stack = chaosStack(platform, options.stack?.());
    await stack.start();
    const apps = stack;
    running = { stack: apps, sender: new WebhookSender(() => apps.apiUrl, apps.secrets.acme) };
  }, 180_000);

  afterAll(async () => {
    running?.sender.stop();
    await stack?.stop();
    await platform.stop();
    await Promise.all(servers.map((s) => s.down()));
  }, 90_000);

  return {
    platform,
    started() {
      if (!running) throw new Error('the chaos stack has not started (use it from a test or a later hook)');
      return running;
    },
  };
}
