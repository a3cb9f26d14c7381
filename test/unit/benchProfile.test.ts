// The VS Code rows' profile and link options (--vscode-profile, --vscode-throttle-mbit) and how a
// kept profile's windows are summed up: the first window apart from the later ones.
import * as assert from 'assert';
import { parseOptions } from '../../bench/options';
import { emptyRow } from '../../bench/results';
import { formatTable } from '../../bench/table';
import { fillRow, summarize } from '../../bench/vscode/phase';
import type { CommandTiming, ProfileState, WindowReport } from '../../bench/vscode/protocol';

function timing(total: number, runtimeFrom: string): CommandTiming {
  return {
    total_ms: total, host_ms: 20, ready_ms: 300, result_ms: total - 10, load_ms: total / 2, inference_ms: 100,
    phases: { runtime_start_ms: total / 4, runtime_from: runtimeFrom }, render_ms: 10, fetches: null, backend: 'wasm', tokens: 512,
  };
}

function window(total: number, profile: ProfileState, runtimeFrom: string): WindowReport {
  return { activate_ms: 50, cold: timing(total, runtimeFrom), warm: [timing(200, runtimeFrom)], profile };
}

describe('bench: the VS Code windows\' profile and link', () => {
  it('takes fresh or same, a rate and a round trip, and refuses the rest', () => {
    const d = parseOptions([], 'r.json');
    assert.strictEqual(d.vscodeProfile, 'fresh');
    assert.strictEqual(d.vscodeThrottleMbit, null);
    assert.strictEqual(d.vscodeThrottleRttMs, 20);
    const o = parseOptions(['--vscode-profile', 'same', '--vscode-throttle-mbit', '12.5', '--vscode-throttle-rtt-ms', '0'], 'r.json');
    assert.strictEqual(o.vscodeProfile, 'same');
    assert.strictEqual(o.vscodeThrottleMbit, 12.5);
    assert.strictEqual(o.vscodeThrottleRttMs, 0);
    assert.throws(() => parseOptions(['--vscode-profile', 'warm'], 'r.json'), /fresh or same/);
    assert.throws(() => parseOptions(['--vscode-throttle-mbit', '0'], 'r.json'), /> 0/);
    assert.throws(() => parseOptions(['--vscode-throttle-mbit'], 'r.json'), /> 0/);
    assert.throws(() => parseOptions(['--vscode-throttle-rtt-ms', '50'], 'r.json'), /needs --vscode-throttle-mbit/);
  });

  it('with a kept profile, reports the first window apart from the median of the later ones', () => {
    const s = summarize([window(3000, 'first', 'fetch'), window(1200, 'later', 'cache'), window(1000, 'later', 'cache'), window(1400, 'later', 'cache')]);
    assert.strictEqual(s.profile, 'same');
    assert.deepStrictEqual(s.windows_profile, ['first', 'later', 'later', 'later']);
    assert.deepStrictEqual(s.cold_windows_ms, [3000, 1200, 1000, 1400]);
    assert.strictEqual(s.cold.total_ms, 1300);
    assert.strictEqual(s.cold_first_ms, 3000);
    assert.strictEqual(s.cold_later_ms, 1200);
    assert.strictEqual(s.cold_by_profile?.first.phase_runtime_start_ms, 750);
    assert.strictEqual(s.cold_by_profile?.later.phase_runtime_start_ms, 300);
    assert.deepStrictEqual(s.cold_words.runtime_from, ['fetch', 'cache', 'cache', 'cache']);
    const row = emptyRow('prose', 512);
    fillRow(row, s);
    assert.strictEqual(row.vscode_cold_first_window_ms, 3000);
    assert.strictEqual(row.vscode_cold_later_windows_ms, 1200);
    const head = formatTable([row]).split('\n')[0];
    assert.match(head, /vscode cold +cold 1st win +cold later +vscode warm$/);
  });

  it('with fresh profiles, has no first/later figures and no such columns; a failed first window leaves first null', () => {
    const s = summarize([window(3000, 'fresh', 'fetch'), window(2000, 'fresh', 'fetch')]);
    assert.strictEqual(s.profile, 'fresh');
    assert.strictEqual(s.cold_first_ms, undefined);
    const row = emptyRow('prose', 512);
    fillRow(row, s);
    assert.strictEqual(row.vscode_cold_first_window_ms, undefined);
    assert.doesNotMatch(formatTable([row]), /cold 1st win/);
    assert.match(formatTable([row]), /vscode cold/);
    assert.doesNotMatch(formatTable([emptyRow('prose', 64)]), /vscode/);
    const only = summarize([window(1500, 'later', 'cache')]);
    assert.strictEqual(only.cold_first_ms, null);
    assert.strictEqual(only.cold_later_ms, 1500);
  });

  it('keeps each window\'s bytes through the throttled link, in window order', () => {
    const a = { ...window(5000, 'fresh', 'fetch'), throttle: { mbit: 50, rtt_ms: 20, down_bytes: 40e6, up_bytes: 1e6, connections: 9 } };
    const b = { ...window(4000, 'fresh', 'fetch'), throttle: { mbit: 50, rtt_ms: 20, down_bytes: 39e6, up_bytes: 2e6, connections: 8 } };
    const s = summarize([a, b]);
    assert.deepStrictEqual(s.throttle, { mbit: 50, rtt_ms: 20, down_bytes: [40e6, 39e6], up_bytes: [1e6, 2e6], connections: [9, 8] });
    assert.strictEqual(summarize([window(1, 'fresh', 'fetch')]).throttle, undefined);
  });
});
