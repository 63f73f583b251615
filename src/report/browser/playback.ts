// Playing the embedded audio, or a detection's evidence or rest, with the cursor time every view shows.
import type { BlobId } from '../reportTypes.js';
import { readBlob } from './blobs.js';

/** What is playing: the whole file, or a detection's evidence or rest (which start at `offsetSec` in the file). */
export interface Playing {
  readonly what: 'audio' | 'evidence' | 'rest';
  readonly offsetSec: number;
}

export class Playback {
  /** The file's audio; the listening clips share one second element so only one sound plays at a time. */
  readonly main = document.createElement('audio');
  readonly clip = document.createElement('audio');
  private playing: Playing | null = null;
  private readonly urls = new Map<BlobId, string>();

  constructor(private readonly onChange: () => void) {
    for (const [element, id] of [[this.main, 'audio'], [this.clip, 'listen-audio']] as const) {
      element.id = id;
      element.preload = 'auto';
      element.addEventListener('ended', () => this.stop());
      element.addEventListener('pause', () => this.onChange());
      document.body.append(element);
    }
  }

  /** Loads the file's audio (a μ-law WAV blob) into the main element; resolves once it can play. */
  async load(blob: BlobId): Promise<void> {
    this.main.src = await this.url(blob);
    if (this.main.readyState < 1) await new Promise((resolve, reject) => ((this.main.onloadedmetadata = resolve), (this.main.onerror = () => reject(new Error('the audio could not be decoded')))));
  }

  get current(): Playing | null {
    return this.playing;
  }

  /** The file time the cursor stands at: the main element's time, or the clip's offset plus its time. */
  cursorSec(): number {
    if (this.playing !== null && this.playing.what !== 'audio') return this.playing.offsetSec + this.clip.currentTime;
    return this.main.currentTime;
  }

  async toggle(): Promise<void> {
    if (this.playing?.what === 'audio') return this.stop();
    this.stopClip();
    this.playing = { what: 'audio', offsetSec: 0 };
    this.onChange();
    await this.main.play();
  }

  seek(sec: number): void {
    this.stopClip();
    this.main.currentTime = Math.max(0, sec);
    this.onChange();
  }

  /** Plays a detection's evidence or rest clip from its start. */
  async playClip(what: 'evidence' | 'rest', blob: BlobId, offsetSec: number): Promise<void> {
    this.main.pause();
    this.clip.pause();
    this.clip.src = await this.url(blob);
    this.clip.muted = this.main.muted;
    this.playing = { what, offsetSec };
    this.onChange();
    await this.clip.play();
  }

  stop(): void {
    this.main.pause();
    this.stopClip();
    this.playing = null;
    this.onChange();
  }

  private stopClip(): void {
    if (this.playing !== null && this.playing.what !== 'audio') this.playing = null;
    this.clip.pause();
  }

  private async url(blob: BlobId): Promise<string> {
    const known = this.urls.get(blob);
    if (known !== undefined) return known;
    const url = URL.createObjectURL(new Blob([(await readBlob(blob)) as BlobPart], { type: 'audio/wav' }));
    this.urls.set(blob, url);
    return url;
  }
}
