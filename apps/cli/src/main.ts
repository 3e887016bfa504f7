#!/usr/bin/env node
import { runCli } from './cli';
import { EXIT_FAILED } from './errors';
import { processIo } from './output';

runCli(process.argv.slice(2), processIo).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    // runCli reports every error itself; this only guards against a failure while reporting one.
    process.stderr.write('error[INTERNAL]: clipguard failed unexpectedly; run again with --debug\n');
    process.exitCode = EXIT_FAILED;
  },
);
