// Test helper: a local HTTP server on 127.0.0.1 that serves the real YAMNet file, a corrupted copy, a redirect, a 404 and two stalls.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadModelManifest } from '../../src/model/manifest.js';
import { packageRoot } from '../../src/packageFiles.js';

/** The real model, found beside the repo or through BLURIG_MODEL (read once, before any test changes the env). */
export const localModel = findLocalModel();

/** Why download tests are skipped, for the skip message; undefined when the model is available. */
export const missingModelReason = localModel === undefined ? describeMissing() : undefined;

function candidates(): string[] {
  const list = [join(packageRoot(), '..', 'shared', 'models', 'yamnet', 'yamnet_spectra_in.tflite')];
  if (process.env.BLURIG_MODEL) list.push(process.env.BLURIG_MODEL);
  return list;
}

function findLocalModel(): { path: string; bytes: Buffer } | undefined {
  const { sha256 } = loadModelManifest({});
  for (const path of candidates()) {
    if (!existsSync(path)) continue;
    const bytes = readFileSync(path);
    // Only the exact file of the manifest will pass the checksum, so anything else counts as absent.
    if (createHash('sha256').update(bytes).digest('hex') === sha256) return { path, bytes };
  }
  return undefined;
}

function describeMissing(): string {
  return `YAMNet model not found (looked at ${candidates().join(', ')}); set BLURIG_MODEL to the manifest's yamnet_spectra_in.tflite to run the download tests`;
}

/** A running server and the URLs of its routes. */
export interface ModelServer {
  readonly good: string;
  readonly corrupt: string;
  readonly redirect: string;
  readonly missing: string;
  /** Sends the headers and the first 64 KiB of the body, then nothing more, keeping the connection open. */
  readonly stall: string;
  /** Accepts the request and never answers. */
  readonly stallBeforeHeaders: string;
  /** Paths requested so far, to prove a test did (or did not) download. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Starts the server on an ephemeral port of 127.0.0.1. */
export async function startModelServer(model: Buffer): Promise<ModelServer> {
  const corrupt = Buffer.from(model);
  corrupt[corrupt.length >> 1] ^= 0xff;
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const send = (body: Buffer): void => {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      response.end(body);
    };
    if (request.url === '/yamnet.tflite') send(model);
    else if (request.url === '/corrupt.tflite') send(corrupt);
    else if (request.url === '/redirect.tflite') {
      // Two hops, like GitHub's raw URL → raw.githubusercontent.com.
      response.writeHead(302, { location: '/redirect-again.tflite' });
      response.end();
    } else if (request.url === '/stall.tflite') {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': model.length });
      response.write(model.subarray(0, 65_536)); // and then silence, until the client gives up or close() ends it
    } else if (request.url === '/stall-headers.tflite') {
      // Nothing at all: the request stays open.
    } else if (request.url === '/redirect-again.tflite') {
      response.writeHead(301, { location: '/yamnet.tflite' });
      response.end();
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    }
  });
  const port = await listen(server);
  const base = `http://127.0.0.1:${port}`;
  return {
    good: `${base}/yamnet.tflite`,
    corrupt: `${base}/corrupt.tflite`,
    redirect: `${base}/redirect.tflite`,
    missing: `${base}/missing.tflite`,
    stall: `${base}/stall.tflite`,
    stallBeforeHeaders: `${base}/stall-headers.tflite`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A URL on a 127.0.0.1 port that was just opened and closed, so nothing listens there: the "offline" case. */
export async function unreachableUrl(): Promise<string> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/yamnet.tflite`;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
