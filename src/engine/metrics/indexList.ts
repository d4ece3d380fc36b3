/** A growable list of indices (a plain array, then Int32Array.from, costs more than the search). */
export class IndexList {
  private items: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.items = new Int32Array(Math.max(capacity, 16));
  }

  push(value: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(2 * this.items.length);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = value;
  }

  /** The indices pushed so far (a view: valid until the next push). */
  view(): Int32Array {
    return this.items.subarray(0, this.length);
  }
}
