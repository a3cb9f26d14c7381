// The model's outputs as the page reads them: attentions.N (and queries.N / keys.N for the three-steps view),
// checked by name before the first run and by shape after it, with messages that name what is wrong.
import type * as ort from 'onnxruntime-web';
import type { ModelConfig } from '../src/shared/modelConfig';
import { ModelContractError } from './modelGraph';

export function outputNames(kind: 'attentions' | 'queries' | 'keys', layers: number): string[] {
  return Array.from({ length: layers }, (_, i) => `${kind}.${i}`);
}

/** The outputs to fetch; throws ModelContractError naming the attention outputs the graph lacks. */
export function checkOutputs(session: ort.InferenceSession, config: ModelConfig): string[] {
  const have = new Set(session.outputNames);
  if (!session.inputNames.includes('input_ids')) {
    throw new ModelContractError(`model.onnx has no input_ids input (its inputs: ${session.inputNames.join(', ')})`);
  }
  const L = config.num_layers;
  const missing = outputNames('attentions', L).filter((n) => !have.has(n));
  if (missing.length) {
    throw new ModelContractError(
      `model.onnx lacks output${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (config.json says num_layers ${L}; the graph's outputs: ${session.outputNames.join(', ')})`,
    );
  }
  const qk = [...outputNames('queries', L), ...outputNames('keys', L)];
  return [...outputNames('attentions', L), ...(qk.every((n) => have.has(n)) ? qk : [])];
}

export function checkShapes(out: ort.InferenceSession.OnnxValueMapType, config: ModelConfig, seq: number, qk: boolean): void {
  const H = config.num_heads;
  const want = (name: string, dims: readonly number[], expected: (number | null)[], why: string): void => {
    const ok = dims.length === expected.length && expected.every((e, i) => e === null || dims[i] === e);
    if (!ok) {
      const shown = expected.map((e) => (e === null ? 'd' : String(e))).join(', ');
      throw new ModelContractError(`model.onnx output ${name} has shape [${dims.join(', ')}], expected [${shown}] (${why})`);
    }
  };
  for (let l = 0; l < config.num_layers; l++) {
    want(`attentions.${l}`, out[`attentions.${l}`].dims, [1, H, seq, seq], `config.json num_heads ${H}, ${seq} tokens`);
    if (qk) {
      const d = out[`queries.${l}`].dims[3] ?? null;
      want(`queries.${l}`, out[`queries.${l}`].dims, [1, H, seq, null], `config.json num_heads ${H}, ${seq} tokens`);
      want(`keys.${l}`, out[`keys.${l}`].dims, [1, H, seq, d], 'the same as queries');
    }
  }
}
