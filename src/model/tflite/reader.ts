// Parses TFLite flatbuffer bytes into typed records, failing with ModelError on anything that is not a sound TFLite file.
import { readFile } from 'node:fs/promises';
import { ModelError } from '../../errors/index.js';
import { builtinOperatorName } from './builtinOperators.js';
import { FlatTable, FlatbufferRangeError } from './flatTable.js';
import { readBuiltinOptions } from './options.js';
import type { TfliteModel, TfliteOperator, TfliteOperatorCode, TfliteSubgraph, TfliteTensor } from './records.js';
import { FIELD, PLACEHOLDER_FOR_GREATER_OP_CODES, TENSOR_TYPE_NAMES, TFLITE_FILE_IDENTIFIER } from './schema.js';

const FIX = 'pass the YAMNet .tflite file, or fetch it with `blurig model pull`';

/** Reads and parses a .tflite file; `ModelError` if it cannot be read or is not TFLite. */
export async function readTfliteFile(path: string): Promise<TfliteModel> {
  let bytes: Uint8Array;
  try {
    const file = await readFile(path);
    // A plain Uint8Array view: Node Buffers have a `slice` that does not copy, which would surprise callers.
    bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ModelError(`Cannot read the model file ${path} (${code}): ${FIX}`, path, { cause: error });
  }
  return readTflite(bytes, path);
}

/** Parses TFLite bytes; `path` only names the source in error messages. */
export function readTflite(bytes: Uint8Array, path: string): TfliteModel {
  const notTflite = (why: string, cause?: unknown): ModelError =>
    new ModelError(`${path} is not a TFLite model (${why}): ${FIX}`, path, { cause });
  if (bytes.length < 8) throw notTflite(`only ${bytes.length} bytes`);
  const identifier = printable(bytes.subarray(4, 8));
  if (identifier !== TFLITE_FILE_IDENTIFIER) {
    throw notTflite(`file identifier "${identifier}", expected "${TFLITE_FILE_IDENTIFIER}"`);
  }
  try {
    return readModel(FlatTable.root(bytes), bytes);
  } catch (error) {
    const kind = error instanceof FlatbufferRangeError ? 'truncated or corrupt' : 'corrupt';
    throw notTflite(`${kind}: ${(error as Error).message}`, error);
  }
}

function readModel(root: FlatTable, bytes: Uint8Array): TfliteModel {
  const f = FIELD.Model;
  const version = root.uint32(f.version);
  if (version !== 3) throw new Error(`schema version ${version}, expected 3`);
  const buffers = root.tables(f.buffers).map((buffer) => readBuffer(buffer, bytes));
  const operatorCodes = root.tables(f.operatorCodes).map(readOperatorCode);
  const subgraphs = root.tables(f.subgraphs).map((table) => readSubgraph(table, buffers.length, operatorCodes.length));
  if (subgraphs.length === 0) throw new Error('no subgraphs');
  return { version, description: root.string(f.description) ?? '', operatorCodes, subgraphs, buffers };
}

function readBuffer(table: FlatTable, bytes: Uint8Array): Uint8Array {
  const f = FIELD.Buffer;
  const offset = table.uint64(f.offset);
  // Models over 2 GB keep data outside the flatbuffer; offset ≤ 1 means "not used".
  if (offset <= 1) return table.bytes(f.data) ?? new Uint8Array(0);
  const size = table.uint64(f.size);
  if (offset + size > bytes.length) throw new FlatbufferRangeError(`buffer at byte ${offset} (+${size}) lies outside the ${bytes.length} bytes`);
  return bytes.subarray(offset, offset + size);
}

function readOperatorCode(table: FlatTable): TfliteOperatorCode {
  const f = FIELD.OperatorCode;
  // Old files fill only the byte field, new ones the int field; the larger of the two is the real code.
  const builtinCode = Math.max(table.int32(f.builtinCode), table.int8(f.deprecatedBuiltinCode));
  const customCode = table.string(f.customCode);
  const name = builtinCode === PLACEHOLDER_FOR_GREATER_OP_CODES ? 'UNKNOWN' : builtinOperatorName(builtinCode);
  return { builtinCode, name, version: table.int32(f.version, 1), ...(customCode === undefined ? {} : { customCode }) };
}

function readSubgraph(table: FlatTable, bufferCount: number, opcodeCount: number): TfliteSubgraph {
  const f = FIELD.SubGraph;
  const tensors = table.tables(f.tensors).map((t, index) => readTensor(t, index, bufferCount));
  const inRange = (what: string) => (i: number) => {
    if (!Number.isInteger(i) || i < -1 || i >= tensors.length) throw new Error(`${what} refers to tensor ${i} of ${tensors.length}`);
    return i;
  };
  const operators = table.tables(f.operators).map((op, index): TfliteOperator => {
    const g = FIELD.Operator;
    const opcodeIndex = op.uint32(g.opcodeIndex);
    if (opcodeIndex >= opcodeCount) throw new Error(`operator ${index} uses opcode ${opcodeIndex} of ${opcodeCount}`);
    const optionsType = op.uint8(g.builtinOptionsType);
    const optionsTable = optionsType === 0 ? undefined : op.table(g.builtinOptions);
    return {
      index,
      opcodeIndex,
      inputs: op.int32s(g.inputs).map(inRange(`operator ${index} input`)),
      outputs: op.int32s(g.outputs).map(inRange(`operator ${index} output`)),
      ...(optionsTable === undefined ? {} : { options: readBuiltinOptions(optionsType, optionsTable) }),
    };
  });
  return {
    name: table.string(f.name) ?? '',
    tensors,
    inputs: table.int32s(f.inputs).map(inRange('subgraph input')),
    outputs: table.int32s(f.outputs).map(inRange('subgraph output')),
    operators,
  };
}

function readTensor(table: FlatTable, index: number, bufferCount: number): TfliteTensor {
  const f = FIELD.Tensor;
  const type = table.int8(f.type);
  const buffer = table.uint32(f.buffer);
  if (buffer >= bufferCount) throw new Error(`tensor ${index} refers to buffer ${buffer} of ${bufferCount}`);
  const q = table.table(f.quantization);
  const scale = q?.float32s(FIELD.QuantizationParameters.scale) ?? [];
  const quantization =
    q === undefined || scale.length === 0
      ? undefined
      : {
          scale,
          zeroPoint: q.int64s(FIELD.QuantizationParameters.zeroPoint),
          quantizedDimension: q.int32(FIELD.QuantizationParameters.quantizedDimension),
        };
  return {
    index,
    name: table.string(f.name) ?? '',
    shape: table.int32s(f.shape),
    type,
    typeName: TENSOR_TYPE_NAMES[type] ?? `TYPE_${type}`,
    buffer,
    ...(quantization === undefined ? {} : { quantization }),
  };
}

/** The identifier bytes as text, with non-printable bytes escaped so the message stays one readable line. */
function printable(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f && b !== 0x22 ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
}
