// Runs one ffmpeg decode as a cold Observable of Float32Array chunks; unsubscribing kills the process.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { Observable } from 'rxjs';
import { DecodeError } from '../errors/index.js';
import { YAMNET_FRONT_END } from '../types.js';
import { checkInputFile } from './checkInputFile.js';
import { decodeArgs, formatCommand, trimsInput, type DecodeSource } from './decodeArgs.js';
import { decodeVerdict } from './decodeVerdict.js';
import { F32leChunker } from './f32leChunker.js';
import { ffmpegBinary } from './ffmpegPath.js';
import { StderrReport } from './stderrReport.js';

/**
 * Plain `spawn`, not fluent-ffmpeg: fluent-ffmpeg runs `ffmpeg -formats` and `-codecs` before every command, creates
 * the child only after those callbacks (so an early unsubscribe would race it), rebuilds its own argument list,
 * and reports a deliberate kill as an error. Here the arguments come from the pure decodeArgs, each stdout read
 * becomes one emission, and the finalizer owns the child.
 */
export function ffmpegDecode(source: DecodeSource, label: string, stdin?: Readable): Observable<Float32Array> {
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
      const args = decodeArgs(source);
      const command = formatCommand(binary, args);
      // `-` without a Readable means this process's own stdin: ffmpeg inherits it and reads it directly.
      const stdinMode = stdin ? 'pipe' : source.path === '-' ? 'inherit' : 'ignore';
      const child = spawn(binary, args, { stdio: [stdinMode, 'pipe', 'pipe'], windowsHide: true });
      const { stdout, stderr } = child;
      if (stdout === null || stderr === null) throw new Error('unreachable: ffmpeg spawned without stdout/stderr pipes');
      const chunker = new F32leChunker();
      const report = new StderrReport();
      let samples = 0;
      let settled = false;

      if (stdin && child.stdin) {
        // ffmpeg may exit before reading all of stdin (bad data, or killed); the resulting EPIPE is not our error.
        child.stdin.on('error', () => {});
        stdin.pipe(child.stdin);
      }
      stderr.setEncoding('utf8');
      stderr.on('data', (text: string) => report.push(text));
      stdout.on('data', (bytes: Buffer) => {
        const chunk = chunker.push(bytes);
        samples += chunk.length;
        if (chunk.length > 0) subscriber.next(chunk);
      });
      child.on('error', (cause) => {
        if (settled) return;
        settled = true;
        subscriber.error(new DecodeError(`ffmpeg could not decode "${label}": could not start ${binary} (${cause.message})`, { input: label, command }, { cause }));
      });
      // 'close' rather than 'exit': it comes after stdout and stderr are drained, so no sample or message is lost.
      child.on('close', (exitCode, signal) => {
        if (settled) return;
        settled = true;
        report.end();
        const error = decodeVerdict({
          input: label,
          ffmpegInput: source.path,
          command,
          exitCode,
          signal,
          samples,
          sampleRateHz: YAMNET_FRONT_END.sampleRateHz,
          lengthMayDiffer: trimsInput(source) || source.realtime === true,
          stderr: report.summary(),
        });
        if (error) subscriber.error(error);
        else subscriber.complete();
      });

      return () => {
        if (stdin && child.stdin) stdin.unpipe(child.stdin);
        if (child.exitCode !== null || child.signalCode !== null) return;
        settled = true;
        stdout.destroy();
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
