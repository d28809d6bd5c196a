/** A stack of uint32 values in a typed array that doubles when full: no per-element objects. */
export class Uint32Stack {
  private items = new Uint32Array(1 << 14);
  length = 0;

  push(value: number): void {
    if (this.length === this.items.length) {
      const bigger = new Uint32Array(this.items.length * 2);
      bigger.set(this.items);
      this.items = bigger;
    }
    this.items[this.length++] = value;
  }

  pop(): number {
    return this.items[--this.length];
  }
}
