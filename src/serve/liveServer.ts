// The HTTP server of `blurig serve`: the live page at /, its event stream at /events; binds where told, refuses a taken port in one line.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlurigError } from '../errors/index.js';
import { SseHub } from './sseHub.js';

export interface LiveServer {
  /** `http://host:port/`, with the port the system chose for port 0. */
  readonly url: string;
  readonly hub: SseHub;
  /** Stops accepting, ends every viewer's stream and closes every socket. */
  close(): Promise<void>;
}

/** Starts listening on `host:port`; `page` is the live page's HTML. */
export async function startLiveServer(options: { host: string; port: number; page: string }): Promise<LiveServer> {
  const hub = new SseHub();
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    if (path === '/events') return hub.attach(response);
    if (path === '/' || path === '/index.html') {
      return void response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(request.method === 'HEAD' ? undefined : options.page);
    }
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('blurig serve: only / (the live page) and /events (its stream)\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, options.host, options.port)));
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/`,
    hub,
    close: () =>
      new Promise<void>((resolve) => {
        hub.closeAll();
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive sockets of page loads too, so close() returns at once
      }),
  };
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): BlurigError {
  const where = `${host}:${port}`;
  if (error.code === 'EADDRINUSE') return new BlurigError(`Port ${port} on ${host} is in use: choose another with --port (--port 0 picks a free one)`, { cause: error });
  if (error.code === 'EACCES') return new BlurigError(`Not allowed to listen on ${where} (ports below 1024 need privileges): choose another --port`, { cause: error });
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return new BlurigError(`Cannot listen on ${where}: --host must be an address of this machine (default 127.0.0.1)`, { cause: error });
  return new BlurigError(`Cannot listen on ${where}: ${error.message}`, { cause: error });
}
