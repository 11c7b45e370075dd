/**
 * Reading and writing ONNX files: {@link io.ortune.graph.onnx.OnnxReader} and {@link io.ortune.graph.onnx.OnnxWriter}
 * for {@code .onnx} models (with external data), {@link io.ortune.graph.onnx.TensorProtoFiles} for single
 * serialized tensors. The only package that sees the protobuf classes ({@code io.ortune.graph.onnx.proto},
 * generated from {@code src/main/proto/onnx_ir.proto}); everything else works on the IR in
 * {@code io.ortune.graph.ir}.
 */
package io.ortune.graph.onnx;
