// Runs one ffmpeg decode through fluent-ffmpeg as a cold Observable of Float32Array chunks; unsubscribing kills the process.
import type { ChildProcess } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';
import ffmpeg, { type FfmpegCommand } from 'fluent-ffmpeg';
import { Observable, type Subscription } from 'rxjs';
import { firstBadSample } from '../audio/sampleBounds.js';
import { DecodeError } from '../errors/index.js';
import { YAMNET_FRONT_END } from '../types.js';
import { badSampleError } from './badSampleError.js';
import { checkInputFile } from './checkInputFile.js';
import { decodeArgs, formatCommand, trimsInput, type DecodeSource } from './decodeArgs.js';
import { decodeVerdict } from './decodeVerdict.js';
import { F32leChunker } from './f32leChunker.js';
import { ffmpegBinary } from './ffmpegPath.js';
import { splitDecodeArgs } from './splitDecodeArgs.js';
import { StderrReport } from './stderrReport.js';

/**
 * fluent-ffmpeg, because the product brief names it for decoding; we use it only to run ffmpeg. The arguments still
 * come from the pure decodeArgs, and with a stream output fluent-ffmpeg adds nothing but `pipe:1` (a stream input
 * becomes `-i pipe:0`); the reported command is the one spawned. The run is judged once the child's own 'close'
 * (exit code, signal; stderr drained) and the end of our stdout PassThrough have both come: fluent-ffmpeg's
 * 'end'/'error' may fire while piped samples are still in flight, and call a deliberate kill an error. Kill race: fluent-ffmpeg runs `ffmpeg -formats` and
 * `-encoders` (cached per process) before it spawns, so an unsubscribe can come first; the `cancelled` flag is
 * checked on 'start', where the fresh child is SIGKILLed.
 *
 * Pausing (`pauseWhile` says `true`) pauses our PassThrough, so fluent-ffmpeg's pipe() stops reading ffmpeg's
 * stdout, the OS pipe fills and ffmpeg blocks in write() until we resume: only the 64 KiB pipe and a few stream
 * buffers (~240 KiB in all) wait, however long the input. Nothing else waits on stdout: fluent-ffmpeg reads stderr with its own
 * listener, so it keeps draining; the child's 'close' and our stdout 'end' just come after the resume, and
 * finish() still needs both. An unsubscribe while paused SIGKILLs as ever, which no blocked write can delay.
 */
export function ffmpegDecode(source: DecodeSource, label: string, io: FfmpegDecodeIo = {}): Observable<Float32Array> {
  const { stdin, pauseWhile, onDurationSec } = io;
  return new Observable<Float32Array>((subscriber) => {
    let kill: (() => void) | undefined;
    let cancelled = false;
    checkInputFile(source).then(
      () => {
        if (cancelled) return;
        try {
          kill = start();
        } catch (error) {
          subscriber.error(error);
        }
      },
      (error: unknown) => subscriber.error(error),
    );

    function start(): () => void {
      const binary = ffmpegBinary().path;
      // `-` without a Readable means this process's own stdin.
      const input = stdin ?? (source.path === '-' ? process.stdin : undefined);
      const parts = splitDecodeArgs(decodeArgs(source));
      const ffmpegInput = input ? 'pipe:0' : parts.input;
      // What fluent-ffmpeg will run, until 'start' tells what it did run.
      let command = formatCommand(binary, [...parts.inputOptions, '-i', ffmpegInput, ...parts.outputOptions, 'pipe:1']);
      const fail = (reason: string, cause?: unknown): DecodeError =>
        new DecodeError(`ffmpeg could not decode "${label}": ${reason}`, { input: label, command }, cause === undefined ? {} : { cause });
      if (input && !input.readable) throw fail('the input stream has already ended or been destroyed');

      const stdout = new PassThrough();
      // Spread, so fluent-ffmpeg gets several arguments and does not split option values at spaces.
      const run: FfmpegCommand & { ffmpegProc?: ChildProcess } = ffmpeg()
        .setFfmpegPath(binary)
        .input(input ?? parts.input)
        .inputOptions(...parts.inputOptions)
        .outputOptions(...parts.outputOptions)
        .output(stdout);
      const chunker = new F32leChunker();
      const report = new StderrReport();
      let samples = 0;
      let settled = false;
      let child: ChildProcess | undefined;
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      let drained = false;

      stdout.on('data', (bytes: Buffer) => {
        if (settled) return;
        const chunk = chunker.push(bytes);
        // Every pipeline decodes here, so this is where NaN, ±Infinity or absurd levels stop, before any log-mel.
        const bad = firstBadSample(chunk);
        if (bad >= 0) {
          settled = true;
          const sampleRateHz = YAMNET_FRONT_END.sampleRateHz;
          subscriber.error(badSampleError({ input: label, value: chunk[bad], sampleIndex: samples + bad, sampleRateHz, command }));
          return;
        }
        samples += chunk.length;
        if (chunk.length > 0) subscriber.next(chunk);
      });
      stdout.on('end', () => {
        drained = true;
        finish();
      });
      // Flow control (see above): `true` pauses our stream, `false` lets it flow again.
      const pausing: Subscription | undefined = pauseWhile?.subscribe({
        next: (pause) => (pause ? stdout.pause() : stdout.resume()),
        error: (cause: unknown) => subscriber.error(cause),
      });
      let durationTold = onDurationSec === undefined;
      run.on('stderr', (line) => {
        report.push(`${line}\n`);
        // Told at the input's first stream line: its Duration line (and any "estimating" warning) came before it.
        if (!durationTold && /\bStream #\d+:\d+/.test(line)) {
          durationTold = true;
          const declared = report.summary().declaredDurationSec;
          if (declared !== undefined && declared > 0) onDurationSec?.(declared);
        }
      });
      run.on('start', () => {
        // fluent-ffmpeg sets ffmpegProc just before it emits 'start'; its own command string is not quoted.
        child = run.ffmpegProc;
        if (child === undefined) throw new Error('unreachable: fluent-ffmpeg emitted start without a process');
        command = formatCommand(child.spawnfile, child.spawnargs.slice(1));
        if (cancelled) {
          child.kill('SIGKILL');
          return;
        }
        // Without a stream input nothing ever writes to ffmpeg's stdin pipe: close it, so `pipe:` reads EOF, not forever.
        if (!input) child.stdin?.end();
        child.on('error', (cause) => {
          if (settled) return;
          settled = true;
          subscriber.error(fail(`could not start ${binary} (${cause.message})`, cause));
        });
        child.on('close', (code, signal) => {
          exit = { code, signal };
          finish();
        });
      });
      // fluent-ffmpeg throws an 'error' nobody listens to, so this listener stays for the command's whole life.
      run.on('error', (cause: Error & { inputStreamError?: Error }) => {
        if (settled || cancelled) return;
        if (child === undefined) {
          // Its `-formats`/`-encoders` checks failed, or rejected a format (e.g. an input `-f` this build lacks).
          settled = true;
          subscriber.error(fail(`fluent-ffmpeg did not start ${binary} (${cause.message})`, cause));
        } else if (cause.inputStreamError !== undefined) {
          // fluent-ffmpeg kills ffmpeg itself after a read error on the input stream.
          settled = true;
          subscriber.error(fail(`could not read the input stream (${cause.inputStreamError.message})`, cause.inputStreamError));
        }
        // Anything else ("ffmpeg exited with code N", "Output stream closed") is judged from the child's exit in finish().
      });
      run.run();

      function finish(): void {
        if (settled || exit === undefined || !drained) return;
        settled = true;
        report.end();
        const error = decodeVerdict({
          input: label,
          ffmpegInput,
          command,
          exitCode: exit.code,
          signal: exit.signal,
          samples,
          sampleRateHz: YAMNET_FRONT_END.sampleRateHz,
          lengthMayDiffer: trimsInput(source) || source.realtime === true || source.live === true,
          stderr: report.summary(),
        });
        if (error) subscriber.error(error);
        else subscriber.complete();
      }

      return () => {
        settled = true;
        pausing?.unsubscribe();
        stdout.destroy();
        if (child === undefined) return; // not spawned yet: the 'start' listener sees `cancelled` and kills it
        if (input && child.stdin) input.unpipe(child.stdin);
        if (child.exitCode !== null || child.signalCode !== null) return;
        // SIGKILL, not SIGTERM: a decoder writing to a pipe has nothing to flush, and SIGKILL cannot be ignored or delayed.
        child.kill('SIGKILL');
      };
    }

    return () => {
      cancelled = true;
      kill?.();
    };
  });
}

/** Where ffmpegDecode's input comes from and who may hold its output back. */
export interface FfmpegDecodeIo {
  /** Encoded input piped to ffmpeg's stdin (with `source.path` `-`). @default this process's stdin for `-`, else none */
  readonly stdin?: Readable;
  /** Stops reading ffmpeg's output while the latest value is `true`. @default never pauses */
  readonly pauseWhile?: Observable<boolean>;
  /** Told once the input's declared duration, in seconds, as soon as ffmpeg prints it (not for estimates). */
  readonly onDurationSec?: (durationSec: number) => void;
}
