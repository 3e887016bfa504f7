import pino, { type Logger } from 'pino';

/** The one logger factory: JSON lines on stdout, with the app's name on every line. */
export function createLogger(name: string, level = 'info'): Logger {
  return pino({ name, level, base: { app: name } });
}

export type { Logger };
