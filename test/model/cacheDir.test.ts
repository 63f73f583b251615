// cacheDir: BLURIG_CACHE_DIR, then XDG_CACHE_HOME, then each platform's own cache folder.
import { describe, expect, it } from 'vitest';
import { cacheDir } from '../../src/model/cacheDir.js';

describe('cacheDir', () => {
  it('uses BLURIG_CACHE_DIR first', () => {
    expect(cacheDir({ BLURIG_CACHE_DIR: '/tmp/c', XDG_CACHE_HOME: '/x' }, 'linux', '/home/u')).toBe('/tmp/c');
  });
  it('then XDG_CACHE_HOME, when absolute', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/blurig-audio');
    expect(cacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.cache/blurig-audio');
  });
  it('then the platform default', () => {
    expect(cacheDir({}, 'linux', '/home/u')).toBe('/home/u/.cache/blurig-audio');
    expect(cacheDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Caches/blurig-audio');
    expect(cacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Local\\blurig-audio');
    expect(cacheDir({}, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Local\\blurig-audio');
  });
});
