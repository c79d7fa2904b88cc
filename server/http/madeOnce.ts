/**
 * What is made of an object (a kept search result, a day of it), once for each way of making it (base
 * URL, parameters, `_elements`), kept as long as the object is: the search cache hands out the same
 * result object until a write makes it stale, so what is made of it stays true as long.
 */
export class MadeOnce<T> {
  private readonly made = new WeakMap<object, Map<string, T>>();

  /** `most`: ways kept for one object; more are made afresh each time. */
  constructor(private readonly most: number) {}

  has(of: object, way: string): boolean {
    return this.made.get(of)?.has(way) ?? false;
  }

  get(of: object, way: string, make: () => T): T {
    const ways = this.made.get(of) ?? new Map<string, T>();
    this.made.set(of, ways);
    const known = ways.get(way);
    if (known !== undefined) return known;
    const made = make();
    if (ways.size < this.most) ways.set(way, made);
    return made;
  }
}
