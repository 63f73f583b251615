// Field numbers and enum values of the TFLite flatbuffer schema (tensorflow/lite/schema/schema.fbs), in one place.

/**
 * Field ids of the tables we read, as declared in schema.fbs (a union takes two ids: its `_type` byte, then
 * the value). The vtable slot of field id n is 4 + 2n.
 */
export const FIELD = {
  Model: { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4 },
  OperatorCode: { deprecatedBuiltinCode: 0, customCode: 1, version: 2, builtinCode: 3 },
  SubGraph: { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 },
  Tensor: { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, isVariable: 5, sparsity: 6 },
  QuantizationParameters: { min: 0, max: 1, scale: 2, zeroPoint: 3, detailsType: 4, details: 5, quantizedDimension: 6 },
  Operator: { opcodeIndex: 0, inputs: 1, outputs: 2, builtinOptionsType: 3, builtinOptions: 4 },
  Buffer: { data: 0, offset: 1, size: 2 },
  Conv2DOptions: { padding: 0, strideW: 1, strideH: 2, fusedActivation: 3, dilationW: 4, dilationH: 5 },
  DepthwiseConv2DOptions: {
    padding: 0, strideW: 1, strideH: 2, depthMultiplier: 3, fusedActivation: 4, dilationW: 5, dilationH: 6,
  },
  FullyConnectedOptions: { fusedActivation: 0, weightsFormat: 1, keepNumDims: 2 },
  ReshapeOptions: { newShape: 0 },
  ReducerOptions: { keepDims: 0 },
  SplitOptions: { numSplits: 0 },
} as const;

/** Position of each options table in the `BuiltinOptions` union (0 is NONE). */
export const BUILTIN_OPTIONS = {
  Conv2DOptions: 1,
  DepthwiseConv2DOptions: 2,
  FullyConnectedOptions: 8,
  ReshapeOptions: 17,
  ReducerOptions: 27,
  SplitOptions: 35,
} as const;

/** `TensorType` enum, indexed by value. */
export const TENSOR_TYPE_NAMES = [
  'FLOAT32', 'FLOAT16', 'INT32', 'UINT8', 'INT64', 'STRING', 'BOOL', 'INT16', 'COMPLEX64', 'INT8',
  'FLOAT64', 'COMPLEX128', 'UINT64', 'RESOURCE', 'VARIANT', 'UINT32', 'UINT16', 'INT4', 'BFLOAT16',
] as const;

export const TensorType = { FLOAT32: 0, INT32: 2, UINT8: 3, INT64: 4, INT16: 7, INT8: 9 } as const;

/** `Padding` enum. */
export const PADDING_NAMES = ['SAME', 'VALID'] as const;

/** `ActivationFunctionType` enum, indexed by value. */
export const ACTIVATION_NAMES = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'] as const;

/** Below this value the real op code may sit in `deprecated_builtin_code` (schema 3a compatibility). */
export const PLACEHOLDER_FOR_GREATER_OP_CODES = 127;

/** The flatbuffer `file_identifier` of every TFLite model. */
export const TFLITE_FILE_IDENTIFIER = 'TFL3';
