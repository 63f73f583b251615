// The public API of blurig-audio: records, options, errors, stages and pipelines.
// tfjs-core ships no backend and no gradients: register the JavaScript backend and the gradients, as the umbrella tfjs did.
import './tfjsKernels.js';
export * from './types.js';
export * from './errors/index.js';

export { logMelSpectrogram, logMelPatches, patchesOfSpectrogram } from './audio/logMel.js';
export { paddedSampleCount, padWaveform, frameCount, patchCount, frameTimeSec } from './audio/framing.js';
export { melWeightMatrix, hertzToMel, melToHertz } from './audio/melFilterbank.js';

export { decodeAudio, checkDecodeInput, type DecodeInput } from './operators/decodeAudio.js';
export type { DecodeSource } from './ffmpeg/decodeArgs.js';
export { logMelFrames } from './operators/logMelFrames.js';
export { patches } from './operators/patches.js';
export { flowGate, type FlowGate } from './operators/flowGate.js';
export { classifyPatches } from './operators/classifyPatches.js';

export { selectBackend, activeBackend, type BackendName } from './engine/backend.js';
export { createYamnet, parseEngineName, type CreateYamnetOptions } from './model/createYamnet.js';
export { loadOnnxYamnet, OnnxYamnet, OnnxUnavailableError, type LoadOnnxYamnetOptions } from './engine/onnx/onnxYamnet.js';
export { loadYamnet, YamnetModel } from './model/yamnet.js';
export { resolveModel, modelInfo } from './model/resolveModel.js';
export { downloadModel } from './model/downloadModel.js';
export { topClasses, meanScores, summarizeClassification } from './model/topClasses.js';

export { classifyFile } from '../pipelines/classifyFile.js';

export { blurIG, BLUR_IG_DEFAULTS } from './attribution/blurIG.js';
export { integratedGradients } from './attribution/integratedGradients.js';
export { vanillaGradient } from './attribution/gradient.js';
export { gradientTimesInput } from './attribution/gradientTimesInput.js';
export { smoothGrad } from './attribution/smoothGrad.js';
export { guidedIG } from './attribution/guidedIG.js';
export { idgi } from './attribution/idgi.js';
export { occlusion, occlusionGeometry, boxStarts, OCCLUSION_BOX_DEFAULT, type OcclusionGeometry } from './attribution/occlusion.js';
export { expectedGradients, expectedGradientsDraws, type ExpectedGradientsDraws } from './attribution/expectedGradients.js';
export { randomAttribution, randomUniforms } from './attribution/randomAttribution.js';
export { gradCam } from './attribution/gradCam.js';
export { baselineValues } from './attribution/baselines.js';
export { blurPatch, axisBasis, blurMatrix, blurDerivativeMatrix } from './attribution/scaleSpace.js';
export { gaussianBlur } from './attribution/pair/gaussianBlur.js';
export { classTarget, classIndices } from './model/classTarget.js';

export { attributePatches } from './operators/attributePatches.js';
export { attributePatchesLive } from './operators/attributePatchesLive.js';
export { mapInOrder } from './operators/mapInOrder.js';
export { AttributionPool, type AttributionPoolOptions, type PoolAttributor } from './engine/workerPool/attributionPool.js';
export { scorePatches } from './operators/scorePatches.js';
export { chooseClasses, classChoiceLookahead, type ClassChoice } from './operators/chooseClasses.js';
export { withDetections, detectionOf } from './operators/withDetections.js';
export { EventDetector, detectSpans, type DetectorDecision } from './detect/eventDetector.js';
export { DETECTOR_DEFAULTS, checkDetectorOptions } from './detect/detectorOptions.js';
export { evidenceExtent, positiveFrameMass } from './detect/evidenceExtent.js';
export { listenToAttribution, type ListenOptions, type ListenResult } from './listen/listenToAttribution.js';
export { stft, istft, applyMask, type Spectrogram } from './listen/stft.js';
export { melToLinearMask, type MelMaskOptions } from './listen/melMask.js';
export { encodeWav, decodeWav } from './listen/wav.js';
export { localise, localisePatch, type Localisation, type TimeSpan } from './evaluate/localisation.js';
export { deletionInsertion, classScore, rankCells, MIN_SCORE_AT_INPUT, type CurvePair, type DeletionInsertionOptions, type PatchScore, type PatchCells } from './evaluate/deletionInsertion.js';
export { references, REFERENCE_NAMES, type References } from './evaluate/references.js';
export { spearman, fractionalRanks, randomisationCorrelation } from './evaluate/rankCorrelation.js';
export { evidenceIou, intervalIou, clipEvidence, detectionEvidence, type IntervalOverlap } from './evaluate/evidenceIou.js';
export { readSpans, parseSpans, spansFor, type SpansByFile } from './evaluate/spans.js';
export { EVALUATED_METHODS, DEFAULT_METHOD_NAME, chooseMethods } from './evaluate/methods.js';
export { type MethodReport, type MeanCurves } from './evaluate/summary.js';
export { evaluatePatches, evaluationSettings, type PatchEvaluation } from './operators/evaluatePatches.js';
export { summariseEvaluation, type EvaluationSummary } from './operators/summariseEvaluation.js';
export { type EvaluationReport } from './render/evaluationJson.js';
export { evaluateFile } from '../pipelines/evaluateFile.js';
export { mergeFrames } from './operators/mergeFrames.js';
export { withFrames } from './operators/withFrames.js';
export { patchEvents } from './operators/patchEvents.js';
export { heatmapFigure, renderHeatmap, type HeatmapInput, type HeatmapOptions } from './render/heatmap.js';
export { figurePng } from './render/figure/rasterBackend.js';
export { figureSvg } from './render/figure/svgBackend.js';
export { figurePdf } from './render/figure/pdfBackend.js';
export { type Figure, type FigureItem } from './render/figure/displayList.js';
export { renderReportHtml } from './report/reportHtml.js';
export { type ReportInput } from './report/reportData.js';
export { browserScript } from './report/browserBundle.js';
export { readManifest } from './batch/manifest.js';
export { summariseCorpus, type CorpusSummary } from './batch/summary.js';
export { type ManifestRecord } from './batch/records.js';
export { encodeNpy, frameAttributionArray } from './render/npy.js';
export { explainReport, type ExplainReport, type ExplainHeader } from './render/explainJson.js';
export { eventLine, headerLine, type StreamHeader } from './render/ndjson.js';
export { explainFile } from '../pipelines/explainFile.js';
export { explainLive } from '../pipelines/explainLive.js';
