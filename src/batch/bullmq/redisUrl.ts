// `--queue redis://[user:password@]HOST:PORT[/DB]` checked as typed and turned into the Redis client's connection options.
import { OptionError } from '../../errors/index.js';

/** The connection options BullMQ hands to ioredis; `maxRetriesPerRequest: null` as BullMQ's workers require. */
export interface RedisConnection {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly db?: number;
  readonly tls?: Record<string, never>;
  readonly maxRetriesPerRequest: null;
}

/** Parses and checks the URL (no connection yet): a mistake is an OptionError naming `--queue`. */
export function redisConnection(url: string): RedisConnection {
  const form = 'a Redis URL, redis://HOST:PORT (or rediss:// for TLS, redis://:PASSWORD@HOST:PORT/DB)';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OptionError('--queue', form, url);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new OptionError('--queue', form, url);
  if (parsed.hostname === '') throw new OptionError('--queue', form, url);
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  const dbText = parsed.pathname.replace(/^\//, '');
  const db = dbText === '' ? undefined : Number(dbText);
  if (db !== undefined && !(Number.isInteger(db) && db >= 0)) throw new OptionError('--queue', `${form}; the database a whole number`, url);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port,
    username: parsed.username === '' ? undefined : decodeURIComponent(parsed.username),
    password: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
    db,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  return url.replace(/\/\/([^@/]*):[^@/]*@/, '//$1:***@');
}
