/** EAGLE_MAVLINK link specs: signing keys and tlog replay links. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseLink } from '../../server/config.ts';

const KEY = '0123456789abcdef'.repeat(4);

describe('EAGLE_MAVLINK link specs', () => {
  it('parses a signed UDP link: the id is the address without the key', () => {
    const l = parseLink(`udp:127.0.0.1:14550?signing=${KEY}`);
    expect(l).toMatchObject({ id: 'udp:127.0.0.1:14550', kind: 'udp', host: '127.0.0.1', port: 14550 });
    expect(l.signingKey!.toString('hex')).toBe(KEY);
    expect(l.replay).toBeUndefined();
  });

  it('parses a tlog replay link with its speed (default real time)', () => {
    expect(parseLink('tlog:flights/a b.tlog?speed=10')).toMatchObject({ id: 'tlog:flights/a b.tlog', kind: 'tlog', signingKey: null, replay: { path: 'flights/a b.tlog', speed: 10 } });
    expect(parseLink('tlog:/abs/x.tlog').replay).toEqual({ path: '/abs/x.tlog', speed: 1 });
    expect(parseLink('tlog:x.tlog?speed=0.5').replay!.speed).toBe(0.5);
  });

  it('refuses bad keys, bad speeds and unknown options with a message that names them', () => {
    expect(() => parseLink('udp:127.0.0.1:14550?signing=abc')).toThrow(/64 hex digits/);
    expect(() => parseLink('tlog:x.tlog?speed=0')).toThrow(/positive number/);
    expect(() => parseLink('tlog:x.tlog?speed=fast')).toThrow(ConfigError);
    expect(() => parseLink('tlog:x.tlog?signing=' + KEY)).toThrow(/unknown option signing/);
    expect(() => parseLink('serial:/dev/ttyUSB0')).toThrow(/udp:, tcp: or tlog:/);
  });

  it('records flight logs unless EAGLE_TLOGS=off; EAGLE_TLOG_MAX_MIB sets the file size', () => {
    expect(loadConfig({}).tlogs).toEqual({ enabled: true, maxFileBytes: 64 * 1024 * 1024 });
    expect(loadConfig({ EAGLE_TLOGS: 'off', EAGLE_TLOG_MAX_MIB: '8' }).tlogs).toEqual({ enabled: false, maxFileBytes: 8 * 1024 * 1024 });
    expect(() => loadConfig({ EAGLE_TLOGS: 'maybe' })).toThrow(/EAGLE_TLOGS/);
  });
});
