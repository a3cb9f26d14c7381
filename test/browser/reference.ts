// The bundled model run natively on the same ids: what the page must match.
import * as path from 'path';
import { AttentionStack } from '../../src/shared/attention';
import { nativeAttention as runNative } from '../support/nativeAttention';
import { REPO_ROOT } from './harness';

export function nativeAttention(ids: readonly number[], layers: number, heads: number, modelDir = path.join(REPO_ROOT, 'models', 'default')): Promise<AttentionStack> {
  return runNative(modelDir, ids, layers, heads);
}
