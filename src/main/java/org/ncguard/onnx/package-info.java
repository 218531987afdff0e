/**
 * ONNX's protobuf messages ({@code Onnx.ModelProto} and the rest), generated at build time from ONNX's own
 * {@code src/main/proto/onnx.proto}: the one way ncguard reads, edits and writes ONNX files. Generated from ONNX's
 * file rather than borrowed from another library, so that the guard carries no ML framework to parse a model.
 */
package org.ncguard.onnx;
