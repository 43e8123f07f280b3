type TypedArray = Uint8Array | Uint16Array | Uint32Array | Float32Array;
type TypedArrayConstructor<T extends TypedArray> = new (length: number) => T;

/** An append-only typed array that doubles its storage as it fills. */
export class Growable<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(
    private readonly make: TypedArrayConstructor<T>,
    initialCapacity = 1024,
  ) {
    this.data = new make(Math.max(16, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  /** Makes room for `extra` more values without changing `length`. */
  reserve(extra: number): void {
    if (this.length + extra > this.data.length) this.grow(this.length + extra);
  }

  /** The filled part, trimmed to a fresh array of its own. */
  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }

  /** The whole backing array (valid until the next growth); for writers that fill it directly. */
  storage(): T {
    return this.data;
  }

  /** Lets go of the storage (for the garbage collector) once its values have been used; empty afterwards. */
  release(): void {
    this.data = new this.make(16);
    this.length = 0;
  }

  /** The filled part as a view of the current storage (invalid after the next push). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }

  private grow(minimum: number): void {
    let capacity = this.data.length * 2;
    while (capacity < minimum) capacity *= 2;
    const next = new this.make(capacity);
    next.set(this.data);
    this.data = next;
  }
}

/** Appends `value` as an unsigned LEB128 varint (7 bits a byte, high bit set on all but the last). */
export function pushVarint(out: Growable<Uint8Array>, value: number): void {
  out.reserve(5);
  const data = out.storage();
  let at = out.length;
  let v = value;
  while (v >= 0x80) {
    data[at++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  data[at++] = v;
  out.length = at;
}
