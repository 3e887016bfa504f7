/** Exact sha256 lookups: a hash map from digest to the entries holding it. */
export class Sha256Index {
  private readonly byDigest = new Map<string, Set<string>>();
  private readonly digestOf = new Map<string, string>();

  get size(): number {
    return this.digestOf.size;
  }

  add(entryId: string, sha256: string): void {
    this.remove(entryId);
    const ids = this.byDigest.get(sha256) ?? new Set<string>();
    ids.add(entryId);
    this.byDigest.set(sha256, ids);
    this.digestOf.set(entryId, sha256);
  }

  remove(entryId: string): boolean {
    const sha = this.digestOf.get(entryId);
    if (sha === undefined) return false;
    this.digestOf.delete(entryId);
    const ids = this.byDigest.get(sha)!;
    ids.delete(entryId);
    if (ids.size === 0) this.byDigest.delete(sha);
    return true;
  }

  search(sha256: string): string[] {
    return [...(this.byDigest.get(sha256) ?? [])];
  }
}
