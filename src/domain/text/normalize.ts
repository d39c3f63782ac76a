/**
 * Text as Sagak stores it, whatever channel or file it came from: Unicode NFC (a name typed as
 * decomposed jamo equals the same name typed as syllables), line breaks as "\n", and none of the
 * invisible characters that reorder or hide text (bidi overrides such as U+202E, zero-width
 * spaces and joiners, the BOM) or that break files and terminals (NUL and the other control
 * characters; tab and newline stay). Applied once at every boundary, before validation, so
 * duplicate detection, the console, the CSV and the XLSX all see the same letters.
 */
export function normalizeText(input: string): string {
  return input
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD') // lone surrogates
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '')
    .replace(/\p{Cf}/gu, '') // format characters: bidi controls, zero-width (non-)joiners, BOM, soft hyphen
    .normalize('NFC');
}

/** Every string inside a parsed JSON or form body, normalised; keys named like a password are kept as sent. */
export function normalizeDeep(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return /password/i.test(key) ? value : normalizeText(value);
  if (Array.isArray(value)) return value.map((v) => normalizeDeep(v, key));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) === null ? null : Object.prototype);
    for (const [k, v] of Object.entries(value)) out[k] = normalizeDeep(v, k);
    return out;
  }
  return value;
}
