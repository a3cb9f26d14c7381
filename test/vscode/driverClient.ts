// The tests' side of the UI driver: sends a DriverRequest to the launcher and returns its value.
import * as http from 'http';
import { DriverRequest, DriverResponse, ENV } from './driverProtocol';
import { makeUi } from './driverUi';

function driverUrl(): URL {
  const url = process.env[ENV.driver];
  if (!url) throw new Error(`${ENV.driver} is not set: run these tests through out/test/vscode/runTests.js`);
  return new URL(url);
}

export function drive(req: DriverRequest): Promise<unknown> {
  const url = driverUrl();
  const body = JSON.stringify(req);
  return new Promise((resolve, reject) => {
    const r = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DriverResponse;
          if (answer.ok) resolve(answer.value);
          else reject(new Error(`UI driver (${req.kind}): ${answer.error}`));
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    });
    r.on('error', reject);
    r.end(body);
  });
}

export const ui = makeUi(drive);
