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
});
