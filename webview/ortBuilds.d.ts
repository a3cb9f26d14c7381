// onnxruntime-web's per-backend builds (package.json "exports" ./wasm and ./webgpu) have the same
// API as the package root; the project's module resolution does not read "exports", so say so here.
declare module 'onnxruntime-web/wasm' {
  export * from 'onnxruntime-web';
}
declare module 'onnxruntime-web/webgpu' {
  export * from 'onnxruntime-web';
}
