// Writes models/student/MODEL_CARD.md from the training record and the evaluation.
import { framesPerLayer, receptiveFrames, type StudentManifest } from '../../src/model/student/index.js';
import type { Agreement, AgreementReport, SampleEventResult } from './evaluate.js';
import { KINDS, VOICE_SUMMARY } from './synth.js';

const pct = (a: Agreement, key: 'top1' | 'top3'): string => (a.n === 0 ? '—' : `${((100 * a[key]) / a.n).toFixed(1)} %`);

export function modelCard(input: {
  manifest: StudentManifest;
  record: { date: string; data: Record<string, unknown>; options: Record<string, unknown>; seconds: Record<string, number>; machine: Record<string, unknown>; epochLoss: number[]; teacher: { sha256: string } };
  heldOut: AgreementReport;
  trainFit: AgreementReport;
  /** Independent sets synthesised from other seeds, drawn as the held-out set is. */
  fresh: readonly (AgreementReport & { seed: number; clips: number })[];
  samples: readonly SampleEventResult[];
  teacherSamples: readonly SampleEventResult[];
  known: readonly [string, { all: number; clear: number }][];
}): string {
  const { manifest, record, heldOut, trainFit, fresh, samples, teacherSamples, known } = input;
  const a = manifest.architecture;
  const top = framesPerLayer(a)[a.layers.length];
  const params = manifest.tensors.reduce((n, t) => n + t.shape.reduce((x, y) => x * y, 1), 0);
  const d = record.data as { trainClips: number; heldOutClips: number; trainPatches: number; heldOutPatches: number; trainSeed: number; heldOutSeed: number; soundKinds: Record<string, number> };
  const o = record.options as { epochs: number; batchSize: number; learningRate: number; topWeight: number; seed: number };
  const m = record.machine as { cpu: string; cores: number; memoryGiB: number; node: string };
  const row = (name: string, g: Agreement): string => `| ${name} | ${g.n} | ${pct(g, 'top1')} | ${pct(g, 'top3')} |`;
  const lines = [
    '# blurig student (distilled from YAMNet): model card',
    '',
    `A small network that imitates **YAMNet (int8 TFLite build)** on synthetic audio, so that blurig can classify and`,
    'explain (with input gradients) on a machine that has no YAMNet. It is *not* YAMNet: outside the synthetic sounds',
    'below it is unreliable. Load it with `loadStudent()` (src/model/student); it is a `ClassifierModel` with YAMNet\'s',
    'input (a 96 × 64 log-mel patch), its 521 class names and its `target()` semantics.',
    '',
    '## How it was made',
    '',
    `- Made by \`npm run train:student\` (scripts/train-student.ts) on ${record.date.slice(0, 10)}; every step is seeded (data seed ${d.trainSeed}, held-out seed ${d.heldOutSeed}, initialisation and batch order seed ${o.seed}).`,
    `- **Data**: ${d.trainClips} training clips and ${d.heldOutClips} held-out clips of 1.5–4 s, synthesised on this machine: espeak-ng voices (${VOICE_SUMMARY}; speeds 110–210 words per minute, pitches 15–85), sirens (wail, yelp, hi-lo; sawtooth, square, triangle, sine), beeps and alarms (smoke alarm, alarm clock, reversing beeper), telephone tones (US and EU dial, busy, ringback, DTMF), steady sox synth tones (sine, square, triangle, sawtooth, trapezium, exp; 100 Hz–5 kHz, a third of them at a reference frequency: 440 Hz, 1 kHz or one a telephone signal uses; some with tremolo), sox synth instruments (pluck and other voices; melodies and chords, some with reverb), white/pink/brown noise (some filtered by sox), vehicle-like sound (low-passed brown noise plus a drifting engine hum), silence and near-silence, and 30 % mixtures of two or three of these at levels within −18…+6 dB. Kinds (counting each part of a mixture): ${Object.entries(d.soundKinds).map(([k, n]) => `${k} ${n}`).join(', ')}. Kind weights: ${KINDS.map((k) => `${k.kind} ${k.weight}`).join(', ')}.`,
    `- **Patches**: YAMNet's front-end (DESIGN.md §1); training patches start every 0.16 s (${d.trainPatches} patches), held-out patches every 0.48 s as YAMNet sees a file (${d.heldOutPatches} patches).`,
    `- **Labels**: every patch scored by the teacher, YAMNet (int8 TFLite build), \`yamnet_spectra_in.tflite\` (sha256 ${record.teacher.sha256.slice(0, 16)}…), run by onnxruntime. The teacher's weights are read at training time and are not in this repository.`,
    `- **Architecture** (\`${a.kind}\`, a time-delay network): input normalised per mel band by fixed constants (the training set's mean and deviation, in student.json); then ${a.layers.map((l, i) => `dense ${l.width} + ReLU over ${l.contextFrames === 1 ? 'each frame' : `${l.contextFrames} frames ${l.dilationFrames === 1 ? 'in a row' : `${l.dilationFrames} apart`}`} of ${i === 0 ? 'the log-mel patch' : 'the layer below'}${(l.poolFrames ?? 1) > 1 ? `, averaged over each ${l.poolFrames} frames` : ''}`).join(', ')}, the same weights at every frame, so each of the ${top} top frames sees ${receptiveFrames(a)} input frames; mean and max over time (${2 * a.layers[a.layers.length - 1].width} values); dense → ${a.classes} logits. ${params.toLocaleString('en')} parameters, ${manifest.dtype}, ${manifest.bytes.toLocaleString('en')} bytes.`,
    `- **Training**: distillation, sigmoid cross-entropy against the teacher's scores over all 521 classes, each patch's teacher top-3 classes weighted ${1 + o.topWeight}×; Adam, peak step ${o.learningRate}, warm-up then cosine decay, batch ${o.batchSize}, ${o.epochs} epochs; the step (forward, loss and hand-written backward pass, checked against finite differences in test/model/studentTraining.test.ts) runs as an onnxruntime graph. Loss per epoch: ${record.epochLoss.join(', ')}.`,
    `- **Time**: synthesis and front-end ${record.seconds.synthesis} s (less on a rerun, which reads the audio cached in .cache/student-data/), teacher labels ${record.seconds.teacherLabels} s, training ${record.seconds.training} s, total ${record.seconds.total} s, on ${m.cpu} (${m.cores} cores, shared with other work; ${m.memoryGiB} GiB), Node ${m.node}.`,
    '',
    '## Agreement with YAMNet',
    '',
    `Top-1: the student's top class is the teacher's. Top-3: the teacher's top class is among the student's top three. "Clear event": patches whose teacher top score is ≥ 0.5.`,
    '',
    '| held-out set | patches | top-1 | top-3 |',
    '|---|---|---|---|',
    row('all patches', heldOut.overall),
    row('clear events', heldOut.clearEvent),
    row('(training set, first 4000 patches, for comparison: clear events)', trainFit.clearEvent),
    '',
    'On independent sets synthesised from other seeds (clips drawn as the held-out ones are; clear-event patches). The',
    'seeds\' mixes of sounds differ, and so do their figures: the larger set is the steadier estimate.',
    '',
    '| set | patches | top-1 | top-3 |',
    '|---|---|---|---|',
    ...fresh.map((f) => row(`seed ${f.seed}, ${f.clips} clips${f.clips === 1000 ? ' (the agreement test\'s)' : ''}`, f.clearEvent)),
    '',
    `Per class on the ${fresh.at(-1)?.clips ?? 0}-clip set (clear-event patches, by the teacher's top class; the 25 most frequent):`,
    '',
    '| teacher top class | patches | top-1 | top-3 |',
    '|---|---|---|---|',
    ...(fresh.at(-1)?.perClass ?? []).slice(0, 25).map((c) => row(c.name, c)),
    '',
    'Per class (held-out clear-event patches, by the teacher\'s top class):',
    '',
    '| teacher top class | patches | top-1 | top-3 |',
    '|---|---|---|---|',
    ...heldOut.perClass.map((c) => row(c.name, c)),
    '',
    '## The samples',
    '',
    'samples/*.wav, patches lying wholly inside each recorded event span (samples/samples.json):',
    '',
    '| file | event | patches | student top-1 | student top-3 | student\'s usual top-1 | YAMNet top-1 |',
    '|---|---|---|---|---|---|---|',
    ...samples.map((s, i) => `| ${s.file} | ${s.className} ${s.startSec}–${s.endSec} s | ${s.patches} | ${s.top1} | ${s.top3} | ${s.usualTop} | ${teacherSamples[i]?.top1 ?? '—'} of ${teacherSamples[i]?.patches ?? '—'} |`),
    '',
    '## The classes it knows',
    '',
    'The teacher\'s top-1 classes over the training patches (all patches / clear-event patches). The student has seen',
    'these; it has learnt little or nothing about the other classes, whose logits it still outputs.',
    '',
    '| class | patches | clear |',
    '|---|---|---|',
    ...known.map(([name, n]) => `| ${name} | ${n.all} | ${n.clear} |`),
    '',
    '## What it does not know',
    '',
    '- Everything outside the synthetic domain: real-world recordings (microphones, rooms, real voices, real sirens,',
    '  traffic, animals, music played on instruments) are unlike its training audio; expect its top class to be wrong',
    '  there far more often than the figures above say.',
    `- Most of the 521 classes: only the ${known.length} classes above were ever the teacher's top class in training;`,
    '  for the others the student\'s scores are not meaningful.',
    '- Its explanations explain the *student*, a much simpler function than YAMNet (per-frame features pooled over',
    '  time: it knows what a patch contains, hardly in which order). Use YAMNet when you have it.',
    '',
  ];
  return lines.join('\n');
}
