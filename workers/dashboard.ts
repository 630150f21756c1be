// `wsoa dashboard`: bull-board (the Express adapter) over queue mode's queues, served on
// a loopback address by default: jobs per state, their data, return values, failure
// reasons and logs; retry or remove from the page.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { connectionOf } from './redis.js';
import { closeQueues, openQueues } from './status.js';

export interface Dashboard {
  url: string;
  close(): Promise<void>;
}

export async function startDashboard(redisUrl: string, opts: { host: string; port: number }): Promise<Dashboard> {
  const queues = openQueues(connectionOf(redisUrl));
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/');
  createBullBoard({ queues: Object.values(queues).map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { boardTitle: 'wsoa queues' } } });
  const server = http.createServer(serverAdapter.getRouter());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeQueues(queues);
    },
  };
}
