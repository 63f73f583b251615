// Decodes an operator's `builtin_options` union into a typed record.
import type { FlatTable } from './flatTable.js';
import type { TfliteActivation, TfliteBuiltinOptions, TflitePadding } from './records.js';
import { ACTIVATION_NAMES, BUILTIN_OPTIONS, FIELD, PADDING_NAMES } from './schema.js';

/** The options record for union type `unionType` stored in `table`. */
export function readBuiltinOptions(unionType: number, table: FlatTable): TfliteBuiltinOptions {
  switch (unionType) {
    case BUILTIN_OPTIONS.Conv2DOptions: {
      const f = FIELD.Conv2DOptions;
      return {
        kind: 'Conv2DOptions',
        padding: padding(table.int8(f.padding)),
        strideW: table.int32(f.strideW),
        strideH: table.int32(f.strideH),
        activation: activation(table.int8(f.fusedActivation)),
        dilationW: table.int32(f.dilationW, 1),
        dilationH: table.int32(f.dilationH, 1),
      };
    }
    case BUILTIN_OPTIONS.DepthwiseConv2DOptions: {
      const f = FIELD.DepthwiseConv2DOptions;
      return {
        kind: 'DepthwiseConv2DOptions',
        padding: padding(table.int8(f.padding)),
        strideW: table.int32(f.strideW),
        strideH: table.int32(f.strideH),
        depthMultiplier: table.int32(f.depthMultiplier),
        activation: activation(table.int8(f.fusedActivation)),
        dilationW: table.int32(f.dilationW, 1),
        dilationH: table.int32(f.dilationH, 1),
      };
    }
    case BUILTIN_OPTIONS.FullyConnectedOptions: {
      const f = FIELD.FullyConnectedOptions;
      return {
        kind: 'FullyConnectedOptions',
        activation: activation(table.int8(f.fusedActivation)),
        weightsFormat: table.int8(f.weightsFormat),
        keepNumDims: table.bool(f.keepNumDims),
      };
    }
    case BUILTIN_OPTIONS.ReshapeOptions:
      return { kind: 'ReshapeOptions', newShape: table.int32s(FIELD.ReshapeOptions.newShape) };
    case BUILTIN_OPTIONS.ReducerOptions:
      return { kind: 'ReducerOptions', keepDims: table.bool(FIELD.ReducerOptions.keepDims) };
    case BUILTIN_OPTIONS.SplitOptions:
      return { kind: 'SplitOptions', numSplits: table.int32(FIELD.SplitOptions.numSplits) };
    default:
      return { kind: 'other', unionType };
  }
}

function padding(value: number): TflitePadding {
  const name = PADDING_NAMES[value];
  if (name === undefined) throw new RangeError(`unknown padding ${value}`);
  return name;
}

function activation(value: number): TfliteActivation {
  const name = ACTIVATION_NAMES[value];
  if (name === undefined) throw new RangeError(`unknown fused activation ${value}`);
  return name;
}
