// The ONNX graph names every node after the TFLite op it comes from, so an onnxruntime error (which quotes node names) says which op of the file it met.
import { describe, expect, it } from 'vitest';
import { encodeOnnxModel } from '../../../src/engine/onnx/onnxProto.js';
import { yamnetOnnxGraph } from '../../../src/engine/onnx/yamnetOnnxGraph.js';
import { readTflite } from '../../../src/model/tflite/index.js';
import { miniYamnet } from '../../fault/miniYamnet.js';

const model = readTflite(miniYamnet(), 'm.tflite');

describe('ONNX node names', () => {
  it('carry the TFLite op and its index, forward and backward', () => {
    const graph = yamnetOnnxGraph(model, 'm.tflite', { gradient: true });
    const named = graph.nodes.filter((n) => n.name !== undefined);
    // Every node but the Identity renames of the graph outputs belongs to an op.
    expect(graph.nodes.filter((n) => n.name === undefined).map((n) => n.opType)).toEqual(['Identity', 'Identity']);
    const sources = new Set(named.map((n) => n.name!.split('/')[0]));
    expect([...sources].sort()).toEqual(['CONV_2D#3', 'CONV_2D#5', 'DEPTHWISE_CONV_2D#4', 'FULLY_CONNECTED#7', 'MEAN#6', 'RESHAPE#1']);
    // The input gradient of the first conv is a ConvTranspose (stride 2), named after that conv.
    expect(named.find((n) => n.opType === 'ConvTranspose')?.name).toMatch(/^CONV_2D#3\/convtranspose_\d+$/);
  });

  it('are written into the NodeProto (field 3), where onnxruntime reads them', () => {
    const bytes = encodeOnnxModel(yamnetOnnxGraph(model, 'm.tflite', { gradient: false }), 'test');
    const text = Buffer.from(bytes).toString('latin1');
    expect(text).toContain('CONV_2D#3/conv_');
    expect(text).toContain('FULLY_CONNECTED#7/gemm_');
  });
});
