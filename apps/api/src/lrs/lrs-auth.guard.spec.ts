import { parseBasic } from './lrs-auth.guard.js';

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('parseBasic (HTTP Basic credentials of an xAPI request)', () => {
  it('reads the key and the secret, the secret keeping its colons', () => {
    expect(parseBasic(basic('lrs-key:se:cret'))).toEqual({ key: 'lrs-key', secret: 'se:cret' });
    expect(parseBasic(`basic   ${Buffer.from('k:s').toString('base64')}  `)).toEqual({ key: 'k', secret: 's' });
  });

  it.each([
    ['no header', undefined],
    ['another scheme', 'Bearer abc'],
    ['no colon', basic('lrs-key')],
    ['an empty key', basic(':secret')],
    ['not base64', 'Basic ***'],
  ])('answers null for %s', (_what, header) => {
    expect(parseBasic(header)).toBeNull();
  });

  it('answers a header seen before with what it answered the first time, which nobody can change', () => {
    const first = parseBasic(basic('kept:secret'));
    const again = parseBasic(basic('kept:secret'));
    expect(again).toBe(first);
    expect(Object.isFrozen(again)).toBe(true);
    expect(parseBasic(basic('kept:other'))).toEqual({ key: 'kept', secret: 'other' });
  });

  it('still parses every header right once more distinct headers came than it keeps', () => {
    for (let i = 0; i < 600; i++)
      expect(parseBasic(basic(`key-${i}:secret-${i}`))).toEqual({ key: `key-${i}`, secret: `secret-${i}` });
    expect(parseBasic(basic('key-3:secret-3'))).toEqual({ key: 'key-3', secret: 'secret-3' });
    expect(parseBasic(basic('key-3'))).toBeNull();
  });
});
