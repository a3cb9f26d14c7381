// Tiny structural validators for data that crosses a trust boundary (webview messages, model
// config files). Each returns the value typed, or throws a ValidationError naming the field.

export class ValidationError extends Error {}

export type Check<T> = (v: unknown, where: string) => T;

export const str: Check<string> = (v, w) => {
  if (typeof v !== 'string') throw new ValidationError(`${w} must be a string`);
  return v;
};

export const num: Check<number> = (v, w) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError(`${w} must be a finite number`);
  return v;
};

export const int: Check<number> = (v, w) => {
  if (!Number.isInteger(v)) throw new ValidationError(`${w} must be an integer`);
  return v as number;
};

export const bool: Check<boolean> = (v, w) => {
  if (typeof v !== 'boolean') throw new ValidationError(`${w} must be true or false`);
  return v;
};

export function oneOf<T extends string>(...values: T[]): Check<T> {
  return (v, w) => {
    if (!values.includes(v as T)) throw new ValidationError(`${w} must be one of ${values.join(', ')}`);
    return v as T;
  };
}

export function arrayOf<T>(item: Check<T>, maxLength = 1 << 20): Check<T[]> {
  return (v, w) => {
    if (!Array.isArray(v)) throw new ValidationError(`${w} must be an array`);
    if (v.length > maxLength) throw new ValidationError(`${w} has ${v.length} items, more than ${maxLength}`);
    return v.map((x, i) => item(x, `${w}[${i}]`));
  };
}

export function optional<T>(c: Check<T>): Check<T | undefined> {
  return (v, w) => (v === undefined ? undefined : c(v, w));
}

export function nullable<T>(c: Check<T>): Check<T | null> {
  return (v, w) => (v === null ? null : c(v, w));
}

type Shape<T> = { [K in keyof T]-?: Check<T[K]> };

/** An object with exactly these fields checked; extra fields are dropped, not trusted. */
export function object<T>(shape: Shape<T>): Check<T> {
  return (v, w) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ValidationError(`${w} must be an object`);
    const out = {} as T;
    for (const k of Object.keys(shape) as (keyof T)[]) {
      const value = shape[k]((v as Record<string, unknown>)[k as string], `${w}.${String(k)}`);
      if (value !== undefined) out[k] = value;
    }
    return out;
  };
}
