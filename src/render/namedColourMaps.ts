// Colour maps by their matplotlib names, each defined by its published control points and interpolated linearly.
import type { Rgb } from './canvas.js';

type Stops = readonly string[] | readonly (readonly [number, number, number])[];

/** ColorBrewer's 11-class diverging schemes (colorbrewer2.org), low end first, as matplotlib builds them. */
const RD_BU = ['#67001f', '#b2182b', '#d6604d', '#f4a582', '#fddbc7', '#f7f7f7', '#d1e5f0', '#92c5de', '#4393c3', '#2166ac', '#053061'];
const PI_YG = ['#8e0152', '#c51b7d', '#de77ae', '#f1b6da', '#fde0ef', '#f7f7f7', '#e6f5d0', '#b8e186', '#7fbc41', '#4d9221', '#276419'];
const BR_BG = ['#543005', '#8c510a', '#bf812d', '#dfc27d', '#f6e8c3', '#f5f5f5', '#c7eae5', '#80cdc1', '#35978f', '#01665e', '#003c30'];

/** Moreland's 33-stop cool-warm table ("Diverging Color Maps for Scientific Visualization", 2009), matplotlib's coolwarm. */
const COOL_WARM: readonly (readonly [number, number, number])[] = [
  [0.2298057, 0.298717966, 0.753683153], [0.26623388, 0.353094838, 0.801466763], [0.30386891, 0.406535296, 0.84495867],
  [0.342804478, 0.458757618, 0.883725899], [0.38301334, 0.50941904, 0.917387822], [0.424369608, 0.558148092, 0.945619588],
  [0.46666708, 0.604562568, 0.968154911], [0.509635204, 0.648280772, 0.98478814], [0.552953156, 0.688929332, 0.995375608],
  [0.596262162, 0.726149107, 0.999836203], [0.639176211, 0.759599947, 0.998151185], [0.681291281, 0.788964712, 0.990363227],
  [0.722193294, 0.813952739, 0.976574709], [0.761464949, 0.834302879, 0.956945269], [0.798691636, 0.849786142, 0.931688648],
  [0.833466556, 0.860207984, 0.901068838], [0.865395197, 0.86541021, 0.865395561], [0.897787179, 0.848937047, 0.820880546],
  [0.924127593, 0.827384882, 0.774508472], [0.944468518, 0.800927443, 0.726736146], [0.958852946, 0.769767752, 0.678007945],
  [0.96732803, 0.734132809, 0.628751763], [0.969954137, 0.694266682, 0.579375448], [0.966811177, 0.650421156, 0.530263762],
  [0.958003065, 0.602842431, 0.481775914], [0.943660866, 0.551750968, 0.434243684], [0.923944917, 0.49730856, 0.387970225],
  [0.89904617, 0.439559467, 0.343229596], [0.869186849, 0.378313092, 0.300267182], [0.834620542, 0.312874446, 0.259301199],
  [0.795631745, 0.24128379, 0.220525627], [0.752534934, 0.157246067, 0.184115123], [0.705673158, 0.01555616, 0.150232812],
];

/** Diverging maps for signed attribution: the low end colours negative values, the high end positive ones. */
export const DIVERGING_MAPS = {
  RdBu_r: [...RD_BU].reverse(),
  RdBu: RD_BU,
  coolwarm: COOL_WARM,
  PiYG: PI_YG,
  BrBG: BR_BG,
} as const satisfies Record<string, Stops>;

/** Sequential maps for the spectrogram: matplotlib's perceptual maps sampled at 9 even points (viridisLite's values), and grey ramps. */
export const SEQUENTIAL_MAPS = {
  magma: ['#000004', '#1d1147', '#51127c', '#832681', '#b73779', '#e75263', '#fc8961', '#fec488', '#fcfdbf'],
  viridis: ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'],
  cividis: ['#00224e', '#1a386f', '#434e6c', '#61656f', '#7d7c78', '#9b9476', '#bcae6c', '#dec958', '#fee838'],
  gray: ['#000000', '#ffffff'],
  gray_r: ['#ffffff', '#000000'],
} as const satisfies Record<string, Stops>;

export type DivergingMapName = keyof typeof DIVERGING_MAPS;
export type SequentialMapName = keyof typeof SEQUENTIAL_MAPS;

function toRgb(stop: string | readonly [number, number, number]): Rgb {
  if (typeof stop !== 'string') return [stop[0] * 255, stop[1] * 255, stop[2] * 255];
  return [1, 3, 5].map((i) => parseInt(stop.slice(i, i + 2), 16)) as unknown as Rgb;
}

/** A colour map t ∈ [0, 1] (clamped; NaN as 0) → colour, for a map of either kind. */
export function colourMap(name: DivergingMapName | SequentialMapName): (t: number) => Rgb {
  const stops: Stops = name in DIVERGING_MAPS ? DIVERGING_MAPS[name as DivergingMapName] : SEQUENTIAL_MAPS[name as SequentialMapName];
  const points = stops.map(toRgb);
  return (t) => {
    const u = Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)) * (points.length - 1);
    const i = Math.min(points.length - 2, Math.floor(u));
    const f = u - i;
    const [a, b] = [points[i], points[i + 1]];
    return [0, 1, 2].map((c) => Math.round(a[c] + f * (b[c] - a[c]))) as unknown as Rgb;
  };
}
