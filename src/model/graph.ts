// Rebuilds a TFLite subgraph as a list of tfjs functions and evaluates it up to any tensor.
import * as tf from '@tensorflow/tfjs-core';
import { ModelError } from '../errors/index.js';
import { constantBytes, dequantize, integers } from './constants.js';
import { engineFault } from './engineFault.js';
import { OP_BUILDERS, type CompiledOp, type OpContext } from './ops.js';
import { builtinOperatorName, TensorType, type TfliteModel, type TfliteOperator, type TfliteSubgraph } from './tflite/index.js';

/** Types an activation may have: quantised activations are read as the float values they stand for. */
const ACTIVATION_TYPES: ReadonlySet<number> = new Set([TensorType.FLOAT32, TensorType.INT8, TensorType.UINT8, TensorType.INT16]);

interface Step extends CompiledOp {
  readonly op: TfliteOperator;
  readonly builtinCode: number;
}

export class TfliteGraph {
  private constructor(
    readonly subgraph: TfliteSubgraph,
    private readonly steps: readonly Step[],
    private readonly owned: readonly { dispose(): void }[],
  ) {}

  /** Checks every op and tensor type first (so an unsupported model fails before any tensor exists), then builds. */
  static build(model: TfliteModel, path: string, gradients: 'custom' | 'autodiff'): TfliteGraph {
    const subgraph = model.subgraphs[0];
    if (subgraph.inputs.length !== 1 || subgraph.outputs.length !== 1) {
      throw new ModelError(`${path} has ${subgraph.inputs.length} inputs and ${subgraph.outputs.length} outputs; blurig-audio rebuilds single-input, single-output classifiers`, path);
    }
    for (const op of subgraph.operators) checkSupported(model, subgraph, op, path);
    const owned: { dispose(): void }[] = [];
    try {
      const steps = subgraph.operators.map((op): Step => {
        const builtinCode = model.operatorCodes[op.opcodeIndex].builtinCode;
        const ctx = context(model, subgraph, op, path, gradients, owned);
        try {
          return { ...OP_BUILDERS.get(builtinCode)!(op, ctx), op, builtinCode };
        } catch (error) {
          throw engineFault(error, path, `${builtinOperatorName(builtinCode)} #${op.index}`, 'could not be rebuilt in tfjs');
        }
      });
      checkDataFlow(subgraph, steps, path);
      return new TfliteGraph(subgraph, steps, owned);
    } catch (error) {
      owned.forEach((o) => o.dispose());
      throw error;
    }
  }

  get inputIndex(): number {
    return this.subgraph.inputs[0];
  }

  get outputIndex(): number {
    return this.subgraph.outputs[0];
  }

  /** The op that writes tensor `index`, if any. */
  producer(index: number): { builtinCode: number; inputs: readonly number[] } | undefined {
    const step = this.steps.find((s) => s.op.outputs.includes(index));
    return step === undefined ? undefined : { builtinCode: step.builtinCode, inputs: step.inputs };
  }

  /**
   * Runs the ops in order from the input `x` until tensor `target` exists; intermediates belong to the caller's tidy.
   * With `path` (at load time), an engine error names the op it came from, as a ModelError.
   */
  evaluate(x: tf.Tensor, target: number, path?: string): tf.Tensor {
    return this.run(new Map([[this.inputIndex, x]]), 0, target, path);
  }

  /**
   * The rest of the graph given tensor `from`'s value: runs the ops after the one that writes `from` until tensor
   * `target` exists, so `evaluateFrom(a, evaluate(x, a), t)` equals `evaluate(x, t)` and is differentiable in the value
   * (Grad-CAM cuts YAMNet at its last conv layer this way). The ops after the cut may read only `from` and what they
   * write themselves (no skip connection across the cut, which YAMNet has none of); intermediates belong to the
   * caller's tidy.
   */
  evaluateFrom(from: number, value: tf.Tensor, target: number): tf.Tensor {
    const cut = from === this.inputIndex ? -1 : this.steps.findIndex((s) => s.op.outputs.includes(from));
    if (cut === -1 && from !== this.inputIndex) throw new Error(`tensor ${from} is not computed by the graph`);
    return this.run(new Map([[from, value]]), cut + 1, target);
  }

  /** Runs the ops from step `first` on, with the activations already in `values`, until tensor `target` exists. */
  private run(values: Map<number, tf.Tensor>, first: number, target: number, path?: string): tf.Tensor {
    for (const step of this.steps.slice(first)) {
      if (values.has(target)) break;
      const inputs = step.inputs.map((i) => values.get(i) ?? missing(i, step));
      let outputs: tf.Tensor[];
      try {
        outputs = step.run(inputs);
      } catch (error) {
        if (path === undefined) throw error;
        throw engineFault(error, path, `${builtinOperatorName(step.builtinCode)} #${step.op.index}`, 'failed in tfjs on a test patch');
      }
      step.op.outputs.forEach((index, k) => values.set(index, outputs[k]));
    }
    const result = values.get(target);
    if (result === undefined) throw new Error(`tensor ${target} is not computed by the graph`);
    return result;
  }

  dispose(): void {
    this.owned.forEach((o) => o.dispose());
  }
}

/** A programming error: evaluateFrom was asked to start after an op whose input lies before the cut. */
function missing(index: number, step: Step): never {
  throw new Error(`${builtinOperatorName(step.builtinCode)} #${step.op.index} reads tensor ${index}, which lies before the cut the graph was evaluated from`);
}

function checkSupported(model: TfliteModel, subgraph: TfliteSubgraph, op: TfliteOperator, path: string): void {
  const code = model.operatorCodes[op.opcodeIndex];
  if (!OP_BUILDERS.has(code.builtinCode)) {
    const name = code.customCode === undefined ? code.name : `${code.name} (${code.customCode})`;
    const supported = [...OP_BUILDERS.keys()].map(builtinOperatorName).join(', ');
    throw new ModelError(`${path} uses the TFLite op ${name}, which blurig-audio cannot rebuild (it rebuilds ${supported}); use the YAMNet build named in models/yamnet.json`, path);
  }
  for (const index of [...op.inputs, ...op.outputs]) {
    const tensor = subgraph.tensors[index];
    if (tensor === undefined || constantBytes(model, tensor) !== undefined) continue;
    if (!ACTIVATION_TYPES.has(tensor.type)) {
      throw new ModelError(`${path}: tensor "${tensor.name}" (input or output of ${code.name}) has type ${tensor.typeName}, which blurig-audio cannot rebuild; use a float32 or int8-quantised model`, path);
    }
  }
}

/** Every activation an op reads must be the graph input or written by an earlier op, and the output must be written. */
function checkDataFlow(subgraph: TfliteSubgraph, steps: readonly Step[], path: string): void {
  const written = new Set<number>(subgraph.inputs);
  for (const step of steps) {
    const missing = step.inputs.find((i) => !written.has(i));
    if (missing !== undefined) {
      throw new ModelError(`${path}: ${builtinOperatorName(step.builtinCode)} #${step.op.index} reads tensor ${missing} before any op writes it; the file is corrupt, fetch it again`, path);
    }
    step.op.outputs.forEach((o) => written.add(o));
  }
  if (!written.has(subgraph.outputs[0])) {
    throw new ModelError(`${path}: no op writes the output tensor; the file is corrupt, fetch it again`, path);
  }
}

function context(
  model: TfliteModel,
  subgraph: TfliteSubgraph,
  op: TfliteOperator,
  path: string,
  gradients: 'custom' | 'autodiff',
  owned: { dispose(): void }[],
): OpContext {
  const opName = builtinOperatorName(model.operatorCodes[op.opcodeIndex].builtinCode);
  const fail = (problem: string): never => {
    throw new ModelError(`${path}: ${opName} #${op.index} ${problem}`, path);
  };
  const constant = (index: number) => {
    const tensor = subgraph.tensors[index];
    if (tensor === undefined || constantBytes(model, tensor) === undefined) fail(`expects a constant at input ${index}; use a model with frozen weights`);
    return tensor!;
  };
  return {
    gradients,
    weights: (index) => {
      const tensor = constant(index);
      return tf.tensor(dequantize(model, tensor, path), [...tensor.shape], 'float32');
    },
    integers: (index) => integers(model, constant(index), path),
    shape: (index) => subgraph.tensors[index].shape,
    own: (disposable) => void owned.push(disposable),
    fail,
  };
}
