// The smallest useful ONNX model: y = Identity(x), x and y float32 [1]. Creating a session on it
// makes onnxruntime fetch, compile and start its WebAssembly runtime, so the page can do that
// while the real model is still being fetched instead of after (webview/runtime.ts).

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];
/** A length-delimited field (wire type 2). */
const bytesField = (field: number, body: number[]): number[] => [...varint((field << 3) | 2), ...varint(body.length), ...body];
/** A varint field (wire type 0). */
const intField = (field: number, value: number): number[] => [...varint(field << 3), ...varint(value)];

/** ValueInfoProto: a float32 tensor of shape [1]. */
function floatVector(name: string): number[] {
  const dim = bytesField(1, intField(1, 1)); // TensorShapeProto.dim { dim_value: 1 }
  const tensorType = [...intField(1, 1), ...bytesField(2, dim)]; // elem_type FLOAT, shape
  return [...bytesField(1, utf8(name)), ...bytesField(2, bytesField(1, tensorType))];
}

/** ModelProto bytes (IR version 7, opset 13) of y = Identity(x). */
export function identityModel(): Uint8Array {
  const node = [...bytesField(1, utf8('x')), ...bytesField(2, utf8('y')), ...bytesField(4, utf8('Identity'))];
  const graph = [
    ...bytesField(1, node),
    ...bytesField(2, utf8('warmup')),
    ...bytesField(11, floatVector('x')),
    ...bytesField(12, floatVector('y')),
  ];
  const opset = [...bytesField(1, []), ...intField(2, 13)];
  return new Uint8Array([...intField(1, 7), ...bytesField(7, graph), ...bytesField(8, opset)]);
}
