// The viewers of a live run: each an open Server-Sent Events response; every event line goes to all of them, and a newcomer first gets a replay.
import type { ServerResponse } from 'node:http';

/** Frames a newcomer is sent first: the last 30 s, so the page starts full rather than blank. */
const REPLAY_FRAMES = 3000;
/** Detections and drops kept for newcomers (the newest). */
const REPLAY_EVENTS = 500;
/** A viewer this far behind (bytes its socket has not taken) is cut off; its page reconnects and gets the replay. */
const MAX_BACKLOG_BYTES = 16 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;

/** The kinds of line the hub keeps for replay. */
export type LineKind = 'start' | 'frame' | 'detection' | 'drop' | 'lag' | 'patch' | 'end' | 'error';

export class SseHub {
  private readonly clients = new Set<ServerResponse>();
  private header: string | undefined;
  private readonly frames: string[] = [];
  private readonly events: string[] = [];
  private lastLag: string | undefined;
  private finalLine: string | undefined;
  private readonly heartbeat = setInterval(() => this.send(': keep-alive\n\n'), HEARTBEAT_MS).unref();
  /** Totals since the start, for the CLI's closing line. */
  framesSent = 0;
  drops = 0;
  viewersEver = 0;

  get viewers(): number {
    return this.clients.size;
  }

  /** Adopts a request for `/events` as a viewer: headers, the replay, then every new line. */
  attach(response: ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    response.write('retry: 1000\n\n');
    const replay = [this.header, ...this.events, this.lastLag, ...this.frames, this.finalLine].filter((line): line is string => line !== undefined);
    response.write(replay.map(message).join(''));
    this.clients.add(response);
    this.viewersEver++;
    response.on('close', () => this.clients.delete(response));
  }

  /** Sends one NDJSON line (an event of the stream format) to every viewer and keeps what a newcomer needs. */
  publish(kind: LineKind, line: string): void {
    if (kind === 'start') this.header = line;
    else if (kind === 'frame') {
      this.framesSent++;
      this.frames.push(line);
      if (this.frames.length > REPLAY_FRAMES) this.frames.splice(0, this.frames.length - REPLAY_FRAMES);
    } else if (kind === 'detection' || kind === 'drop') {
      if (kind === 'drop') this.drops++;
      this.events.push(line);
      if (this.events.length > REPLAY_EVENTS) this.events.splice(0, this.events.length - REPLAY_EVENTS);
    } else if (kind === 'lag') this.lastLag = line;
    else if (kind === 'end' || kind === 'error') this.finalLine = line;
    this.send(message(line));
  }

  /** Ends every viewer's response and destroys its socket. */
  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const response of this.clients) response.destroy();
    this.clients.clear();
  }

  private send(text: string): void {
    for (const response of this.clients) {
      if (response.writableLength > MAX_BACKLOG_BYTES) response.destroy();
      else response.write(text);
    }
  }
}

function message(line: string): string {
  return `data: ${line}\n\n`;
}
