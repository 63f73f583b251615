// The parts of a TFLite model that blurig-audio reads, as plain typed records.

/** Per-channel (or per-tensor) affine quantisation: real = scale · (q − zeroPoint). */
export interface TfliteQuantization {
  readonly scale: readonly number[];
  readonly zeroPoint: readonly number[];
  /** The axis the scales run along when there is more than one. */
  readonly quantizedDimension: number;
}

export interface TfliteTensor {
  /** Position in the subgraph's tensor list. */
  readonly index: number;
  readonly name: string;
  readonly shape: readonly number[];
  /** `TensorType` value; see {@link TfliteTensor.typeName}. */
  readonly type: number;
  /** Schema name of the type, e.g. `INT8`. */
  readonly typeName: string;
  /** Index into {@link TfliteModel.buffers}; 0 (the empty sentinel) for activations. */
  readonly buffer: number;
  readonly quantization?: TfliteQuantization;
}

export type TflitePadding = 'SAME' | 'VALID';
export type TfliteActivation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';

/** The builtin options tables we decode; anything else is kept as its union type number. */
export type TfliteBuiltinOptions =
  | {
      readonly kind: 'Conv2DOptions';
      readonly padding: TflitePadding;
      readonly strideH: number;
      readonly strideW: number;
      readonly dilationH: number;
      readonly dilationW: number;
      readonly activation: TfliteActivation;
    }
  | {
      readonly kind: 'DepthwiseConv2DOptions';
      readonly padding: TflitePadding;
      readonly strideH: number;
      readonly strideW: number;
      readonly depthMultiplier: number;
      readonly dilationH: number;
      readonly dilationW: number;
      readonly activation: TfliteActivation;
    }
  | {
      readonly kind: 'FullyConnectedOptions';
      readonly activation: TfliteActivation;
      readonly weightsFormat: number;
      readonly keepNumDims: boolean;
    }
  | { readonly kind: 'ReshapeOptions'; readonly newShape: readonly number[] }
  | { readonly kind: 'ReducerOptions'; readonly keepDims: boolean }
  | { readonly kind: 'SplitOptions'; readonly numSplits: number }
  | { readonly kind: 'other'; readonly unionType: number };

export interface TfliteOperatorCode {
  /** max(builtin_code, deprecated_builtin_code), as the schema's compatibility note prescribes. */
  readonly builtinCode: number;
  /** Schema name, e.g. `CONV_2D`. */
  readonly name: string;
  readonly customCode?: string;
  readonly version: number;
}

export interface TfliteOperator {
  /** Position in the subgraph's execution order. */
  readonly index: number;
  readonly opcodeIndex: number;
  /** Tensor indices; −1 marks an omitted optional input. */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly options?: TfliteBuiltinOptions;
}

export interface TfliteSubgraph {
  readonly name: string;
  readonly tensors: readonly TfliteTensor[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** In execution order. */
  readonly operators: readonly TfliteOperator[];
}

export interface TfliteModel {
  /** Schema version (3 for every current file). */
  readonly version: number;
  readonly description: string;
  readonly operatorCodes: readonly TfliteOperatorCode[];
  readonly subgraphs: readonly TfliteSubgraph[];
  /** Raw constant data, views into the file; index 0 is the empty sentinel. */
  readonly buffers: readonly Uint8Array[];
}
