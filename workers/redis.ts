// The Redis server queue mode runs on: where it is (REDIS_URL), how BullMQ must connect
// to it, and a check at start that it can hold a queue safely (version >= 6.2, and
// `maxmemory-policy noeviction`: an evicting Redis drops jobs silently).
import { Redis } from 'ioredis';
import type { ConnectionOptions } from 'bullmq';
import { EXIT, WsoaError } from '../pipeline/exit-codes.js';

export const MIN_REDIS_VERSION = '6.2.0';

/** REDIS_URL, or a usage error saying what to set. */
export function redisUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.REDIS_URL?.trim();
  if (!url) throw new WsoaError('REDIS_URL is not set: queue mode needs a Redis server, e.g. REDIS_URL=redis://127.0.0.1:6379', EXIT.USAGE);
  if (!/^rediss?:\/\//.test(url)) throw new WsoaError(`REDIS_URL must be a redis:// or rediss:// URL, not ${JSON.stringify(url)}`, EXIT.USAGE);
  return url;
}

/**
 * Connection options for every Queue, Worker and FlowProducer: BullMQ requires
 * `maxRetriesPerRequest: null` for workers (a command waits for a reconnect rather than
 * failing), and the same for the rest keeps a Redis restart from failing an enqueue.
 */
export function connectionOf(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null };
}

/** A plain client (for the document bytes and the checks), reconnecting like BullMQ's. */
export function clientOf(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

const versionParts = (v: string) => v.split('.').map((p) => Number.parseInt(p, 10) || 0);
export function versionAtLeast(v: string, min: string): boolean {
  const a = versionParts(v);
  const b = versionParts(min);
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

export interface RedisFacts {
  version: string;
  maxmemoryPolicy: string;
  /** Append-only file on: jobs survive a restart of the server. */
  persistent: boolean;
}

/** What INFO says of the server. */
export function redisFactsOf(info: string): RedisFacts {
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? '';
  return { version: field('redis_version'), maxmemoryPolicy: field('maxmemory_policy'), persistent: field('aof_enabled') === '1' };
}

/** Connects once and refuses a server queue mode cannot trust, with one clear line. */
export async function checkRedis(url: string, timeoutMs = 5000): Promise<RedisFacts> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => undefined);
  let info: string;
  try {
    await client.connect();
    info = await client.info();
  } catch (err) {
    throw new WsoaError(`cannot reach Redis at ${redactedUrl(url)}: ${(err as Error).message.split('\n')[0]}`, EXIT.FAILURE);
  } finally {
    client.disconnect();
  }
  const facts = redisFactsOf(info);
  if (!facts.version || !versionAtLeast(facts.version, MIN_REDIS_VERSION)) throw new WsoaError(`Redis ${facts.version || '(version unknown)'} at ${redactedUrl(url)} is too old: queue mode needs Redis >= ${MIN_REDIS_VERSION}`, EXIT.FAILURE);
  if (facts.maxmemoryPolicy !== 'noeviction') throw new WsoaError(`Redis at ${redactedUrl(url)} has maxmemory-policy ${facts.maxmemoryPolicy || '(unknown)'}: queue mode needs noeviction, or Redis may drop jobs (CONFIG SET maxmemory-policy noeviction)`, EXIT.FAILURE);
  return facts;
}

/** The URL without its password, for messages. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
