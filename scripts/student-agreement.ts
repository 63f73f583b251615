// Agreement of a student with YAMNet on a large fresh synthetic set: npx tsx scripts/student-agreement.ts [seed] [clips] [student.json].
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { selectBackend } from '../src/engine/backend.js';
import { createYamnet } from '../src/model/createYamnet.js';
import { loadStudent } from '../src/model/student/index.js';
import { cachedClips, cachedTeacherLogits, logitsOfSet, patchesOfClips, setKey } from './student/dataset.js';
import { agreement } from './student/evaluate.js';
// Prints clear-event top-1/top-3 overall and per teacher class; the clips and teacher logits are cached in .cache/student-data/.
const seed = Number(process.argv[2] ?? 31337);
const count = Number(process.argv[3] ?? 1000);
const studentJson = process.argv[4];
const cache = join(process.cwd(), '.cache', 'student-data');
const set = patchesOfClips(await cachedClips(cache, 'eval', seed, count, console.log), 48);
const teacherPath = process.env.BLURIG_MODEL || join(process.cwd(), '..', 'shared', 'models', 'yamnet', 'yamnet_spectra_in.tflite');
const teacher = await createYamnet({ modelPath: teacherPath, engine: 'onnx', threads: 2, download: false });
// The same cache key as train-student.ts's independent sets: set, stride and the teacher file's digest.
const teacherSha = createHash('sha256').update(await readFile(teacherPath)).digest('hex');
const t = await cachedTeacherLogits(cache, `${setKey('eval', seed, count)}-s48-${teacherSha.slice(0, 12)}`, () => logitsOfSet(teacher, set));
teacher.dispose();
await selectBackend('wasm');
const student = await loadStudent(studentJson);
const s = await logitsOfSet(student, set);
const r = agreement(t, s, set.count, student.classNames);
console.log(JSON.stringify({ seed, count, overall: r.overall, clear: r.clearEvent, top1: (r.clearEvent.top1 / r.clearEvent.n).toFixed(3), top3: (r.clearEvent.top3 / r.clearEvent.n).toFixed(3) }));
for (const c of r.perClass.slice(0, 25)) console.log(`${c.name}\t${c.n}\t${c.top1}\t${c.top3}`);
