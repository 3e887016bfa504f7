/**
 * Entry ids over packed fixed-width rows (hashes or vectors) in one typed array: removal moves the last
 * row into the hole, so a scan never skips tombstones and memory stays proportional to the entries.
 */
export class PackedRows<T extends Uint32Array | Float32Array> {
  private rows: T;
  private readonly ids: string[] = [];
  private readonly slotOf = new Map<string, number>();

  constructor(
    readonly width: number,
    private readonly allocate: (length: number) => T,
  ) {
    this.rows = allocate(width * 64);
  }

  get size(): number {
    return this.ids.length;
  }

  /** The packed rows; only the first size × width values are meaningful. */
  get data(): T {
    return this.rows;
  }

  idAt(slot: number): string {
    return this.ids[slot];
  }

  put(entryId: string, row: ArrayLike<number>): void {
    let slot = this.slotOf.get(entryId);
    if (slot === undefined) {
      slot = this.ids.length;
      if ((slot + 1) * this.width > this.rows.length) {
        const grown = this.allocate(this.rows.length * 2);
        grown.set(this.rows);
        this.rows = grown;
      }
      this.ids.push(entryId);
      this.slotOf.set(entryId, slot);
    }
    this.rows.set(row, slot * this.width);
  }

  remove(entryId: string): boolean {
    const slot = this.slotOf.get(entryId);
    if (slot === undefined) return false;
    const last = this.ids.length - 1;
    if (slot !== last) {
      this.rows.copyWithin(slot * this.width, last * this.width, (last + 1) * this.width);
      this.ids[slot] = this.ids[last];
      this.slotOf.set(this.ids[slot], slot);
    }
    this.ids.pop();
    this.slotOf.delete(entryId);
    return true;
  }
}
