/**
 * A deep copy of plain data (objects, arrays, dates and primitives), as `structuredClone` makes it
 * but several times faster for the small conversation states every chat turn copies (a profile of
 * fifty filings at once put `structuredClone` at 4% of the service's CPU). Anything else inside
 * (a Buffer, a Map) is copied by `structuredClone`, and a BSON value (an ObjectId) is kept as it is.
 * The data is what a document holds: no cycles.
 */
export function plainCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  // BSON values (an ObjectId) are never changed in place: shared, and keeping their class
  if ('_bsontype' in value) return value;
  if (Array.isArray(value)) return value.map(plainCopy) as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) copy[key] = plainCopy(inner);
  return copy as T;
}
