// The few assertions the web suite needs: Node's assert module is not there in a browser worker,
// and no browser build of it is installed.
export class CheckError extends Error {}

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

interface Check {
  ok(value: unknown, message?: string): asserts value;
  equal<T>(actual: T, expected: T, message?: string): void;
  sameJson(actual: unknown, expected: unknown, message?: string): void;
  match(actual: string, re: RegExp, message?: string): void;
}

export const check: Check = {
  ok(value: unknown, message = 'expected a truthy value'): asserts value {
    if (!value) throw new CheckError(message);
  },
  equal<T>(actual: T, expected: T, message = ''): void {
    if (actual !== expected) throw new CheckError(`${message ? `${message}: ` : ''}${show(actual)} !== ${show(expected)}`);
  },
  sameJson(actual: unknown, expected: unknown, message = ''): void {
    if (show(actual) !== show(expected)) throw new CheckError(`${message ? `${message}: ` : ''}${show(actual)} differs from ${show(expected)}`);
  },
  match(actual: string, re: RegExp, message = ''): void {
    if (!re.test(actual)) throw new CheckError(`${message ? `${message}: ` : ''}${show(actual)} does not match ${re}`);
  },
};
