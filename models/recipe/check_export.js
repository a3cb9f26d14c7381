// Runs the exported model in onnxruntime (Node) on the inputs export.py recorded and compares each
// layer's attention with PyTorch's. Usage: node check_export.js WORK MODEL_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

async function main() {
  const [work, modelDir] = process.argv.slice(2);
  const refDir = path.join(work, 'export_ref');
  const cfg = JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json'), 'utf8'));
  const sess = await ort.InferenceSession.create(path.join(modelDir, 'model.onnx'));
  let worst = 0;
  for (const f of fs.readdirSync(refDir).filter((n) => n.endsWith('.ids.json'))) {
    const ids = JSON.parse(fs.readFileSync(path.join(refDir, f), 'utf8'));
    const buf = fs.readFileSync(path.join(refDir, f.replace('.ids.json', '.att.f32')));
    const ref = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    const out = await sess.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]) });
    let off = 0;
    for (let l = 0; l < cfg.num_layers; l++) {
      const a = out[`attentions.${l}`].data;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - ref[off + i]));
      off += a.length;
    }
  }
  const result = { max_abs_attention_diff: worst, bytes: fs.statSync(path.join(modelDir, 'model.onnx')).size };
  fs.writeFileSync(path.join(work, 'export.json'), JSON.stringify(result));
  console.log(`onnxruntime vs PyTorch: max |attention diff| ${worst.toExponential(2)}`);
  if (!(worst < 1e-4)) { console.error('export check failed: attentions differ by >= 1e-4'); process.exit(1); }
}
main().catch((e) => { console.error(e); process.exit(1); });
