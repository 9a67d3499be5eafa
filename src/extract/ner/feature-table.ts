// An open-addressing hash table from 32-bit feature keys to dense row numbers. Keys come out of
// features.ts already mixed (murmur finaliser), so the low bits index the table directly. Key 0
// marks an empty slot; features.ts never produces it. Each slot holds its key and row side by
// side (`slots[2i]`, `slots[2i + 1]`): one cache line per probe.

export class FeatureTable {
  private slots: Int32Array;
  private mask: number;
  /** Number of keys; rows are numbered 0..size-1 in insertion order. */
  size = 0;

  constructor(expected = 1024) {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  /** Builds a table whose row i is `keys[i]`. */
  static fromKeys(keys: Int32Array): FeatureTable {
    const table = new FeatureTable(keys.length);
    for (let i = 0; i < keys.length; i++) table.add(keys[i]);
    return table;
  }

  /** The row of `key`, or -1. */
  get(key: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let i = key & mask;
    for (;;) {
      const k = slots[i << 1];
      if (k === key) return slots[(i << 1) + 1];
      if (k === 0) return -1;
      i = (i + 1) & mask;
    }
  }

  /** The row of `key`, adding it as a new row if absent. */
  add(key: number): number {
    let i = key & this.mask;
    for (;;) {
      const k = this.slots[i << 1];
      if (k === key) return this.slots[(i << 1) + 1];
      if (k === 0) break;
      i = (i + 1) & this.mask;
    }
    const row = this.size++;
    this.slots[i << 1] = key;
    this.slots[(i << 1) + 1] = row;
    if (this.size * 2 > this.mask + 1) this.grow();
    return row;
  }

  /** All keys, indexed by row. */
  keys(): Int32Array {
    const out = new Int32Array(this.size);
    for (let i = 0; i < this.slots.length; i += 2) {
      if (this.slots[i] !== 0) out[this.slots[i + 1]] = this.slots[i];
    }
    return out;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.slots = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
    for (let j = 0; j < old.length; j += 2) {
      const key = old[j];
      if (key === 0) continue;
      let i = key & this.mask;
      while (this.slots[i << 1] !== 0) i = (i + 1) & this.mask;
      this.slots[i << 1] = key;
      this.slots[(i << 1) + 1] = old[j + 1];
    }
  }
}
