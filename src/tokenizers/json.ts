// Reading tokenizer.json parts: what is wrong is said with the JSON path of the part.

/** A tokenizer.json (or tokenizer_config.json) that is malformed or uses what is not supported. */
export class TokenizerFormatError extends Error {}

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string field of a part (its `type`, a pattern's content…). */
export function field(c: JsonObject, key: string, where: string): string {
  const v = c[key];
  if (typeof v !== 'string') throw new TokenizerFormatError(`${where}.${key} must be a string`);
  return v;
}

/** A token named in tokenizer_config.json: "<s>" or {"content": "<s>", …}. */
export function tokenName(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isObject(v) && typeof v.content === 'string') return v.content;
  return undefined;
}
