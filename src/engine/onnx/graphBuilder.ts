// Accumulates ONNX nodes and constants under fresh names, so graph-writing code reads as a sequence of ops.
import type { OnnxAttribute, OnnxGraph, OnnxInitializer, OnnxNode, OnnxValueInfo } from './onnxProto.js';

export class OnnxGraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxInitializer[] = [];
  private readonly scalars = new Map<number, string>();
  private count = 0;

  /** Adds `opType` reading `inputs`; returns the name of its (first) output. */
  op(opType: string, inputs: readonly string[], attributes?: Readonly<Record<string, OnnxAttribute>>): string {
    const output = `${opType.toLowerCase()}_${this.count++}`;
    this.nodes.push({ opType, inputs, outputs: [output], attributes });
    return output;
  }

  /** A float32 constant with `dims`. */
  floats(values: Float32Array, dims: readonly number[], hint = 'w'): string {
    const name = `${hint}_${this.count++}`;
    this.initializers.push({ name, dims, values });
    return name;
  }

  /** A rank-0 float32 constant, shared between uses. */
  scalar(value: number): string {
    let name = this.scalars.get(value);
    if (name === undefined) {
      name = this.floats(Float32Array.of(value), [], 'scalar');
      this.scalars.set(value, name);
    }
    return name;
  }

  /** A 1-D int64 constant (shapes, axes). */
  int64s(values: readonly number[]): string {
    const name = `i64_${this.count++}`;
    this.initializers.push({ name, dims: [values.length], values: BigInt64Array.from(values, (v) => BigInt(v)) });
    return name;
  }

  /** Renames `value` to `name` (an Identity), for graph outputs with fixed names. */
  rename(value: string, name: string): void {
    this.nodes.push({ opType: 'Identity', inputs: [value], outputs: [name] });
  }

  graph(name: string, inputs: readonly OnnxValueInfo[], outputs: readonly OnnxValueInfo[]): OnnxGraph {
    return { name, nodes: [...this.nodes], initializers: [...this.initializers], inputs, outputs };
  }
}
