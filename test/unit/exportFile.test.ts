import * as assert from 'assert';
import { exportBytes, exportFileName } from '../../src/export/exportFile';

describe('export: file name', () => {
  it('keeps a plain name with its extension', () => assert.strictEqual(exportFileName('story-run3.png', 'png'), 'story-run3.png'));
  it('adds the extension when missing', () => assert.strictEqual(exportFileName('attention', 'json'), 'attention.json'));
  it('drops any path, so the webview cannot pick the folder', () => {
    assert.strictEqual(exportFileName('../../.bashrc.html', 'html'), 'attention.html');
    assert.strictEqual(exportFileName('/etc/passwd', 'svg'), 'passwd.svg');
    assert.strictEqual(exportFileName('..\\..\\x.json', 'json'), 'x.json');
  });
  it('replaces characters that file systems or shells treat specially', () => {
    assert.strictEqual(exportFileName('a:b*c?"<>|.png', 'png'), 'a_b_c_____.png');
  });
  it('names an empty suggestion', () => assert.strictEqual(exportFileName('', 'svg'), 'attention.svg'));
});

describe('export: bytes', () => {
  it('writes utf8 text as is', () => assert.strictEqual(new TextDecoder().decode(exportBytes({ data: 'é→', encoding: 'utf8' })), 'é→'));
  it('decodes base64', () => assert.deepStrictEqual([...exportBytes({ data: 'iVBORw==', encoding: 'base64' })], [0x89, 0x50, 0x4e, 0x47]));
  it('decodes every byte value as Node does (no Buffer on the web)', () => {
    const all = Uint8Array.from({ length: 768 }, (_, i) => (i * 7) % 256);
    const b64 = Buffer.from(all).toString('base64');
    assert.deepStrictEqual([...exportBytes({ data: b64.replace(/(.{76})/g, '$1\n'), encoding: 'base64' })], [...all]);
  });
  it('refuses data that is not base64', () => {
    assert.throws(() => exportBytes({ data: 'not base64!', encoding: 'base64' }), /not valid base64/);
    assert.throws(() => exportBytes({ data: 'abc', encoding: 'base64' }), /not valid base64/);
  });
});
