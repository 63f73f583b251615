// Accumulates ONNX nodes and constants under fresh names, so graph-writing code reads as a sequence of ops.
import type { OnnxAttribute, OnnxGraph, OnnxInitializer, OnnxNode, OnnxValueInfo } from './onnxProto.js';

export class OnnxGraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxInitializer[] = [];
  private readonly scalars = new Map<number, string>();
  private count = 0;
  /**
   * The TFLite op the nodes and constants added now come from (e.g. `CONV_2D#3`): their names start `<source>/`, so
   * an onnxruntime error, which quotes a node's name or the value it made (also in the names of the nodes its
   * optimiser fuses, such as `…/clip_17_nchwc`), says which op of the file it met.
   */
  source = '';

  /** Adds `opType` reading `inputs`; returns the name of its (first) output, which is also the node's name. */
  op(opType: string, inputs: readonly string[], attributes?: Readonly<Record<string, OnnxAttribute>>): string {
    const output = this.fresh(opType.toLowerCase());
    this.nodes.push({ opType, inputs, outputs: [output], attributes, ...(this.source === '' ? {} : { name: output }) });
    return output;
  }

  /** A float32 constant with `dims`. */
  floats(values: Float32Array, dims: readonly number[], hint = 'w'): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dims, values });
    return name;
  }

  /** A rank-0 float32 constant, shared between uses. */
  scalar(value: number): string {
    let name = this.scalars.get(value);
    if (name === undefined) {
      // Shared by many ops, so named after none of them.
      const source = this.source;
      this.source = '';
      name = this.floats(Float32Array.of(value), [], 'scalar');
      this.source = source;
      this.scalars.set(value, name);
    }
    return name;
  }

  /** A 1-D int64 constant (shapes, axes). */
  int64s(values: readonly number[]): string {
    const name = this.fresh('i64');
    this.initializers.push({ name, dims: [values.length], values: BigInt64Array.from(values, (v) => BigInt(v)) });
    return name;
  }

  /** Renames `value` to `name` (an Identity), for graph outputs with fixed names. */
  rename(value: string, name: string): void {
    this.nodes.push({ opType: 'Identity', inputs: [value], outputs: [name] });
  }

  /** A new value name: `<hint>_<n>`, after the current source when there is one. */
  private fresh(hint: string): string {
    const name = `${hint}_${this.count++}`;
    return this.source === '' ? name : `${this.source}/${name}`;
  }

  graph(name: string, inputs: readonly OnnxValueInfo[], outputs: readonly OnnxValueInfo[]): OnnxGraph {
    return { name, nodes: [...this.nodes], initializers: [...this.initializers], inputs, outputs };
  }
}
