import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../config/settings';

const secret = '0123456789abcdef0123456789abcdef';
const token = 'a'.repeat(40);

describe('settings are checked at start', () => {
  it('starts on the embedded defaults with nothing set: SQLite under data/ and the LINE emulator', () => {
    const s = loadSettings({});
    expect(s.port).toBe(3000);
    expect(s.databaseUrl).toBe('sqlite:data/echannel.sqlite');
    expect(s.line).toBeNull();
    expect(s.emulatorPort).toBe(3001);
  });

  it('talks to LINE when both credentials are set, at LINE\'s hosts unless told otherwise', () => {
    const s = loadSettings({ LINE_CHANNEL_SECRET: secret, LINE_CHANNEL_ACCESS_TOKEN: token });
    expect(s.line).toEqual({ channelSecret: secret, channelAccessToken: token, apiBaseUrl: 'https://api.line.me', dataApiBaseUrl: 'https://api-data.line.me' });
    const staged = loadSettings({ LINE_CHANNEL_SECRET: secret, LINE_CHANNEL_ACCESS_TOKEN: token, LINE_API_BASE_URL: 'http://127.0.0.1:9000/', LINE_DATA_API_BASE_URL: 'http://127.0.0.1:9001' });
    expect(staged.line?.apiBaseUrl).toBe('http://127.0.0.1:9000');
    expect(staged.line?.dataApiBaseUrl).toBe('http://127.0.0.1:9001');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LINE_CHANNEL_SECRET: secret }, 'LINE_CHANNEL_ACCESS_TOKEN'],
    [{ LINE_CHANNEL_ACCESS_TOKEN: token }, 'LINE_CHANNEL_SECRET'],
    [{ LINE_CHANNEL_SECRET: 'short', LINE_CHANNEL_ACCESS_TOKEN: token }, 'LINE_CHANNEL_SECRET'],
    [{ LINE_API_BASE_URL: 'ftp://line' }, 'LINE_API_BASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ WORKER_CONCURRENCY: '0' }, 'WORKER_CONCURRENCY'],
    [{ SQLITE_CACHE_MB: '1' }, 'SQLITE_CACHE_MB'],
    [{ DATABASE_POOL_SIZE: 'many' }, 'DATABASE_POOL_SIZE'],
    [{ ADMIN_TOKEN: 'x'.repeat(32) }, 'ADMIN_TOKEN_HOLDER'],
    [{ ADMIN_TOKEN: 'x'.repeat(32), ADMIN_TOKEN_HOLDER: 'som\nchai' }, 'ADMIN_TOKEN_HOLDER'],
    [{ NODE_ENV: 'production' }, 'LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN'],
  ])('refuses %o, naming %s', (env, name) => {
    let error: unknown;
    try {
      loadSettings(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as Error).message).toContain(name);
  });

  it('names the admin token holder, the actor of every change made with the token', () => {
    expect(loadSettings({}).adminToken).toBeNull();
    expect(loadSettings({ ADMIN_TOKEN: 'x'.repeat(32), ADMIN_TOKEN_HOLDER: ' สมชาย ใจดี ' }).adminToken).toEqual({ secret: 'x'.repeat(32), holder: 'สมชาย ใจดี' });
  });

  it('refuses production without LINE credentials, saying why; takes it with them', () => {
    expect(() => loadSettings({ NODE_ENV: 'production' })).toThrow(/NODE_ENV=production.*emulator.*public/);
    expect(loadSettings({ NODE_ENV: 'production', LINE_CHANNEL_SECRET: secret, LINE_CHANNEL_ACCESS_TOKEN: token }).line).not.toBeNull();
    expect(loadSettings({ NODE_ENV: 'development' }).line).toBeNull();
  });

  it("sizes the database: SQLite's page cache 32 MB and PostgreSQL's work pool 24 connections unless told", () => {
    expect(loadSettings({})).toMatchObject({ sqliteCacheMb: 32, databasePoolSize: 24 });
    expect(loadSettings({ SQLITE_CACHE_MB: '8', DATABASE_POOL_SIZE: '40' })).toMatchObject({ sqliteCacheMb: 8, databasePoolSize: 40 });
  });

  it('takes PostgreSQL URLs', () => {
    expect(loadSettings({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }).databaseUrl).toMatch(/^postgres:/);
  });
});
