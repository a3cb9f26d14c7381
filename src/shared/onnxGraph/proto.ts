// The few protobuf wire-format pieces ONNX needs, read straight from the model's bytes: fields of
// a message (without decoding what is not asked for, so a 500 MB model is walked, not copied)
// and encoders for the small messages the rewriting adds.

export class OnnxFormatError extends Error {}

export interface Field {
  field: number;
  wire: number;
  /** The whole field, tag included: [start, end). */
  start: number;
  end: number;
  /** A length-delimited field's payload: [valueStart, end); a varint's first byte otherwise. */
  valueStart: number;
}

export function readVarint(b: Uint8Array, pos: number, end: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let i = pos; i < end && i < pos + 10; i++) {
    value += (b[i] & 0x7f) * scale;
    scale *= 128;
    if ((b[i] & 0x80) === 0) return { value, next: i + 1 };
  }
  throw new OnnxFormatError(`the model is truncated or corrupt at byte ${pos}`);
}

/** A varint read as a signed 64-bit integer (ONNX attributes like axis = -1 are ten bytes long). */
export function readInt64(b: Uint8Array, pos: number, end: number): number {
  let v = 0n;
  let shift = 0n;
  for (let i = pos; i < end && i < pos + 10; i++) {
    v |= BigInt(b[i] & 0x7f) << shift;
    shift += 7n;
    if ((b[i] & 0x80) === 0) return Number(BigInt.asIntN(64, v));
  }
  throw new OnnxFormatError(`the model is truncated or corrupt at byte ${pos}`);
}

/** The fields of the message in b[start, end), in order. */
export function fields(b: Uint8Array, start: number, end: number): Field[] {
  const out: Field[] = [];
  let pos = start;
  while (pos < end) {
    const tag = readVarint(b, pos, end);
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    let valueStart = tag.next;
    let next: number;
    switch (wire) {
      case 0: next = readVarint(b, tag.next, end).next; break;
      case 1: next = tag.next + 8; break;
      case 5: next = tag.next + 4; break;
      case 2: {
        const len = readVarint(b, tag.next, end);
        valueStart = len.next;
        next = len.next + len.value;
        break;
      }
      default: throw new OnnxFormatError(`the model has a field of wire type ${wire} at byte ${pos}, which ONNX does not use`);
    }
    if (next > end) throw new OnnxFormatError(`the model is truncated: a field at byte ${pos} runs past its message`);
    out.push({ field, wire, start: pos, end: next, valueStart });
    pos = next;
  }
  return out;
}

/** The sub-fields of a length-delimited field. */
export const inner = (b: Uint8Array, f: Field): Field[] => fields(b, f.valueStart, f.end);

const utf8 = new TextDecoder();
export const text = (b: Uint8Array, f: Field): string => utf8.decode(b.subarray(f.valueStart, f.end));

/** The string fields numbered `n` of a message. */
export function strings(b: Uint8Array, msg: Field, n: number): string[] {
  return inner(b, msg).filter((f) => f.field === n && f.wire === 2).map((f) => text(b, f));
}

/** The (last) signed integer field numbered `n` of a list of fields, or undefined. */
export function intField(b: Uint8Array, fs: Field[], n: number): number | undefined {
  const f = fs.filter((x) => x.field === n && x.wire === 0).pop();
  return f ? readInt64(b, f.valueStart, f.end) : undefined;
}

/** Repeated integers numbered `n`, packed or not. */
export function intsField(b: Uint8Array, fs: Field[], n: number): number[] {
  const out: number[] = [];
  for (const f of fs.filter((x) => x.field === n)) {
    if (f.wire === 0) {
      out.push(readInt64(b, f.valueStart, f.end));
    } else if (f.wire === 2) {
      for (let pos = f.valueStart; pos < f.end;) {
        const v = readVarint(b, pos, f.end);
        out.push(readInt64(b, pos, f.end));
        pos = v.next;
      }
    }
  }
  return out;
}

// ---- encoding ----------------------------------------------------------------------------------

export function encodeVarint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  while (v >= 128n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

const utf8e = new TextEncoder();

/** One encoded field: a varint (number), a string, or a nested message (bytes). */
export function encodeField(n: number, value: number | string | Uint8Array): Uint8Array {
  if (typeof value === 'number') return Uint8Array.from([...encodeVarint(n * 8), ...encodeVarint(value)]);
  const payload = typeof value === 'string' ? utf8e.encode(value) : value;
  const head = [...encodeVarint(n * 8 + 2), ...encodeVarint(payload.length)];
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

/** A message from its encoded fields. */
export function message(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}
