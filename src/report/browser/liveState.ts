// What the live page knows: the frames of the last window, the classes seen, detections, drops and lag, from the stream's NDJSON events.

/** A frame as `blurig stream` writes it (only the fields the page reads). */
interface FrameLine {
  readonly type: 'frame';
  readonly index: number;
  readonly timeSec: number;
  readonly logMel: number[];
  readonly classes: { classIndex: number; name: string; attribution: number[] }[];
}

export interface LiveDetection {
  readonly classIndex: number;
  readonly name: string;
  readonly startSec: number;
  endSec: number;
  peakScore: number;
  evidence: { startSec: number; endSec: number } | null;
  open: boolean;
}

export class LiveState {
  readonly frames = new Map<number, { logMel: Float32Array; classes: Map<number, Float32Array> }>();
  readonly classes = new Map<number, string>();
  readonly detections = new Map<string, LiveDetection>();
  readonly drops: { index: number; startSec: number }[] = [];
  header: Record<string, unknown> | null = null;
  framesReceived = 0;
  lagSec = 0;
  newestSec = 0;
  ended: 'end' | 'error' | null = null;
  errorMessage = '';
  private lastFrame = -1;
  private lastDrop = -1;

  constructor(private readonly keepSec: number) {}

  /** Takes one event line; a replayed event already seen (after a reconnect) changes nothing. */
  take(event: { type: string } & Record<string, unknown>): void {
    if (event.type === 'start') this.header = event;
    else if (event.type === 'frame') this.frame(event as unknown as FrameLine);
    else if (event.type === 'drop') {
      const index = event.index as number;
      if (index > this.lastDrop) (this.lastDrop = index), this.drops.push({ index, startSec: event.startSec as number });
      this.newestSec = Math.max(this.newestSec, (event.startSec as number) + 0.96);
    } else if (event.type === 'lag') this.lagSec = event.lagSec as number;
    else if (event.type === 'detection') {
      const key = `${event.classIndex}:${event.startSec}`;
      this.detections.set(key, {
        classIndex: event.classIndex as number,
        name: event.name as string,
        startSec: event.startSec as number,
        endSec: event.endSec as number,
        peakScore: event.peakScore as number,
        evidence: (event.evidence as LiveDetection['evidence']) ?? null,
        open: event.state === 'start',
      });
    } else if (event.type === 'end') this.ended = 'end';
    else if (event.type === 'error') (this.ended = 'error'), (this.errorMessage = String(event.message));
  }

  private frame(line: FrameLine): void {
    if (line.index <= this.lastFrame) return;
    this.lastFrame = line.index;
    this.framesReceived++;
    const classes = new Map<number, Float32Array>();
    for (const c of line.classes) {
      if (!this.classes.has(c.classIndex)) this.classes.set(c.classIndex, c.name);
      classes.set(c.classIndex, Float32Array.from(c.attribution));
    }
    this.frames.set(line.index, { logMel: Float32Array.from(line.logMel), classes });
    this.newestSec = Math.max(this.newestSec, line.timeSec + 0.01);
    // Keep the window and a little more: memory stays flat however long the stream runs.
    const oldest = line.index - Math.round(this.keepSec * 100);
    for (const index of this.frames.keys()) {
      if (index >= oldest) break;
      this.frames.delete(index);
    }
  }
}
