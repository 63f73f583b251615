// Formats a ClipClassification as the readable table `blurig classify` prints.
import type { ClassScore, ClipClassification } from '../types.js';
import { engineWords } from './openModel.js';

const formatScore = (score: number): string => score.toFixed(3);
const formatClasses = (top: readonly ClassScore[]): string => top.map((c) => `${c.name} ${formatScore(c.score)}`).join(' · ');

/** The table: a header line, the clip's top classes ranked, then one line per patch with its start time. */
export function formatClassification(result: ClipClassification, input: string): string {
  const lines = [`${input} · ${result.model} · ${engineWords(result)} · ${result.patches.length} patches of 0.96 s`, ''];
  lines.push(`Clip (mean score over ${result.patches.length} patches):`);
  const nameWidth = Math.max(...result.clip.top.map((c) => c.name.length), 5);
  result.clip.top.forEach((c, rank) => lines.push(`  ${String(rank + 1).padStart(2)}. ${c.name.padEnd(nameWidth)}  ${formatScore(c.score)}`));
  lines.push('', 'Patches (start, top classes):');
  for (const patch of result.patches) lines.push(`  ${patch.startSec.toFixed(2).padStart(7)} s  ${formatClasses(patch.top)}`);
  return lines.join('\n') + '\n';
}
