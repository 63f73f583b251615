// The TFLite reader's public surface: parse a file into typed records.
export { readTflite, readTfliteFile } from './reader.js';
export { builtinOperatorName, BuiltinOperator } from './builtinOperators.js';
export { TensorType, TENSOR_TYPE_NAMES } from './schema.js';
export type * from './records.js';
