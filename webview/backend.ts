// Error text for the header and the host: the first line of what a backend or the runtime threw.
// (Whether WebGPU is used at all is decided in webview/backendChoice.ts.)

export function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  // onnxruntime's messages can run to several lines of stack; the first line says what happened.
  return text.split('\n')[0].trim().slice(0, 300) || 'unknown error';
}
