// Synthesises the student's audio, seeded: espeak-ng voices, sox instruments and filters, tones, noises and mixtures.
import { spawn } from 'node:child_process';
import { Random } from './random.js';

const RATE = 16_000;
const RAW = ['-t', 'f32', '-r', String(RATE), '-c', '1'];

/** One synthetic clip: what made it, and its 16 kHz mono samples. */
export interface Clip {
  readonly kind: string;
  readonly description: string;
  readonly waveform: Float32Array;
}

/** Runs a command with `input` on stdin; resolves with stdout. */
function run(command: string, args: readonly string[], input?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString().trim().split('\n').pop()}`))));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

function toFloats(buffer: Buffer): Float32Array {
  const copy = new Float32Array(buffer.length >> 2);
  new Uint8Array(copy.buffer).set(buffer.subarray(0, copy.length * 4));
  return copy;
}

/** sox with no input (`synth …`), or filtering `input` through `effects`; -R fixes its seeds, -D turns off dither. */
export async function sox(effects: readonly string[], input?: Float32Array): Promise<Float32Array> {
  const source = input === undefined ? ['-n'] : [...RAW, '-'];
  const data = input === undefined ? undefined : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  return toFloats(await run('sox', ['-D', '-R', ...source, ...RAW, '-', ...effects], data));
}

/** Whether espeak-ng and sox are installed (the synthetic data needs both). */
export async function synthToolsAvailable(): Promise<boolean> {
  try {
    await run('sox', ['--version']);
    await run('espeak-ng', ['--version']);
    return true;
  } catch {
    return false;
  }
}

// ---- building blocks on Float32Array ----

const seconds = (s: number): number => Math.round(s * RATE);

function peakNormalise(x: Float32Array, peakDb: number): Float32Array {
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  const g = peak > 0 ? 10 ** (peakDb / 20) / peak : 0;
  return x.map((v) => v * g);
}

/** An oscillator following a frequency track (Hz per sample) with a waveform shape. */
function oscillator(freq: (t: number) => number, samples: number, shape: 'sine' | 'square' | 'saw' | 'triangle', phase0 = 0): Float32Array {
  const out = new Float32Array(samples);
  let phase = phase0;
  for (let n = 0; n < samples; n++) {
    phase += freq(n / RATE) / RATE;
    const p = phase - Math.floor(phase);
    out[n] = shape === 'sine' ? Math.sin(2 * Math.PI * p) : shape === 'square' ? (p < 0.5 ? 1 : -1) * 0.7 : shape === 'saw' ? 2 * p - 1 : 4 * Math.abs(p - 0.5) - 1;
  }
  return out;
}

/** On/off gating with short ramps: `pattern` of [on seconds, off seconds] repeated. */
function gate(x: Float32Array, on: number, off: number, start = 0): Float32Array {
  const period = on + off;
  const ramp = 0.004;
  return x.map((v, n) => {
    const t = (n / RATE + start) % period;
    const g = t < on ? Math.min(1, t / ramp, (on - t) / ramp) : 0;
    return v * g;
  });
}

function sum(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(Math.max(...parts.map((p) => p.length)));
  for (const p of parts) for (let i = 0; i < p.length; i++) out[i] += p[i];
  return out;
}

function fit(x: Float32Array, samples: number, offset = 0): Float32Array {
  const out = new Float32Array(samples);
  out.set(x.subarray(0, Math.max(0, samples - offset)), offset);
  return out;
}

function white(rng: Random, samples: number): Float32Array {
  return Float32Array.from({ length: samples }, () => rng.uniform(-1, 1));
}

/** Pink noise (Paul Kellet's filter) or brown noise (leaky integrated white). */
function colouredNoise(rng: Random, samples: number, colour: 'white' | 'pink' | 'brown'): Float32Array {
  const w = white(rng, samples);
  if (colour === 'white') return w;
  const out = new Float32Array(samples);
  if (colour === 'brown') {
    let y = 0;
    for (let n = 0; n < samples; n++) out[n] = y = 0.995 * y + 0.05 * w[n];
    return out;
  }
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  for (let n = 0; n < samples; n++) {
    const v = w[n];
    b0 = 0.99886 * b0 + v * 0.0555179; b1 = 0.99332 * b1 + v * 0.0750759; b2 = 0.969 * b2 + v * 0.153852;
    b3 = 0.8665 * b3 + v * 0.3104856; b4 = 0.55 * b4 + v * 0.5329522; b5 = -0.7616 * b5 - v * 0.016898;
    out[n] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + v * 0.5362;
    b6 = v * 0.115926;
  }
  return out;
}

// ---- the sound kinds ----

const WORDS = 'the a one two three time people water sound light please attention station train morning evening weather today tomorrow number seven nine green blue house road window music quiet listen hello thank you where when why because never always little large quick brown fox jumps over lazy dog could would should important message system ready check signal level machine open close doors left right turn stop start again welcome final call passengers platform minutes'.split(' ');
const PHRASES: Record<string, readonly string[]> = {
  de: ['Guten Morgen, wie geht es Ihnen heute?', 'Der Zug nach Berlin fährt von Gleis sieben ab.', 'Bitte schließen Sie die Türen.'],
  fr: ['Bonjour, comment allez-vous aujourd’hui ?', 'Le train pour Paris part du quai numéro trois.', 'Merci de votre attention.'],
  es: ['Buenos días, ¿cómo está usted?', 'El tren con destino a Madrid sale del andén cuatro.', 'Por favor, cierren las puertas.'],
  it: ['Buongiorno, come sta oggi?', 'Il treno per Roma parte dal binario due.', 'Grazie per la vostra attenzione.'],
  pt: ['Bom dia, como você está?', 'O comboio para Lisboa parte da linha cinco.'],
  nl: ['Goedemorgen, hoe gaat het met u?', 'De trein naar Amsterdam vertrekt van spoor acht.'],
  pl: ['Dzień dobry, jak się masz?', 'Pociąg do Warszawy odjeżdża z peronu pierwszego.'],
  sv: ['God morgon, hur mår du idag?', 'Tåget till Stockholm avgår från spår sex.'],
  fi: ['Hyvää huomenta, mitä kuuluu?', 'Juna Helsinkiin lähtee raiteelta kolme.'],
  ru: ['Доброе утро, как у вас дела?', 'Поезд до Москвы отправляется с третьего пути.'],
  hi: ['नमस्ते, आप कैसे हैं?', 'कृपया ध्यान दें, गाड़ी प्लेटफार्म दो पर आ रही है।'],
  tr: ['Günaydın, nasılsınız?', 'Tren beşinci perondan kalkacak.'],
};
const ENGLISH = ['en-us', 'en-gb', 'en', 'en-gb-scotland', 'en-029', 'en-gb-x-rp'];
const VARIANTS = ['', '+m1', '+m2', '+m3', '+m4', '+m5', '+m6', '+m7', '+f1', '+f2', '+f3', '+f4', '+f5', '+klatt', '+klatt2', '+croak', '+whisper', '+Andy', '+Annie', '+boris', '+Michael', '+max', '+linda'];

/** What the voices cover, for the model card. */
export const VOICE_SUMMARY = `${ENGLISH.length} English accents (${ENGLISH.join(', ')}) and ${Object.keys(PHRASES).length} other languages (${Object.keys(PHRASES).join(', ')}), ${VARIANTS.length - 1} voice variants besides the default (8 % whispered)`;

async function speech(rng: Random, samples: number): Promise<Clip> {
  const english = rng.next() < 0.6;
  const language = english ? rng.pick(ENGLISH) : rng.pick(Object.keys(PHRASES));
  const text = english ? Array.from({ length: rng.int(6, 14) }, () => rng.pick(WORDS)).join(' ') + '.' : rng.pick(PHRASES[language]);
  const variant = rng.next() < 0.92 ? rng.pick(VARIANTS.filter((v) => v !== '+whisper')) : '+whisper';
  const speed = rng.int(110, 210);
  const pitch = rng.int(15, 85);
  const wav = await run('espeak-ng', ['-v', `${language}${variant}`, '-s', String(speed), '-p', String(pitch), '--stdout', text]);
  const voice = toFloats(await run('sox', ['-D', '-R', '-t', 'wav', '-', ...RAW, '-', 'rate', '-v', String(RATE), 'silence', '1', '0.01', '-45d', 'reverse', 'silence', '1', '0.01', '-45d', 'reverse'], wav));
  return { kind: 'speech', description: `espeak-ng ${language}${variant} -s ${speed} -p ${pitch}`, waveform: fit(peakNormalise(voice, rng.uniform(-12, -1)), samples, rng.next() < 0.5 ? 0 : seconds(rng.uniform(0, 0.4))) };
}

function siren(rng: Random, samples: number): Clip {
  const style = rng.pick(['wail', 'yelp', 'hi-lo', 'wail']);
  const low = rng.uniform(450, 800);
  const high = low * rng.uniform(1.6, 2.6);
  const period = style === 'wail' ? rng.uniform(2, 5) : style === 'yelp' ? rng.uniform(0.15, 0.4) : rng.uniform(0.8, 1.6);
  const start = rng.next();
  const track = (t: number): number => {
    const p = (t / period + start) % 1;
    if (style === 'hi-lo') return p < 0.5 ? high : low;
    return low + (high - low) * (p < 0.5 ? 2 * p : 2 - 2 * p);
  };
  const shape = rng.pick(['saw', 'square', 'saw', 'triangle', 'sine'] as const);
  return { kind: 'siren', description: `${style} siren ${shape} ${low.toFixed(0)}–${high.toFixed(0)} Hz, period ${period.toFixed(2)} s`, waveform: peakNormalise(oscillator(track, samples, shape), rng.uniform(-12, -2)) };
}

function beeps(rng: Random, samples: number): Clip {
  const style = rng.pick(['beep', 'smoke-alarm', 'alarm-clock', 'reversing', 'beep']);
  const freq = style === 'smoke-alarm' ? rng.uniform(2900, 3300) : style === 'reversing' ? rng.uniform(900, 1300) : rng.logUniform(400, 4000);
  const shape = style === 'alarm-clock' ? 'square' : rng.pick(['sine', 'sine', 'square', 'triangle'] as const);
  const on = style === 'alarm-clock' ? rng.uniform(0.05, 0.1) : style === 'reversing' ? 0.5 : rng.uniform(0.08, 0.5);
  const off = style === 'alarm-clock' ? rng.uniform(0.05, 0.1) : style === 'reversing' ? 0.5 : rng.uniform(0.08, 0.6);
  const tone = gate(oscillator(() => freq, samples, shape), on, off, rng.uniform(0, on + off));
  return { kind: 'beeps', description: `${style} ${shape} ${freq.toFixed(0)} Hz, ${on.toFixed(2)} s on ${off.toFixed(2)} s off`, waveform: peakNormalise(tone, rng.uniform(-15, -2)) };
}

const DTMF_LOW = [697, 770, 852, 941];
const DTMF_HIGH = [1209, 1336, 1477];

function telephone(rng: Random, samples: number): Clip {
  const style = rng.pick(['dial-us', 'dial-eu', 'busy', 'ringback', 'dtmf', 'dtmf']);
  const pair = (a: number, b: number): Float32Array => sum(oscillator(() => a, samples, 'sine'), oscillator(() => b, samples, 'sine'));
  let x: Float32Array;
  if (style === 'dial-us') x = pair(350, 440);
  else if (style === 'dial-eu') x = oscillator(() => 425, samples, 'sine');
  else if (style === 'busy') x = gate(pair(480, 620), 0.5, 0.5, rng.uniform(0, 1));
  else if (style === 'ringback') x = gate(pair(440, 480), 2, 4, rng.uniform(0, 3));
  else {
    const on = rng.uniform(0.06, 0.15);
    const off = rng.uniform(0.05, 0.2);
    x = new Float32Array(samples);
    for (let start = 0, k = 0; start < samples; start += seconds(on + off), k++) {
      const lowHz = rng.pick(DTMF_LOW);
      const highHz = rng.pick(DTMF_HIGH);
      const n = Math.min(seconds(on), samples - start);
      const tone = gate(pair(lowHz, highHz).subarray(0, n), on, 1);
      x.set(tone, start);
    }
  }
  return { kind: 'telephone', description: `${style} tones`, waveform: peakNormalise(x, rng.uniform(-15, -3)) };
}

/**
 * Frequencies a lone steady tone often has: tuning and test tones (A4, 1 kHz) and those telephone signalling combines
 * (350, 425, 440, 480, 620 Hz, the DTMF pairs). Alone, YAMNet calls such a sine "Sine wave"; a student that has heard
 * 440 Hz only inside dial and ringback tones calls it "Telephone", so a third of the tones use one of these.
 */
const REFERENCE_TONES_HZ = [350, 425, 440, 480, 620, 1000, ...DTMF_LOW, ...DTMF_HIGH];

async function steadyTone(rng: Random, samples: number): Promise<Clip> {
  const shape = rng.pick(['sine', 'sine', 'square', 'triangle', 'sawtooth', 'trapezium', 'exp']);
  const freq = rng.next() < 1 / 3 ? rng.pick(REFERENCE_TONES_HZ) : rng.logUniform(100, 5000);
  const vibrato = rng.next() < 0.25;
  const effects = ['synth', (samples / RATE).toFixed(3), shape, vibrato ? `${freq.toFixed(1)}` : freq.toFixed(1), ...(vibrato ? ['tremolo', rng.uniform(3, 8).toFixed(2), '40'] : [])];
  const x = await sox(effects);
  return { kind: 'tone', description: `sox synth ${shape} ${freq.toFixed(0)} Hz${vibrato ? ' with tremolo' : ''}`, waveform: fit(peakNormalise(x, rng.uniform(-18, -1)), samples) };
}

const NOTES = ['C3', 'D3', 'E3', 'G3', 'A3', 'C4', 'D4', 'E4', 'F4', 'G4', 'A4', 'B4', 'C5', 'D5', 'E5', 'G5'];

async function instrument(rng: Random, samples: number): Promise<Clip> {
  const voice = rng.pick(['pluck', 'pluck', 'pluck', 'sine', 'triangle', 'square', 'sawtooth']);
  const noteSeconds = rng.uniform(0.15, 0.6);
  const chord = rng.next() < 0.3;
  const effects: string[] = [];
  for (let t = 0; t < samples / RATE; t += noteSeconds) {
    if (effects.length > 0) effects.push(':');
    const notes = chord ? [rng.pick(NOTES), rng.pick(NOTES), rng.pick(NOTES)] : [rng.pick(NOTES)];
    effects.push('synth', noteSeconds.toFixed(3), ...notes.flatMap((n, i) => (i === 0 ? [voice, `%${noteOffset(n)}`] : [voice, 'mix', `%${noteOffset(n)}`])));
    if (voice !== 'pluck') effects.push('fade', 'q', '0.01', noteSeconds.toFixed(3), (noteSeconds * 0.5).toFixed(3));
  }
  const reverb = rng.next() < 0.4;
  const dry = await sox(effects);
  const x = reverb ? await sox(['reverb', String(rng.int(20, 80))], dry) : dry;
  return { kind: 'instrument', description: `sox synth ${voice} ${chord ? 'chords' : 'melody'}, ${noteSeconds.toFixed(2)} s notes${reverb ? ', reverb' : ''}`, waveform: fit(peakNormalise(x, rng.uniform(-12, -1)), samples) };
}

/** Semitones from A4 (sox's `%n` note notation). */
function noteOffset(note: string): number {
  const names: Record<string, number> = { C: -9, D: -7, E: -5, F: -4, G: -2, A: 0, B: 2 };
  return names[note[0]] + 12 * (Number(note.slice(1)) - 4);
}

async function noise(rng: Random, samples: number): Promise<Clip> {
  const colour = rng.pick(['white', 'pink', 'brown'] as const);
  let x = colouredNoise(rng, samples, colour);
  const filter = rng.next() < 0.35 ? rng.pick(['lowpass', 'highpass', 'bandpass']) : undefined;
  const cutoff = rng.logUniform(200, 5000);
  if (filter !== undefined) x = await sox(filter === 'bandpass' ? [filter, cutoff.toFixed(0), '1q'] : [filter, cutoff.toFixed(0)], x);
  return { kind: 'noise', description: `${colour} noise${filter ? ` ${filter} ${cutoff.toFixed(0)} Hz` : ''}`, waveform: peakNormalise(fit(x, samples), rng.uniform(-30, -1)) };
}

async function vehicle(rng: Random, samples: number): Promise<Clip> {
  const rumble = await sox(['lowpass', rng.uniform(150, 900).toFixed(0), 'lowpass', rng.uniform(300, 1500).toFixed(0)], colouredNoise(rng, samples, 'brown'));
  const hum0 = rng.uniform(25, 110);
  const drift = rng.uniform(-0.3, 0.3);
  const wobble = rng.uniform(0.5, 4);
  const hum = oscillator((t) => hum0 * (1 + drift * t / 3 + 0.03 * Math.sin(2 * Math.PI * wobble * t)), samples, rng.pick(['saw', 'square'] as const));
  const humFiltered = await sox(['lowpass', (hum0 * rng.uniform(4, 12)).toFixed(0)], hum);
  const x = sum(peakNormalise(rumble, -6), peakNormalise(fit(humFiltered, samples), rng.uniform(-18, -4)));
  return { kind: 'vehicle', description: `engine-like: filtered brown noise + ${hum0.toFixed(0)} Hz hum`, waveform: peakNormalise(x, rng.uniform(-12, -2)) };
}

function silence(rng: Random, samples: number): Clip {
  const digital = rng.next() < 0.6;
  const x = digital ? new Float32Array(samples) : peakNormalise(colouredNoise(rng, samples, 'pink'), rng.uniform(-70, -50));
  return { kind: 'silence', description: digital ? 'digital silence' : 'near silence (pink noise below −50 dBFS)', waveform: x };
}

type Generator = (rng: Random, samples: number) => Clip | Promise<Clip>;

/** The sound kinds and their share of the clips (mixtures add two or three of them). */
export const KINDS: readonly { readonly kind: string; readonly weight: number; readonly make: Generator }[] = [
  { kind: 'speech', weight: 5, make: speech },
  { kind: 'siren', weight: 2, make: siren },
  { kind: 'beeps', weight: 2, make: beeps },
  { kind: 'telephone', weight: 1.5, make: telephone },
  { kind: 'tone', weight: 1.5, make: steadyTone },
  { kind: 'instrument', weight: 2, make: instrument },
  { kind: 'noise', weight: 1.5, make: noise },
  { kind: 'vehicle', weight: 1.5, make: vehicle },
  { kind: 'silence', weight: 0.7, make: silence },
];

function pickKind(rng: Random): (typeof KINDS)[number] {
  const total = KINDS.reduce((s, k) => s + k.weight, 0);
  let r = rng.uniform(0, total);
  for (const k of KINDS) if ((r -= k.weight) < 0) return k;
  return KINDS[KINDS.length - 1];
}

/** Clip i of the set with `seed`: one sound (70 %) or a mixture of two or three at levels within ±18 dB. */
export async function synthesiseClip(seed: number, index: number, durationSec: number): Promise<Clip> {
  const rng = new Random(Math.imul(seed, 2_654_435_761) ^ Math.imul(index + 1, 40_503));
  const samples = seconds(durationSec);
  const parts = rng.next() < 0.7 ? 1 : rng.int(2, 3);
  const clips: Clip[] = [];
  for (let p = 0; p < parts; p++) {
    const kind = pickKind(rng);
    const clip = await kind.make(rng.fork(p), samples);
    const offset = parts > 1 && p > 0 ? seconds(rng.uniform(0, durationSec * 0.6)) : 0;
    const level = p === 0 ? 1 : 10 ** (rng.uniform(-18, 6) / 20);
    clips.push({ ...clip, waveform: fit(clip.waveform.map((v) => v * level), samples, offset) });
  }
  if (clips.length === 1) return clips[0];
  const mix = sum(...clips.map((c) => c.waveform));
  let peak = 0;
  for (const v of mix) peak = Math.max(peak, Math.abs(v));
  const scaled = peak > 0.99 ? mix.map((v) => (v * 0.99) / peak) : mix;
  return { kind: clips.map((c) => c.kind).join('+'), description: clips.map((c) => c.description).join(' | '), waveform: scaled };
}

/** `count` clips of 1.5–4 s from `seed`, made `concurrency` at a time (child processes), in index order. */
export async function synthesiseSet(seed: number, count: number, options: { concurrency?: number; minSec?: number; maxSec?: number; onClip?: (done: number) => void } = {}): Promise<Clip[]> {
  const { concurrency = 2, minSec = 1.5, maxSec = 4 } = options;
  const clips: Clip[] = new Array(count);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const duration = new Random(seed * 7919 + i).uniform(minSec, maxSec);
      clips[i] = await synthesiseClip(seed, i, duration);
      options.onClip?.(++done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return clips;
}

/**
 * The generator's version, part of every cache file's name (.cache/student-data/), so that a changed generator never
 * reuses clips or teacher labels made by an earlier one. 2: a third of the steady tones at reference frequencies.
 */
export const SYNTH_VERSION = 2;

/** Seeds of the two sets: training and held-out never share a clip. */
export const TRAIN_SEED = 20_261_201;
export const HELD_OUT_SEED = 777_001;
/** The seed of a small independent set (200 clips) the model card also reports. */
export const TEST_SEED = 424_242;
/** The seed of the large independent set (1 000 clips) the model card and the agreement test measure on. */
export const EVAL_SEED = 31_337;
