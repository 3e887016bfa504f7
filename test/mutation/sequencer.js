const Sequencer = require('@jest/test-sequencer').default;

/**
 * Runs the slow spec files last. Stryker's jest runner stops at the first failing spec file (bail), and
 * jest's default order puts the slowest files first, so every mutant a quick unit spec kills would still
 * wait first for the preprocessing's reference-image comparisons (dozens of decodes and resizes, four times
 * slower with Stryker's instrumentation) or the fairness report's rendered charts.
 */
const SLOW = [
  /image[\\/](preprocess(-pillow|-cost)?|pil-bicubic-pillow)\.spec\.ts$/,
  /fairness[\\/]report[\\/]report\.spec\.ts$/,
];
const isSlow = (path) => SLOW.some((re) => re.test(path));

class SlowLastSequencer extends Sequencer {
  sort(tests) {
    return [...tests].sort(
      (a, b) => Number(isSlow(a.path)) - Number(isSlow(b.path)) || a.path.localeCompare(b.path),
    );
  }
}

module.exports = SlowLastSequencer;
