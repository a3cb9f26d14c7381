// The web pass's side of the UI driver: the same requests as driverClient.ts, over fetch (a browser
// worker has no http module), to the address the launcher baked in.
import type { DriverRequest, DriverResponse } from '../driverProtocol';
import { makeUi } from '../driverUi';
import { WEB_ENV } from './webTestEnv';

async function drive(req: DriverRequest): Promise<unknown> {
  const r = await fetch(WEB_ENV.driver, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req) });
  const answer = await r.json() as DriverResponse;
  if (answer.ok) return answer.value;
  throw new Error(`UI driver (${req.kind}): ${answer.error}`);
}

export const ui = makeUi(drive);
