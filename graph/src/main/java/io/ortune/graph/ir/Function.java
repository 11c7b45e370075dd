package io.ortune.graph.ir;

/**
 * A model-local function, kept exactly as it was read: ortune identifies it by domain, name and overload (so
 * nodes calling it validate) and writes its serialized {@code FunctionProto} back untouched.
 */
public record Function(String domain, String name, String overload, Unmodeled proto) { }
