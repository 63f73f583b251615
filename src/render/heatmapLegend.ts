// The heatmap's footer: a key to the event, evidence, not-explained and score marks, and the time axis's name.
import { type AxisContext, INK } from './axes.js';
import { capHeightPt, textWidthPt } from './font/textLayout.js';
import { EVENT, EVIDENCE, MISSING, SCORE_LINE } from './panels.js';

/** The time label at the right of `box`, the key at its left, wrapping onto more lines as needed; returns the y below. */
export function legend(ctx: AxisContext, box: { x: number; y: number; width: number }, timeLabel: string): number {
  const f = ctx.fontPt;
  const cap = capHeightPt(f);
  const firstBaseline = box.y + cap;
  const labelWidth = textWidthPt(timeLabel, f);
  ctx.items.push({ kind: 'text', text: timeLabel, x: box.x + box.width, y: firstBaseline, align: 'right', sizePt: f, colour: INK });
  const keys = [
    { text: 'detected event', fill: EVENT },
    { text: 'evidence (90 % of its positive attribution)', fill: EVIDENCE },
    { text: 'not explained', fill: MISSING },
    { text: 'score (0\u20131)', line: SCORE_LINE },
  ] as const;
  let x = box.x;
  let baseline = firstBaseline;
  let room = box.width - labelWidth - f; // the first line shares its width with the time label
  for (const key of keys) {
    const width = f * 1.2 + f * 0.3 + textWidthPt(key.text, f);
    if (x + width > box.x + room && x > box.x) {
      [x, baseline, room] = [box.x, baseline + f * 1.25, box.width];
    }
    if ('fill' in key) ctx.items.push({ kind: 'rect', x, y: baseline - cap * 0.75, width: f * 1.2, height: cap * 0.6, fill: key.fill, stroke: key.fill === MISSING ? [180, 180, 180] : undefined, lineWidthPt: 0.3 });
    else ctx.items.push({ kind: 'polyline', points: [x, baseline - cap * 0.45, x + f * 1.2, baseline - cap * 0.45], stroke: key.line, lineWidthPt: 0.75 });
    ctx.items.push({ kind: 'text', text: key.text, x: x + f * 1.5, y: baseline, sizePt: f, colour: INK });
    x += width + f;
  }
  return baseline + f * 0.3;
}
