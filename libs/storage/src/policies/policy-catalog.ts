import type { Logger } from 'pino';
import { PolicyError, type CompiledPolicy, type ParsedPolicy, type Policy } from '@clipguard/policy';
import { listPolicyFiles, readPolicyFile } from './policy-files';

export interface ReloadReport {
  loaded: string[];
  rejected: { file: string; code: string; message: string }[];
}

const key = (id: string, version: number) => `${id}@v${version}`;

/**
 * Every policy version under a directory, validated and compiled before it becomes visible.
 * A file that fails validation or compilation is logged and skipped: the versions already loaded stay,
 * so there is never a half-loaded policy. A loaded version whose content changes is refused (versions
 * are immutable: a change is a new v<N+1>).
 */
export class PolicyCatalog<T extends { policy: Policy; hash: string } = CompiledPolicy> {
  private versions = new Map<string, T>();
  private fileHashes = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<ReloadReport> | undefined;

  constructor(
    private readonly dir: string,
    private readonly compile: (parsed: ParsedPolicy) => Promise<T>,
    private readonly logger?: Logger,
    /** Told about every version that became visible (e.g. to record its activation). */
    private readonly onLoaded?: (loaded: T[]) => Promise<void>,
  ) {}

  get(id: string, version: number): T | undefined {
    return this.versions.get(key(id, version));
  }

  require(id: string, version: number): T {
    const found = this.get(id, version);
    if (!found)
      throw new PolicyError('POLICY_NOT_FOUND', `policy ${id} v${version} is not loaded from ${this.dir}`);
    return found;
  }

  latest(id: string): T | undefined {
    return [...this.versions.values()]
      .filter((c) => c.policy.id === id)
      .sort((a, b) => b.policy.version - a.policy.version)[0];
  }

  list(): T[] {
    return [...this.versions.values()];
  }

  /** Re-reads the directory; concurrent calls share one pass. */
  reload(): Promise<ReloadReport> {
    this.reloading ??= this.scan().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  /** Polls for new and changed files (portable across filesystems and containers, unlike fs.watch). */
  watch(intervalMs: number): void {
    this.timer = setInterval(() => void this.reload(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async scan(): Promise<ReloadReport> {
    const report: ReloadReport = { loaded: [], rejected: [] };
    const next = new Map(this.versions);
    for (const { file } of listPolicyFiles(this.dir)) {
      try {
        const parsed = readPolicyFile(file);
        const k = key(parsed.policy.id, parsed.policy.version);
        const known = this.fileHashes.get(k);
        if (known === parsed.hash) continue;
        if (known !== undefined) {
          throw new PolicyError(
            'POLICY_IMMUTABLE',
            `${file}: ${k} changed after it was loaded; versions are immutable, ship the change as a new version`,
            file,
          );
        }
        next.set(k, await this.compile(parsed));
        this.fileHashes.set(k, parsed.hash);
        report.loaded.push(k);
        this.logger?.info({ policy: k, hash: parsed.hash, file }, `policy ${k} loaded`);
      } catch (err) {
        const code = err instanceof PolicyError ? err.code : 'POLICY_COMPILE_FAILED';
        const message = err instanceof Error ? err.message : String(err);
        report.rejected.push({ file, code, message });
        this.logger?.error(
          { file, code, err },
          `policy file rejected, previous versions stay live: ${message}`,
        );
      }
    }
    this.versions = next;
    if (this.onLoaded && report.loaded.length) {
      await this.onLoaded(report.loaded.map((k) => next.get(k)).filter((c): c is T => c !== undefined));
    }
    return report;
  }
}
