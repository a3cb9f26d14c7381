// What every kind of run in the page does before it can use the model: let queued messages land,
// then wait for the engine while the header and the host say the model is loading.
import type { InitMessage, ToHost } from '../src/shared/protocol';
import { errorText } from './backend';
import type { Header } from './header';
import type { Engine } from './inference';

/**
 * Lets messages already on their way (a newer run, a cancel) land first: a WASM run completes in
 * microtasks, so without this yield nothing could overtake it.
 */
export const yieldToMessages = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export interface EngineWaitDeps {
  header: Header;
  post: (msg: ToHost) => void;
  fail: (runId: number, text: string) => void;
}

/** The loaded engine, or null when it cannot load (the run has then failed with the reason). */
export async function awaitEngine(runId: number, init: InitMessage, enginePromise: Promise<Engine>, d: EngineWaitDeps): Promise<Engine | null> {
  d.header.busy(`Loading ${init.model.name}…`);
  d.post({ type: 'progress', runId, phase: 'loading-model', detail: init.model.name });
  try {
    return await enginePromise;
  } catch (e) {
    d.fail(runId, `cannot load ${init.model.name}: ${errorText(e)}`);
    return null;
  }
}
